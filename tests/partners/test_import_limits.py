"""Spreadsheet bombs: files small on disk that would take a worker's memory and minutes to read.
Each is refused with 400 and a Russian message naming the limit, writes no row and leaves no
staged file; previews never confirmed are removed after a day.

The bombs are built small: the limits (settings) are lowered where a test needs a modest file
to trip them, and one archive merely declares a huge size, which the real limits refuse."""

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from partners.models import PartnerCity

from .test_import import CITY_HEADERS, confirm, csv_file, upload, xlsx_file

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
CITY_ROW = ["Харбин", "CN", "город-побратим", "15.06.1993"]


def city_rows(count):
    return [[f"Город {number}", "CN", "город-побратим", "15.06.1993"] for number in range(count)]


def workbook_with_sheet(sheet_xml, *, declare_size=None):
    """A real workbook whose first sheet is `sheet_xml`; `declare_size` rewrites the sheet's
    uncompressed size in the archive's headers (the bytes stay small)."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            content = sheet_xml if info.filename == SHEET else source.read(info.filename)
            archive.writestr(info.filename, content)
    content = bytearray(output.getvalue())
    if declare_size is not None:
        with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
            local = archive.getinfo(SHEET).header_offset
        struct.pack_into("<I", content, local + 22, declare_size)
        # The central directory entry of the sheet: found by its name.
        name = SHEET.encode()
        position = content.find(b"PK\x01\x02")
        while position != -1:
            length = struct.unpack_from("<H", content, position + 28)[0]
            if content[position + 46 : position + 46 + length] == name:
                struct.pack_into("<I", content, position + 24, declare_size)
                break
            position = content.find(b"PK\x01\x02", position + 4)
    return bytes(content)


def sheet_xml(rows):
    """Sheet XML of inline-string rows (what a generator writes, no shared strings)."""
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for index, value in enumerate(row)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )


def staged_files():
    root = Path(settings.MEDIA_ROOT)
    folders = [root / "partner-imports", root / "django-import-export"]
    return sorted(str(path) for folder in folders if folder.exists() for path in folder.iterdir())


def assert_refused(response, *fragments):
    assert response.status_code == 400
    page = response.content.decode()
    for fragment in fragments:
        assert fragment in page, fragment
    assert not PartnerCity.objects.exists()


@pytest.fixture
def editor_client(client_for, editor):
    before = staged_files()
    yield client_for(editor)
    assert staged_files() == before  # nothing staged by a refused import


def test_a_huge_declared_sheet_is_refused_with_the_real_limits(editor_client):
    """The size in the archive's directory, 3 GB, is what reading would unpack."""
    content = workbook_with_sheet(sheet_xml([CITY_HEADERS]), declare_size=3 * 1024**3)
    assert len(content) < 10_000

    response = upload(editor_client, SimpleUploadedFile("bomb.xlsx", content))

    assert_refused(response, "Распакованная книга заняла бы 3,0\xa0ГБ", "не больше 30,0\xa0МБ")


def test_a_highly_compressed_cell_is_refused_with_the_real_limits(editor_client):
    """The issue's 307 KB file held one 300 MB cell; 5 MB of one letter packs as tightly."""
    content = workbook_with_sheet(sheet_xml([CITY_HEADERS, ["A" * 5 * 1024 * 1024]]))
    assert len(content) < 50_000

    response = upload(editor_client, SimpleUploadedFile("bomb.xlsx", content))

    assert_refused(response, "сжата в", "раз", "не больше чем в 100 раз")


@override_settings(IMPORT_MAX_UNCOMPRESSED_BYTES=200_000, IMPORT_MAX_COMPRESSION_RATIO=10**6)
def test_an_archive_over_the_unpacked_limit_is_refused(editor_client):
    content = workbook_with_sheet(sheet_xml([CITY_HEADERS, ["A" * 300_000]]))

    response = upload(editor_client, SimpleUploadedFile("bomb.xlsx", content))

    assert_refused(response, "Распакованная книга заняла бы", "не больше 195,3\xa0КБ")


@override_settings(IMPORT_MAX_ROWS=50)
@pytest.mark.parametrize("make_file", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_too_many_valid_rows_are_refused(editor_client, make_file):
    response = upload(editor_client, make_file([CITY_HEADERS, *city_rows(51)]))

    assert_refused(response, "больше 50 строк")


@override_settings(IMPORT_MAX_ROWS=50)
def test_a_file_with_as_many_rows_as_allowed_is_read(client_for, editor, clean_staging):
    response = upload(client_for(editor), csv_file([CITY_HEADERS, *city_rows(49)]))

    assert response.status_code == 200
    assert response.context["report"].new_count == 49


@override_settings(IMPORT_MAX_ROWS=50, IMPORT_MAX_COMPRESSION_RATIO=10**6)
def test_millions_of_empty_rows_count_too(editor_client):
    """A sheet of empty rows is read row by row all the same (the issue's 15 M rows)."""
    content = workbook_with_sheet(sheet_xml([CITY_HEADERS] + [[""]] * 500))

    response = upload(editor_client, SimpleUploadedFile("rows.xlsx", content))

    assert_refused(response, "больше 50 строк")


@override_settings(IMPORT_MAX_CELL_CHARS=100)
@pytest.mark.parametrize("make_file", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_a_cell_over_the_length_limit_is_refused(editor_client, make_file):
    rows = [CITY_HEADERS, CITY_ROW, ["Харбин" + "ы" * 100, "CN", "город-побратим", ""]]

    response = upload(editor_client, make_file(rows))

    assert_refused(response, "Строка 3, столбец 1", "больше 100 символов")


def test_a_csv_cell_over_pythons_own_field_limit_is_refused_not_a_500(editor_client):
    rows = [CITY_HEADERS, ["Х" * 200_000, "CN", "город-побратим", ""]]

    response = upload(editor_client, csv_file(rows))

    assert_refused(response, "больше 10000 символов")


def test_a_zip_that_is_not_a_workbook_is_refused(editor_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    response = upload(editor_client, SimpleUploadedFile("cities.xlsx", buffer.getvalue()))

    assert_refused(response, "не удаётся прочитать как книгу XLSX")


def test_the_limits_have_sane_defaults():
    assert settings.IMPORT_MAX_ROWS == 5000
    assert settings.IMPORT_MAX_CELL_CHARS == 10_000
    assert settings.IMPORT_MAX_UNCOMPRESSED_BYTES == 30 * 1024 * 1024
    assert settings.IMPORT_MAX_COMPRESSION_RATIO == 100
    assert settings.IMPORT_STALE_AFTER_SECONDS == 24 * 60 * 60


# --- previews never confirmed --------------------------------------------------------------------


def stage(name, *, age_seconds):
    path = default_storage.save(f"partner-imports/{name}", ContentFile(b"x"))
    moment = time.time() - age_seconds
    os.utime(default_storage.path(path), (moment, moment))
    return path


@pytest.fixture
def clean_staging():
    yield
    for folder in ("partner-imports", "django-import-export"):
        if default_storage.exists(folder):
            for name in default_storage.listdir(folder)[1]:
                default_storage.delete(f"{folder}/{name}")


def test_the_command_removes_previews_older_than_a_day(clean_staging):
    old = stage("old.xlsx", age_seconds=25 * 60 * 60)
    fresh = stage("fresh.xlsx", age_seconds=60)

    out = io.StringIO()
    call_command("clear_stale_imports", stdout=out)

    assert not default_storage.exists(old)
    assert default_storage.exists(fresh)
    assert "1" in out.getvalue()


def test_a_new_import_removes_stale_previews(client_for, editor, clean_staging):
    old = stage("old.csv", age_seconds=25 * 60 * 60)

    response = upload(client_for(editor), csv_file([CITY_HEADERS, CITY_ROW]))

    assert response.status_code == 200
    assert not default_storage.exists(old)


def test_confirming_a_preview_whose_file_was_removed_asks_to_upload_again(
    client_for, editor, clean_staging
):
    client = client_for(editor)
    response = upload(client, csv_file([CITY_HEADERS, CITY_ROW]))
    for name in default_storage.listdir("partner-imports")[1]:
        default_storage.delete(f"partner-imports/{name}")

    response = confirm(client, response)

    assert response.status_code == 302
    assert not PartnerCity.objects.exists()


# --- the admin's import ---------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    before = staged_files()
    yield client
    assert staged_files() == before


def admin_import(client, name, content):
    url = reverse("admin:partners_partnercity_import")
    form = client.get(url).context["form"]
    extension = name.rsplit(".", 1)[1]
    choice = next(value for value, label in form.fields["format"].choices if label == extension)
    return client.post(
        url,
        {
            "format": choice,
            "resource": form.fields["resource"].initial or 0,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def test_the_admin_refuses_a_bomb_before_staging_it(admin_client_):
    content = workbook_with_sheet(sheet_xml([CITY_HEADERS]), declare_size=3 * 1024**3)

    response = admin_import(admin_client_, "bomb.xlsx", content)

    assert_refused(response, "Распакованная книга заняла бы 3,0\xa0ГБ")


@override_settings(IMPORT_MAX_ROWS=50)
def test_the_admin_refuses_too_many_rows(admin_client_):
    content = "\n".join(",".join(row) for row in [CITY_HEADERS, *city_rows(51)]).encode()

    response = admin_import(admin_client_, "cities.csv", content)

    assert_refused(response, "больше 50 строк")
