"""What a file the portal keeps may be: one check for every file field (agreement documents,
evidence of progress reports and of indicator values), and the early refusal of requests too
large to hold such a file.

The allow-list: documents (PDF; Word, Excel, OpenDocument text and spreadsheet, RTF) and
photographs or scans (PNG, JPEG). Nothing that a browser would run when the file is opened from
the portal (HTML, SVG, XML, scripts, programs), nothing without an extension, and no plain
text or CSV: their content cannot be told from anything else, and a CSV opened in Excel runs
its formulas. The extension and the content must agree: each kind is recognised by its first
bytes, and Office Open XML and OpenDocument files, which are zip archives, by their members
(a .docx must hold word/document.xml, an .xlsx xl/workbook.xml, an .odt the OpenDocument text
mimetype). Office Open XML files with macros (vbaProject.bin) are refused. Legacy .doc and .xls
are OLE2 compound files; the signature does not tell a document from a workbook.

The size limit is ``settings.UPLOAD_MAX_BYTES`` (20 MB by default), read at each check so that
it is one setting for every field. ``RequestSizeLimitMiddleware`` refuses, by its
Content-Length alone, a request that cannot be within it, before its body is read.
"""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Room for the rest of a form (fields, multipart boundaries) beside its file.
REQUEST_OVERHEAD_BYTES = 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACROS = ("vbaproject.bin",)


def _starts_with(*signatures):
    def check(head, _file):
        return head.startswith(signatures)

    return check


def _pdf(head, _file):
    # Readers accept the header anywhere in the first kilobyte (some scanners write junk first).
    return b"%PDF-" in head[:1024]


def _zip_with(*members, mimetype=None):
    def check(head, file):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if mimetype is not None:
                    return "mimetype" in names and archive.read("mimetype").strip() == mimetype
                return all(member in names for member in members)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return False

    return check


# extension → (what it is, for the message; how its content is recognised)
KINDS = {
    "pdf": (gettext_lazy("a PDF document"), _pdf),
    "doc": (gettext_lazy("a Word document"), _starts_with(OLE2)),
    "docx": (gettext_lazy("a Word document"), _zip_with("word/document.xml")),
    "xls": (gettext_lazy("an Excel workbook"), _starts_with(OLE2)),
    "xlsx": (gettext_lazy("an Excel workbook"), _zip_with("xl/workbook.xml")),
    "odt": (
        gettext_lazy("an OpenDocument text"),
        _zip_with(mimetype=b"application/vnd.oasis.opendocument.text"),
    ),
    "ods": (
        gettext_lazy("an OpenDocument spreadsheet"),
        _zip_with(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
    ),
    "rtf": (gettext_lazy("an RTF document"), _starts_with(b"{\\rtf")),
    "png": (gettext_lazy("a PNG image"), _starts_with(b"\x89PNG\r\n\x1a\n")),
    "jpg": (gettext_lazy("a JPEG image"), _starts_with(b"\xff\xd8\xff")),
    "jpeg": (gettext_lazy("a JPEG image"), _starts_with(b"\xff\xd8\xff")),
}
ALLOWED_EXTENSIONS = list(KINDS)


def _has_macros(file):
    try:
        with zipfile.ZipFile(file) as archive:
            return any(PurePath(name).name.lower() in MACROS for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_upload(file):
    """Raise ValidationError unless `file` (an uploaded file) is allowed; the check of size,
    extension and content that every file field runs."""
    limit = settings.UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); files of at most %(limit)s can be uploaded.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    allowed = ", ".join(dict.fromkeys(extension.upper() for extension in KINDS))
    suffix = PurePath(file.name).suffix
    extension = suffix[1:].lower()
    if not suffix:  # also ".htaccess", whose name is all suffix
        raise ValidationError(
            _("The file has no extension; upload a file of one of these kinds: %(allowed)s.")
            % {"allowed": allowed},
            code="no_extension",
        )
    if extension not in KINDS:
        raise ValidationError(
            _("Files with the extension “%(extension)s” cannot be uploaded; allowed: %(allowed)s.")
            % {"extension": suffix, "allowed": allowed},
            code="extension",
        )
    kind, recognise = KINDS[extension]
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(2048)
        file.seek(0)
        matches = recognise(head, file)
        file.seek(0)
        macros = extension in ("docx", "xlsx") and matches and _has_macros(file)
    finally:
        file.seek(position)
    if not matches:
        raise ValidationError(
            _("The content of the file does not look like %(kind)s, as its extension says.")
            % {"kind": kind},
            code="content",
        )
    if macros:
        raise ValidationError(
            _("The file contains macros; save it without them (as .docx or .xlsx)."),
            code="macros",
        )


@deconstructible(path="core.uploads.UploadValidator")
class UploadValidator:
    """The validator of every model FileField, so forms, the admin and serializers run it.

    A file already stored (a record edited without a new upload) is not checked again."""

    def __call__(self, value):
        if getattr(value, "_committed", False):
            return
        check_upload(value)

    def __eq__(self, other):
        return isinstance(other, UploadValidator)

    def __hash__(self):
        return hash(UploadValidator)


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body cannot hold a file within UPLOAD_MAX_BYTES.

    Django counts uploaded files in no limit of its own (DATA_UPLOAD_MAX_MEMORY_SIZE leaves
    them out) and would spool a 200 MB body to disk before any form sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES
        if length > limit + REQUEST_OVERHEAD_BYTES:
            message = _(
                "The request is too large (%(size)s); files of at most %(limit)s can be uploaded."
            ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def stored_file_name(file):
    """The name a stored file is shown by: "evidence.pdf", not its storage path
    "reports/2026/evidence.pdf" (the template filter `file_name`, history entries)."""
    name = getattr(file, "name", file) or ""
    return PurePath(str(name)).name
