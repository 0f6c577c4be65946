"""Writes to partner records. Each runs in one transaction and records who made the change."""

import datetime
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from accounts.roles import require_perm
from core import spreadsheets

from .models import Agreement, PartnerCity, PartnerOrganisation


class RecordInUse(Exception):
    """The record cannot be deleted: other records refer to it."""

    def __init__(self, protected_objects):
        super().__init__("record in use")
        self.protected_objects = list(protected_objects)


def _split_values(model, values):
    many_to_many = {field.name for field in model._meta.many_to_many}
    columns = {name: value for name, value in values.items() if name not in many_to_many}
    relations = {name: value for name, value in values.items() if name in many_to_many}
    return columns, relations


def _save(record, *, columns, relations, by):
    """Who may write is decided here: the record's department's editors (and administrators),
    before the change and after it (a record moved to another department)."""
    change = f"partners.change_{record._meta.model_name}"
    if record.pk is not None:
        require_perm(by, change, record)
    if "measures" in relations:
        ensure_measure_links_permitted(record, relations["measures"], by=by)
    for name, value in columns.items():
        setattr(record, name, value)
    require_perm(by, change, record)
    record._history_user = by
    record.full_clean()
    record.save()
    for name, value in relations.items():
        getattr(record, name).set(value)
    return record


def ensure_measure_links_permitted(record, measures, *, by):
    """A link between a measure and a partner record belongs to the measure: only those who
    may edit the measure's department data (``partners.link_measure``) make or remove it,
    whoever keeps the record. The record form and the API send the whole set of measures;
    links they leave as they are need no permission."""
    current = set(record.measures.all()) if record.pk else set()
    changed = current.symmetric_difference(measures)
    refused = sorted(
        (m for m in changed if not by.has_perm("partners.link_measure", m)),
        key=lambda m: (m.section_id, m.group, m.number),
    )
    if refused:
        raise ValidationError(
            {
                "measures": _(
                    "Only the department responsible for a measure links partner records to "
                    "it: %(measures)s."
                )
                % {"measures": ", ".join(str(m) for m in refused)}
            },
            code="measure_link_refused",
        )


@transaction.atomic
def record_create(*, model, values, by):
    """Create a partner record from cleaned form values (many-to-many sets included)."""
    columns, relations = _split_values(model, values)
    return _save(model(), columns=columns, relations=relations, by=by)


@transaction.atomic
def record_update(*, record, values, by):
    columns, relations = _split_values(type(record), values)
    return _save(record, columns=columns, relations=relations, by=by)


@transaction.atomic
def record_delete(*, record, by):
    require_perm(by, f"partners.delete_{record._meta.model_name}", record)
    record._history_user = by
    try:
        record.delete()
    except ProtectedError as error:
        raise RecordInUse(error.protected_objects) from error


# The partner records a measure page links and unlinks, by the name the form sends.
LINKABLE_MODELS = {
    "city": PartnerCity,
    "organisation": PartnerOrganisation,
    "agreement": Agreement,
}


@transaction.atomic
def measure_link(*, measure, record, by):
    """Link a partner city, organisation or agreement to the measure (no-op when linked)."""
    require_perm(by, "partners.link_measure", measure)
    record._history_user = by
    record.measures.add(measure)


@transaction.atomic
def measure_unlink(*, measure, record, by):
    require_perm(by, "partners.link_measure", measure)
    record._history_user = by
    record.measures.remove(measure)


# --- spreadsheet import ------------------------------------------------------------------------


# The file as a whole cannot be imported (format, size, emptiness, headers); nothing is written.
ImportFileError = spreadsheets.SpreadsheetError


@dataclass
class RowError:
    row: int  # the row's number in the sheet; the header is row 1
    column: str
    message: str
    values: list = field(default_factory=list)  # (header, value) of the row's filled cells


@dataclass
class ImportReport:
    headers: list
    rows: list = field(default_factory=list)  # (sheet row number, "new"/"update", values)
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def new_count(self):
        return sum(1 for _number, kind, _values in self.rows if kind == "new")

    @property
    def update_count(self):
        return sum(1 for _number, kind, _values in self.rows if kind == "update")

    @property
    def unchanged_count(self):
        return sum(1 for _number, kind, _values in self.rows if kind == "unchanged")


def read_spreadsheet(*, name, content, resource):
    """The file's rows as a tablib Dataset whose headers are the resource's column names."""
    rows = spreadsheets.read_rows(name=name, content=content)

    def is_blank(row):
        return all(value is None or str(value).strip() == "" for value in row)

    rows = [row for row in rows if not is_blank(row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    aliases = resource.header_aliases()
    headers, unknown = [], []
    for value in rows[0]:
        header = "" if value is None else str(value).strip()
        if not header:
            unknown.append(_("(empty header)"))
            continue
        canonical = aliases.get(header.lower())
        if canonical is None:
            unknown.append(header)
        headers.append(canonical or header)
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(resource.importable_headers())}
        )
    duplicates = sorted({header for header in headers if headers.count(header) > 1})
    if duplicates:
        raise ImportFileError(
            _("Columns appear more than once: %(columns)s.") % {"columns": ", ".join(duplicates)}
        )
    missing = [header for header in resource.required_headers() if header not in headers]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(rows) == 1:
        raise ImportFileError(_("The file has headers but no rows."))
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append((list(row) + [None] * width)[:width])
    return dataset


def _report(resource, dataset, result):
    report = ImportReport(headers=list(dataset.headers))
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            for message in messages:
                report.errors.append(
                    RowError(invalid.number + 1, resource.column_for(attribute), message)
                )
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append(RowError(number + 1, "", str(error.error)))
    for error in result.base_errors:
        report.errors.append(RowError(0, "", str(error.error)))
    kinds = {
        RowResult.IMPORT_TYPE_NEW: "new",
        RowResult.IMPORT_TYPE_UPDATE: "update",
        RowResult.IMPORT_TYPE_SKIP: "unchanged",
    }
    for number, (values, row_result) in enumerate(zip(dataset, result.rows, strict=False), 1):
        kind = kinds.get(row_result.import_type)
        if kind:
            report.rows.append((number + 1, kind, list(values)))
    # The bad row itself beside its error: its filled cells, as read.
    for error in report.errors:
        if 2 <= error.row <= len(dataset) + 1:
            cells = zip(dataset.headers, dataset[error.row - 2], strict=False)
            error.values = [(h, v) for h, v in cells if v not in (None, "")]
    report.errors.sort(key=lambda error: error.row)
    return report


def import_records(*, resource, dataset, dry_run):
    """Import every row or none: any invalid row rolls the whole file back.

    With dry_run the rows are written and rolled back, so the preview sees exactly what the
    real import would do, database constraints included.
    """
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            collect_failed_rows=True,
            rollback_on_validation_errors=True,
        )
        report = _report(resource, dataset, result)
        if dry_run or not report.is_valid:
            transaction.set_rollback(True)
    return report


# Where previews wait for their confirmation: the portal's and the admin's (import-export's
# MediaStorage). Both are in the default storage, which every app server shares.
STAGING_FOLDERS = ("partner-imports", "django-import-export")


def staged_imports_clear(*, now=None):
    """Remove staged spreadsheets older than IMPORT_STALE_AFTER_SECONDS (previews that were
    never confirmed); returns how many. Run on each new import and by `clear_stale_imports`."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    removed = 0
    for folder in STAGING_FOLDERS:
        if not default_storage.exists(folder):
            continue
        for name in default_storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
            except FileNotFoundError:
                continue  # removed meanwhile by another server
    return removed
