"""Every file the portal keeps (agreement documents, evidence of reports and of indicator values)
passes one check (core.uploads): an allowed extension, content that matches it, and a
size limit. A refused file gets a 400 with a Russian message, and neither a row nor a file is
written."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from activities.models import ProgressReport
from core.uploads import ALLOWED_EXTENSIONS
from indicators.models import IndicatorValue
from partners.models import Agreement
from tests.factories import ExpectedResultFactory, MeasureFactory
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Показатель", 12.5])
    workbook.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40
DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
ODS = zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": ""})
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

ACCEPTED = {
    "a PDF": ("akt.pdf", PDF),
    "a Word document": ("soglashenie.docx", DOCX),
    "an Excel workbook": ("svod.xlsx", xlsx_bytes()),
    "an old Word document": ("pismo.doc", OLE2),
    "an old Excel workbook": ("tablica.xls", OLE2),
    "an OpenDocument text": ("tekst.odt", ODT),
    "an OpenDocument spreadsheet": ("tablica.ods", ODS),
    "an RTF text": ("spravka.rtf", b"{\\rtf1\\ansi Spravka}"),
    "a PNG image": ("skan.png", PNG),
    "a JPEG image with an upper-case extension": ("FOTO.JPG", JPEG),
}
NOT_ALLOWED = "Файлы с расширением"
REFUSED = {
    "an HTML page": ("page.html", HTML, NOT_ALLOWED),
    "an SVG image": ("logo.svg", SVG, NOT_ALLOWED),
    "a program": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 40, NOT_ALLOWED),
    "an .htaccess file": (".htaccess", b"AddType application/x-httpd-php .pdf", "без расширения"),
    "a file without an extension": ("document", PDF, "без расширения"),
    "a double extension": ("akt.pdf.html", HTML, NOT_ALLOWED),
    "HTML named .pdf": ("akt.pdf", HTML, "не похоже на документ PDF"),
    "SVG named .png": ("logo.png", SVG, "не похоже на изображение PNG"),
    "a program named .jpg": ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 40, "не похоже на"),
    "a zip of anything named .docx": ("a.docx", zipped({"x.html": HTML}), "не похоже на документ"),
    "a workbook named .docx": ("a.docx", xlsx_bytes(), "не похоже на документ Word"),
    "a macro-enabled workbook named .xlsx": (
        "macro.xlsx",
        zipped({"[Content_Types].xml": "", "xl/workbook.xml": "", "xl/vbaProject.bin": "x"}),
        "макрос",
    ),
    "a text named .doc": ("a.doc", b"plain text", "не похоже на документ Word"),
}


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path) for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department)


@pytest.fixture
def indicator(department):
    return IndicatorFactory(department=department, expected_result=ExpectedResultFactory())


def post_agreement(client, department, upload):
    data = {
        "title": "Соглашение о сотрудничестве",
        "kind": Agreement.Kind.COOPERATION,
        "level": "international",
        "status": Agreement.Status.IN_FORCE,
        "signed_on": "2015-05-01",
        "department": department.pk,
        "document": upload,
    }
    return client.post(reverse("partners:agreement_create"), data)


def post_report(client, measure, upload):
    data = {"year": 2016, "quarter": "", "percent_done": 40, "text": "Сделано."}
    return client.post(
        reverse("activities:report_create", args=[measure.pk]), data | {"evidence_file": upload}
    )


def post_value(client, indicator, upload):
    return client.post(
        reverse("indicators:value_create", args=[indicator.pk]),
        {"year": "2015", "value": "5", "evidence_file": upload},
    )


# Each surface: (how to post a file, the model whose rows it writes, the file field).
SURFACES = {
    "agreement document": (lambda c, f, u: post_agreement(c, f["department"], u), Agreement),
    "report evidence": (lambda c, f, u: post_report(c, f["measure"], u), ProgressReport),
    "value evidence": (lambda c, f, u: post_value(c, f["indicator"], u), IndicatorValue),
}


@pytest.fixture
def post(client_for, editor, department, measure, indicator):
    fixtures = {"department": department, "measure": measure, "indicator": indicator}

    def send(surface, name, content):
        poster, _model = SURFACES[surface]
        return poster(client_for(editor), fixtures, SimpleUploadedFile(name, content))

    return send


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(("name", "content", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_hostile_files_are_refused(post, surface, name, content, message):
    before = media_files()

    response = post(surface, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SURFACES[surface][1].objects.exists()
    assert media_files() == before


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(("name", "content"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_documents_and_images_are_accepted(post, surface, name, content):
    response = post(surface, name, content)

    assert response.status_code == 302, response.content.decode()[:2000]
    model = SURFACES[surface][1]
    field = "document" if model is Agreement else "evidence_file"
    stored = getattr(model.objects.get(), field)
    assert stored.name.lower().endswith(Path(name).suffix.lower())
    assert stored.read() == content


@pytest.mark.parametrize("surface", SURFACES)
@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(post, surface):
    before = media_files()

    response = post(surface, "big.pdf", PDF + b"0" * 1024)

    assert response.status_code == 400
    assert "Файл слишком большой" in response.content.decode()
    assert "не больше 1,0\xa0КБ" in response.content.decode()
    assert not SURFACES[surface][1].objects.exists()
    assert media_files() == before


def test_the_default_size_limit_is_20_mb():
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    assert {"pdf", "docx", "xlsx", "png", "jpg"} <= set(ALLOWED_EXTENSIONS)
    assert not {"html", "htm", "svg", "exe", "js", "xml", "csv", "txt"} & set(ALLOWED_EXTENSIONS)


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(
    client_for, editor, department
):
    """A 200 MB agreement document: the Content-Length alone refuses it (413), so the body is
    never read, spooled to a temporary file or stored."""
    size = 200 * 1024 * 1024
    response = client_for(editor).post(
        reverse("partners:agreement_create"),
        {"title": "x", "document": SimpleUploadedFile("a.pdf", PDF)},
        CONTENT_LENGTH=str(size),
    )

    assert response.status_code == 413
    assert "Запрос слишком большой" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_api_refuses_a_large_request_in_json(client_for, editor):
    response = client_for(editor).post(
        reverse("agreement-list"),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="999999999",
    )

    assert response.status_code == 413
    assert "Запрос слишком большой" in response.json()["detail"]


def test_the_admin_refuses_hostile_files(client, department):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    before = media_files()

    response = client.post(
        reverse("admin:partners_agreement_add"),
        {
            "title": "Соглашение",
            "kind": Agreement.Kind.COOPERATION,
            "level": "international",
            "status": Agreement.Status.IN_FORCE,
            "signed_on": "2015-05-01",
            "department": department.pk,
            "document": SimpleUploadedFile("page.html", HTML),
        },
    )

    assert response.status_code == 200  # the admin shows its form again with the error
    assert NOT_ALLOWED in response.content.decode()
    assert not Agreement.objects.exists()
    assert media_files() == before


def test_the_model_field_refuses_hostile_files_whatever_writes_it(department):
    """The check is the model field's validator: forms, the admin and DRF serializers get it."""
    for model, field in [
        (Agreement, "document"),
        (ProgressReport, "evidence_file"),
        (IndicatorValue, "evidence_file"),
    ]:
        validators = model._meta.get_field(field).validators
        assert any(type(v).__module__ == "core.uploads" for v in validators), model


def test_an_api_write_cannot_carry_a_file(client_for, editor):
    """The API reads JSON only and its file fields are read-only."""
    response = client_for(editor).post(
        reverse("agreement-list"), {"document": SimpleUploadedFile("page.html", HTML)}
    )

    assert response.status_code in (405, 415)
    assert not Agreement.objects.exists()
