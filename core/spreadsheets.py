"""Spreadsheets the portal writes (exports) and reads (imports), made safe in one place.

Exports: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is what Excel and LibreOffice evaluate as a formula ("CSV injection", OWASP); ``neutralise``
prefixes such text with an apostrophe, so it is shown as typed and never run. Numbers (and text
that is only a number, like the ``"-12.5000"`` DRF writes for a decimal) stay as they are. Every
export calls it: the partner registers and the admin's (``partners.resources``), the annual
report (``dashboards.reports``), the open data files (``dashboards.opendata``) and the API's
CSV (``core.api.renderers``).

Imports: ``read_rows`` reads an XLSX or CSV file within limits (below), for the partner
registers' import and the admin's.
"""

import csv
import io
import re
import zipfile

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text: a spreadsheet reads it as that number, never as a formula.
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise(value):
    """The value as a spreadsheet may show it: formula-like text gets a leading apostrophe."""
    text = isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
    if text and not NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise(value) for value in values]


# --- imports ---------------------------------------------------------------------------------
#
# A spreadsheet is checked before it is parsed and while it is: an XLSX is a zip archive, whose
# directory declares each member's unpacked size (zipfile never unpacks more than that), so the
# sum of those sizes and each member's compression ratio are checked before openpyxl opens it;
# then rows are counted and cells measured as they are read (openpyxl's read-only mode streams
# the sheet). The limits are settings: IMPORT_MAX_UNCOMPRESSED_BYTES,
# IMPORT_MAX_COMPRESSION_RATIO, IMPORT_MAX_ROWS and IMPORT_MAX_CELL_CHARS.

# Members smaller than this are not held to the ratio: tiny XML parts compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


def check_archive(content):
    """Refuse an XLSX whose members would unpack beyond the limits, before anything unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit:
        raise SpreadsheetError(
            _("Unpacked, the workbook would take %(size)s; an import takes at most %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)}
        )
    max_ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
            raise SpreadsheetError(
                _(
                    "The workbook is compressed %(ratio)s times, more than a real one can be "
                    "(an import takes files compressed at most %(limit)s times)."
                )
                % {"ratio": int(ratio), "limit": max_ratio}
            )


def _checked_rows(rows):
    """The rows, refused as soon as there are too many or a cell is too long."""
    max_rows, max_chars = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELL_CHARS
    result = []
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise SpreadsheetError(
                _("The file has more than %(limit)s rows; import it in parts of at most "
                  "%(limit)s rows.") % {"limit": max_rows}
            )  # fmt: skip
        row = list(row)
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > max_chars:
                raise SpreadsheetError(
                    _("Row %(row)s, column %(column)s: the cell holds more than %(limit)s "
                      "characters, more than an import takes.")
                    % {"row": number, "column": column, "limit": max_chars}
                )  # fmt: skip
        result.append(row)
    return result


def _xlsx_rows(content):
    check_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    try:
        return _checked_rows(workbook.worksheets[0].iter_rows(values_only=True))
    except SpreadsheetError:
        raise
    except Exception as error:  # noqa: BLE001 - a broken sheet fails while it is read
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    finally:
        workbook.close()


def _csv_rows(content):
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The CSV file is not in UTF-8 or Windows-1251 encoding."))
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _checked_rows(reader)
    except csv.Error as error:
        if "field limit" not in str(error):
            raise SpreadsheetError(_("The file is not a CSV text file.")) from error
        # The csv module's own limit on a field (128 KB) is above ours: the cell is too long.
        raise SpreadsheetError(
            _("Row %(row)s: a cell holds more than %(limit)s characters, more than an import "
              "takes.") % {"row": reader.line_num, "limit": settings.IMPORT_MAX_CELL_CHARS}
        ) from error  # fmt: skip


def read_rows(*, name, content):
    """The rows of an XLSX or CSV file as lists of cell values, within the import limits."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.lower().endswith(".csv"):
        return _csv_rows(content)
    raise SpreadsheetError(_("Only XLSX and CSV files can be imported."))
