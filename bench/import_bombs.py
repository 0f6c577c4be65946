"""The three spreadsheet bombs of issue 13, at full size, read against the import limits.

    DJANGO_SETTINGS_MODULE=khv_strategy.settings.test .venv/bin/python bench/import_bombs.py

Builds each file (streamed into the zip, never held whole in memory), then reads it as an import
does (``core.spreadsheets.read_rows``) in a child process of its own, and prints a
table: size on disk, what the archive declares unpacked, the answer, the time, the peak of
Python allocations (tracemalloc) and the child's peak resident memory (getrusage). No database
is needed. A legitimate file of as many rows as allowed is read too, for comparison.
"""

import io
import multiprocessing
import os
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.test")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

from core import spreadsheets  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = "</sheetData></worksheet>"
HEADERS = ["название (на русском)", "страна", "статус", "город-побратим с"]


def _cells(number, values):
    return "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
    )


def workbook(sheet_chunks):
    """An XLSX whose first sheet is written from `sheet_chunks` (str pieces), streamed."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, source.read(info.filename))
                continue
            with archive.open(SHEET, "w", force_zip64=True) as sheet:
                for chunk in sheet_chunks:
                    sheet.write(chunk.encode())
    return output.getvalue()


def one_huge_cell(megabytes=300):
    yield HEAD + f'<row r="1">{_cells(1, HEADERS)}</row><row r="2"><c r="A2" t="inlineStr"><is><t>'
    block = "A" * (1024 * 1024)
    for _ in range(megabytes):
        yield block
    yield "</t></is></c></row>" + TAIL


def empty_rows(count=15_000_000, batch=100_000):
    # Rows without their "r" number, as the 4.6 MB file had them: each is "<row/>".
    yield HEAD + f'<row r="1">{_cells(1, HEADERS)}</row>'
    for start in range(0, count, batch):
        yield "<row/>" * min(batch, count - start)
    yield TAIL


def valid_rows(count=1_000_000, batch=50_000):
    yield HEAD + f'<row r="1">{_cells(1, HEADERS)}</row>'
    for start in range(2, count + 2, batch):
        yield "".join(
            f'<row r="{n}">{_cells(n, [f"Город {n}", "CN", "город-побратим", "15.06.1993"])}</row>'
            for n in range(start, min(start + batch, count + 2))
        )
    yield TAIL


def _rss_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _measure(content, overrides, traced, queue):
    translation.activate("ru")
    for name, value in overrides.items():
        setattr(settings, name, value)
    # The child starts with its parent's pages; reset the high-water mark to count its own.
    Path("/proc/self/clear_refs").write_text("5")
    start_rss = _rss_kb("VmRSS")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        rows = spreadsheets.read_rows(name="bomb.xlsx", content=content)
        answer = f"read {len(rows)} rows"
    except spreadsheets.SpreadsheetError as error:
        answer = f"400: {error}"
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    growth = (_rss_kb("VmHWM") - start_rss) * 1024
    queue.put((answer, elapsed, peak, growth))


def _child(content, overrides, traced):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_measure, args=(content, overrides, traced, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def measure(content, overrides):
    """Time and resident memory in one fresh child, Python's allocations (tracemalloc, which
    slows reading down) in another, so that each figure is the reading's own."""
    answer, elapsed, _peak, growth = _child(content, overrides, traced=False)
    peak = _child(content, overrides, traced=True)[2]
    return answer, elapsed, peak, growth


def declared(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(member.file_size for member in archive.infolist())


def mb(size):
    return f"{size / 1024 / 1024:,.1f} MB"


def main():
    lifted = {"IMPORT_MAX_UNCOMPRESSED_BYTES": 10**12, "IMPORT_MAX_COMPRESSION_RATIO": 10**9}
    cases = [
        ("one 300 MB inline cell", lambda: workbook(one_huge_cell()), {}),
        ("15 M empty rows", lambda: workbook(empty_rows()), {}),
        ("1 M valid rows", lambda: workbook(valid_rows()), {}),
        # The second line of defence: with the archive's limits lifted, the row count stops
        # the streamed reading of the 1 M rows at the limit.
        ("1 M valid rows, zip unchecked", lambda: workbook(valid_rows()), lifted),
        # Just under the unpacked limit: openpyxl reads a sheet without <dimension> whole when
        # it opens it (its read-only mode looks for the dimension until </sheetData>).
        ("110 k valid rows, under limit", lambda: workbook(valid_rows(110_000)), {}),
        (
            "legitimate: rows as allowed",
            lambda: workbook(valid_rows(settings.IMPORT_MAX_ROWS - 1)),
            {},
        ),
    ]
    print(
        f"limits: rows {settings.IMPORT_MAX_ROWS}, cell {settings.IMPORT_MAX_CELL_CHARS} chars, "
        f"unpacked {mb(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}, "
        f"ratio {settings.IMPORT_MAX_COMPRESSION_RATIO}"
    )
    header = f"| {'file':28} | {'on disk':>9} | {'unpacked':>10} | {'time':>8} | "
    header += f"{'py peak':>9} | {'RSS grew':>9} | answer"
    print(header)
    print("|" + "-" * (len(header) + 20))
    for label, build, overrides in cases:
        started = time.perf_counter()
        content = build()
        built = time.perf_counter() - started
        answer, elapsed, peak, rss = measure(content, overrides)
        print(
            f"| {label:28} | {mb(len(content)):>9} | {mb(declared(content)):>10} | "
            f"{elapsed:>6.3f} s | {mb(peak):>9} | {mb(rss):>9} | {answer[:120]}"
            f"  (built in {built:.0f} s)"
        )


if __name__ == "__main__":
    main()
