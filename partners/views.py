"""Pages of partner records. The six kinds of record share one set of thin views, each
parameterised by its RecordType (model, form, filters, selectors, spreadsheet resource)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import portal_view, posted
from accounts.roles import require_perm
from activities.models import Department, Measure
from core import cache as data_cache
from core.cache import query_key
from core.forms import fast_selects, style_fields

from . import filters, forms, resources, selectors, services
from .models import Agreement, Delegation, Event, Exchange, PartnerCity, PartnerOrganisation

PAGE_SIZE = 50


@dataclass(frozen=True)
class RecordType:
    slug: str  # URL names are "<slug>_list", "<slug>_detail"…; templates "<slug>_detail.html"
    model: type
    form: type
    filterset: type
    list_selector: Callable
    detail_selector: Callable
    resource: type | None = None

    def perm(self, action):
        return f"partners.{action}_{self.model._meta.model_name}"

    def url_name(self, action):
        return f"partners:{self.slug}_{action}"

    def url(self, action, *args):
        return reverse(self.url_name(action), args=args)

    # For templates, which cannot pass arguments to methods.
    @property
    def list_url(self):
        return self.url("list")

    @property
    def create_url(self):
        return self.url("create")

    @property
    def export_url(self):
        return self.url("export") if self.resource else ""

    @property
    def import_url(self):
        return self.url("import") if self.resource else ""

    @property
    def perm_add(self):
        return self.perm("add")

    @property
    def perm_change(self):
        return self.perm("change")

    @property
    def perm_delete(self):
        return self.perm("delete")

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name


CITY = RecordType(
    "city",
    PartnerCity,
    forms.PartnerCityForm,
    filters.PartnerCityFilter,
    selectors.city_list,
    selectors.city_get,
    resources.PartnerCityResource,
)
ORGANISATION = RecordType(
    "organisation",
    PartnerOrganisation,
    forms.PartnerOrganisationForm,
    filters.PartnerOrganisationFilter,
    selectors.organisation_list,
    selectors.organisation_get,
    resources.PartnerOrganisationResource,
)
AGREEMENT = RecordType(
    "agreement",
    Agreement,
    forms.AgreementForm,
    filters.AgreementFilter,
    selectors.agreement_list,
    selectors.agreement_get,
    resources.AgreementResource,
)
DELEGATION = RecordType(
    "delegation",
    Delegation,
    forms.DelegationForm,
    filters.DelegationFilter,
    selectors.delegation_list,
    selectors.delegation_get,
    resources.DelegationResource,
)
EXCHANGE = RecordType(
    "exchange",
    Exchange,
    forms.ExchangeForm,
    filters.ExchangeFilter,
    selectors.exchange_list,
    selectors.exchange_get,
)
EVENT = RecordType(
    "event",
    Event,
    forms.EventForm,
    filters.EventFilter,
    selectors.event_list,
    selectors.event_get,
    resources.EventResource,
)
RECORD_TYPES = [CITY, ORGANISATION, AGREEMENT, DELEGATION, EXCHANGE, EVENT]


def _context(record_type, **extra):
    return {"record_type": record_type, "record_types": RECORD_TYPES, **extra}


@portal_view
@require_GET
def index(request):
    return redirect(CITY.url_name("list"))


def _records_body(request, record_type, filterset, today):
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        record_type,
        filterset=filterset,
        page=page,
        records=page.object_list,
        today=today,
        table_template=f"partners/partials/{record_type.slug}_table.html",
    )
    # The request is for the links' query strings only ({% querystring %}).
    return render_to_string("partners/partials/record_list_body.html", context, request=request)


@portal_view
@require_GET
def record_list(request, record_type):
    require_perm(request.user, record_type.perm("view"))
    filterset = record_type.filterset(
        request.GET, queryset=record_type.list_selector(), request=request
    )
    fast_selects(style_fields(filterset.form))
    today = timezone.localdate()
    # A filter value that makes no sense (an unknown city, "abc" for a year) is the caller's
    # error: the form shows it, and the status says so.
    if filterset.errors:
        body, status = _records_body(request, record_type, filterset, today), 400
    else:
        # The filters, the table and the pages hold nothing of the user's (a GET form, no
        # token), so their HTML is kept under the data version: a hit neither queries the
        # records nor renders them (bench/README.md).
        body = data_cache.cached(
            f"partner-{record_type.slug}-list-html",
            (today, query_key(request)),
            lambda: _records_body(request, record_type, filterset, today),
        )
        status = 200
    return render(
        request, "partners/record_list.html", _context(record_type, body=body), status=status
    )


@portal_view
@require_GET
def record_detail(request, record_type, pk):
    require_perm(request.user, record_type.perm("view"))
    record = record_type.detail_selector(pk)
    return render(
        request,
        f"partners/{record_type.slug}_detail.html",
        _context(record_type, record=record, today=timezone.localdate()),
    )


@portal_view
@require_http_methods(["GET", "POST"])
def record_create(request, record_type):
    require_perm(request.user, record_type.perm("add"))
    initial = {}
    if request.method == "GET" and request.GET.get("measure", "").isdigit():
        initial["measures"] = [int(request.GET["measure"])]
    form = record_type.form(*posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                model=record_type.model, values=form.save_values(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect(record)
    status = 400 if form.is_bound else 200
    return render(
        request, "partners/record_form.html", _context(record_type, form=form), status=status
    )


@portal_view
@require_http_methods(["GET", "POST"])
def record_edit(request, record_type, pk):
    record = get_object_or_404(record_type.model, pk=pk)
    require_perm(request.user, record_type.perm("change"), record)
    form = record_type.form(*posted(request), instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(record=record, values=form.save_values(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(record)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "partners/record_form.html",
        _context(record_type, form=form, record=record),
        status=status,
    )


@portal_view
@require_POST
def record_delete(request, record_type, pk):
    record = get_object_or_404(record_type.model, pk=pk)
    require_perm(request.user, record_type.perm("delete"), record)
    try:
        services.record_delete(record=record, by=request.user)
    except services.RecordInUse as error:
        return render(
            request,
            "partners/record_in_use.html",
            _context(record_type, record=record, protected=error.protected_objects[:20]),
            status=409,
        )
    messages.success(request, _("The record has been deleted."))
    return redirect(record_type.url_name("list"))


@portal_view
@require_GET
def record_history(request, record_type, pk):
    require_perm(request.user, record_type.perm("view"))
    record = get_object_or_404(record_type.model, pk=pk)
    return render(
        request,
        "partners/record_history.html",
        _context(record_type, record=record, entries=selectors.history_entries(record)),
    )


# --- spreadsheets --------------------------------------------------------------------------------

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@portal_view
@require_GET
def record_export(request, record_type):
    """The list as filtered on the page, as XLSX or CSV."""
    require_perm(request.user, record_type.perm("view"))
    file_format = request.GET.get("format", "xlsx")
    if file_format not in EXPORT_FORMATS or record_type.resource is None:
        return HttpResponseBadRequest(_("Unknown export format."))
    filterset = record_type.filterset(
        request.GET, queryset=selectors.with_measures(record_type.list_selector())
    )
    # In a workbook numbers and dates stay numbers and dates (a CSV file holds text anyway);
    # the sheet is named after the records.
    dataset = record_type.resource().export(filterset.qs, force_native_type=file_format == "xlsx")
    dataset.title = str(capfirst(record_type.model._meta.verbose_name_plural))[:31]
    content = dataset.export(file_format)
    if file_format == "csv":
        # With the byte-order mark Excel opens the Cyrillic text correctly.
        content = content.encode("utf-8-sig")
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    filename = f"{record_type.model._meta.model_name}-{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def _pending_imports(request):
    return request.session.setdefault("partners_imports", {})


@portal_view
@require_http_methods(["GET", "POST"])
def record_import(request, record_type):
    """Upload a spreadsheet and see what it would create or update, row errors included."""
    if record_type.resource is None:
        raise PermissionDenied
    require_perm(request.user, "partners.import_records")
    form = forms.ImportUploadForm(*posted(request), user=request.user)
    context = _context(record_type, form=form)
    if request.method == "GET":
        return render(request, "partners/record_import.html", context)
    if not form.is_valid():
        return render(request, "partners/record_import.html", context, status=400)
    services.staged_imports_clear()
    upload = form.cleaned_data["file"]
    department = form.cleaned_data["department"]
    content = upload.read()
    resource = record_type.resource(department=department, user=request.user)
    try:
        dataset = services.read_spreadsheet(name=upload.name, content=content, resource=resource)
    except services.ImportFileError as error:
        form.add_error("file", str(error))
        return render(request, "partners/record_import.html", context, status=400)
    report = services.import_records(resource=resource, dataset=dataset, dry_run=True)
    context["report"] = report
    if not report.is_valid:
        return render(request, "partners/record_import.html", context, status=400)
    # Keep the file until the user confirms; app servers share the default storage.
    token = uuid.uuid4().hex
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = default_storage.save(f"partner-imports/{token}{suffix}", ContentFile(content))
    _pending_imports(request)[token] = {
        "path": path,
        "slug": record_type.slug,
        "department": department.pk,
        "name": upload.name,
    }
    request.session.modified = True
    context["token"] = token
    return render(request, "partners/record_import.html", context)


@portal_view
@require_POST
def record_import_confirm(request, record_type):
    if record_type.resource is None:
        raise PermissionDenied
    require_perm(request.user, "partners.import_records")
    pending = _pending_imports(request).pop(request.POST.get("token", ""), None)
    request.session.modified = True
    content = None
    if pending is not None and pending["slug"] == record_type.slug:
        try:
            with default_storage.open(pending["path"], "rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            pass  # removed as stale (services.staged_imports_clear)
        else:
            default_storage.delete(pending["path"])
    if content is None:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect(record_type.url_name("import"))
    department = get_object_or_404(Department, pk=pending["department"])
    resource = record_type.resource(department=department, user=request.user)
    form = forms.ImportUploadForm(user=request.user)
    context = _context(record_type, form=form)
    try:
        dataset = services.read_spreadsheet(
            name=pending["name"], content=content, resource=resource
        )
    except services.ImportFileError as error:
        messages.error(request, str(error))
        return render(request, "partners/record_import.html", context, status=400)
    report = services.import_records(resource=resource, dataset=dataset, dry_run=False)
    if not report.is_valid:
        context["report"] = report
        return render(request, "partners/record_import.html", context, status=400)
    messages.success(
        request,
        _("Imported: %(new)s new, %(updated)s updated.")
        % {"new": report.new_count, "updated": report.update_count},
    )
    return redirect(record_type.url_name("list"))


# --- links between a measure and partner records (htmx) -------------------------------------------


def measure_partners_response(request, measure, *, status=200, error=None):
    can_link = request.user.has_perm("partners.link_measure", measure)
    context = {
        "measure": measure,
        "can_link": can_link,
        "link_error": error,
        **selectors.measure_partners(measure, with_choices=can_link),
    }
    return render(request, "partners/partials/measure_partners_body.html", context, status=status)


def _measure_link_change(request, measure_id, service):
    measure = get_object_or_404(Measure.objects.select_related("section"), pk=measure_id)
    require_perm(request.user, "partners.link_measure", measure)
    form = forms.MeasureLinkForm(request.POST)
    record = None
    if form.is_valid():
        model = services.LINKABLE_MODELS[form.cleaned_data["kind"]]
        record = model.objects.filter(pk=form.cleaned_data["record"]).first()
    if record is None:
        error = _("Choose a partner record to link.")
        if not request.htmx:
            messages.error(request, error)
        return measure_partners_response(request, measure, status=400, error=error)
    service(measure=measure, record=record, by=request.user)
    if not request.htmx:
        return redirect(measure)
    return measure_partners_response(request, measure)


@portal_view
@require_POST
def measure_link(request, measure_id):
    return _measure_link_change(request, measure_id, services.measure_link)


@portal_view
@require_POST
def measure_unlink(request, measure_id):
    return _measure_link_change(request, measure_id, services.measure_unlink)
