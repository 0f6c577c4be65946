from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Delegation, Event, Exchange, PartnerCity, PartnerOrganisation
from .resources import (
    AgreementResource,
    DelegationResource,
    EventResource,
    PartnerCityResource,
    PartnerOrganisationResource,
)


class RecordAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    list_select_related = ("department",)
    autocomplete_fields = ("department",)
    filter_horizontal = ("measures",)

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
