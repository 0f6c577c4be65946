import tablib
from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from core import spreadsheets

from .forms import MAX_UPLOAD_BYTES
from .models import Agreement, Delegation, Event, Exchange, PartnerCity, PartnerOrganisation
from .resources import (
    AgreementResource,
    DelegationResource,
    EventResource,
    PartnerCityResource,
    PartnerOrganisationResource,
)


class LimitedFormatMixin:
    """The admin reads a spreadsheet as the portal does: within the import limits."""

    def create_dataset(self, in_stream, **kwargs):
        # Text formats come as str from import-export's staging storage.
        content = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        rows = spreadsheets.read_rows(name=f"import.{self.get_extension()}", content=content)
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = ["" if value is None else str(value) for value in rows[0]]
            width = len(dataset.headers)
            for row in rows[1:]:
                dataset.append((list(row) + [None] * width)[:width])
        return dataset


class LimitedCSV(LimitedFormatMixin, base_formats.CSV):
    pass


class LimitedXLSX(LimitedFormatMixin, base_formats.XLSX):
    pass


class LimitedImportForm(ImportForm):
    """Refuses a file over the limits before import-export stages it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            spreadsheets.read_rows(name=upload.name, content=upload.read())
        except spreadsheets.SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from error
        finally:
            upload.seek(0)
        return upload


class RecordAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    list_select_related = ("department",)
    autocomplete_fields = ("department",)
    filter_horizontal = ("measures",)
    import_formats = [LimitedXLSX, LimitedCSV]
    import_form_class = LimitedImportForm

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if request.method == "POST" and form is not None and form.errors:
            response.status_code = 400
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheets.SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Admin imports are kept by the administrator's department, as on the portal.
        return {"department": request.user.department, "user": request.user}


@admin.register(PartnerCity)
class PartnerCityAdmin(RecordAdmin):
    resource_classes = [PartnerCityResource]
    list_display = ("name_ru", "name_en", "country", "status", "sister_city_since", "department")
    list_filter = ("status", "country", "department")
    search_fields = ("name_ru", "name_en", "region")


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(RecordAdmin):
    resource_classes = [PartnerOrganisationResource]
    list_display = ("name", "kind", "country", "city", "department")
    list_filter = ("kind", "country", "department")
    list_select_related = ("department", "city")
    search_fields = ("name", "city_name")


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    resource_classes = [AgreementResource]
    list_display = ("title", "kind", "level", "status", "signed_on", "valid_until", "department")
    list_filter = ("kind", "level", "status", "department")
    search_fields = ("title", "parties")
    date_hierarchy = "signed_on"
    filter_horizontal = ("measures", "partner_cities", "partner_organisations")


@admin.register(Delegation)
class DelegationAdmin(RecordAdmin):
    resource_classes = [DelegationResource]
    list_display = ("start_date", "direction", "partner_city", "country", "headcount", "department")
    list_filter = ("direction", "country", "department")
    list_select_related = ("department", "partner_city")
    search_fields = ("purpose", "origin")
    date_hierarchy = "start_date"


@admin.register(Exchange)
class ExchangeAdmin(SimpleHistoryAdmin):
    list_display = ("year", "category", "headcount", "host_city", "country", "department")
    list_filter = ("category", "country", "department")
    list_select_related = ("department", "host_city")
    filter_horizontal = ("measures",)


@admin.register(Event)
class EventAdmin(RecordAdmin):
    resource_classes = [EventResource]
    list_display = ("title", "kind", "level", "start_date", "place", "department")
    list_filter = ("kind", "level", "social_sphere", "department")
    search_fields = ("title", "place")
    date_hierarchy = "start_date"
    filter_horizontal = ("measures", "partner_cities")
