from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf_serializers

from activities.models import Measure
from core.api.viewsets import ReadWriteViewSet, call_service
from partners import filters, services
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)

from . import serializers


def ids_only(relation, model):
    """Prefetch a many-to-many as bare ids: the API lists them, nothing more."""
    return Prefetch(relation, queryset=model.objects.only("id"))


class PartnerRecordViewSet(ReadWriteViewSet):
    """A partner register: readable by every portal role and API client, written by the editors
    of the department that keeps the record (partners/rules.py), through partners.services."""

    def get_permissions(self):
        model_name = self.queryset.model._meta.model_name
        self.add_permission = f"partners.add_{model_name}"
        self.change_permission = f"partners.change_{model_name}"
        return super().get_permissions()

    def perform_create(self, serializer):
        user = self.request.user
        values = dict(serializer.validated_data)
        values.setdefault("department", user.department)
        if values["department"] is None:  # an administrator without a department of their own
            raise drf_serializers.ValidationError({"department": [_("Choose the department.")]})
        serializer.instance = call_service(
            services.record_create, model=self.queryset.model, values=values, by=user
        )

    def perform_update(self, serializer):
        serializer.instance = call_service(
            services.record_update,
            record=serializer.instance,
            values=dict(serializer.validated_data),
            by=self.request.user,
        )


MEASURES = ids_only("measures", Measure)


class PartnerCityViewSet(PartnerRecordViewSet):
    queryset = PartnerCity.objects.prefetch_related(MEASURES).order_by("name_ru", "id")
    serializer_class = serializers.PartnerCitySerializer
    filterset_class = filters.PartnerCityFilter
    ordering_fields = ["name_ru", "sister_city_since", "updated_at", "id"]


class PartnerOrganisationViewSet(PartnerRecordViewSet):
    queryset = PartnerOrganisation.objects.prefetch_related(MEASURES).order_by("name", "id")
    serializer_class = serializers.PartnerOrganisationSerializer
    filterset_class = filters.PartnerOrganisationFilter
    ordering_fields = ["name", "updated_at", "id"]


class AgreementViewSet(PartnerRecordViewSet):
    queryset = Agreement.objects.prefetch_related(
        MEASURES,
        ids_only("partner_cities", PartnerCity),
        ids_only("partner_organisations", PartnerOrganisation),
    ).order_by("-signed_on", "id")
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    ordering_fields = ["signed_on", "valid_until", "title", "updated_at", "id"]


class DelegationViewSet(PartnerRecordViewSet):
    queryset = Delegation.objects.prefetch_related(MEASURES).order_by("-start_date", "id")
    serializer_class = serializers.DelegationSerializer
    filterset_class = filters.DelegationFilter
    ordering_fields = ["start_date", "headcount", "updated_at", "id"]


class ExchangeViewSet(PartnerRecordViewSet):
    queryset = Exchange.objects.prefetch_related(MEASURES).order_by("-year", "id")
    serializer_class = serializers.ExchangeSerializer
    filterset_class = filters.ExchangeFilter
    ordering_fields = ["year", "headcount", "updated_at", "id"]


class EventViewSet(PartnerRecordViewSet):
    queryset = Event.objects.prefetch_related(
        MEASURES, ids_only("partner_cities", PartnerCity)
    ).order_by("-start_date", "id")
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["start_date", "updated_at", "id"]
