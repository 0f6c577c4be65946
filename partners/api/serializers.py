from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from activities.models import Department, Measure
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)

COMMON = ["id", "department", "notes", "created_at", "updated_at"]


class RecordSerializer(serializers.ModelSerializer):
    """A partner record; `department` defaults to the caller's own and only an administrator
    may name another one (checked in the view, with the record rules)."""

    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False
    )
    measures = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.all(), many=True, required=False
    )

    def validate_department(self, department):
        user = self.context["request"].user
        others = department is not None and department.pk != user.department_id
        if others and not user.has_perm("accounts.administer"):
            raise serializers.ValidationError(
                _("You may keep records only for your own department.")
            )
        return department


class CountryRecordSerializer(RecordSerializer):
    country = CountryField(country_dict=False)


class PartnerCitySerializer(CountryRecordSerializer):
    class Meta:
        model = PartnerCity
        fields = [
            *COMMON, "name_ru", "name_en", "country", "region", "sister_city_since",
            "since_year_only", "status", "measures",
        ]  # fmt: skip


class PartnerOrganisationSerializer(CountryRecordSerializer):
    class Meta:
        model = PartnerOrganisation
        fields = [
            *COMMON, "name", "kind", "country", "city", "city_name", "website", "measures",
        ]  # fmt: skip


class AgreementSerializer(RecordSerializer):
    partner_cities = serializers.PrimaryKeyRelatedField(
        queryset=PartnerCity.objects.all(), many=True, required=False
    )
    partner_organisations = serializers.PrimaryKeyRelatedField(
        queryset=PartnerOrganisation.objects.all(), many=True, required=False
    )
    document = serializers.FileField(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            *COMMON, "title", "kind", "level", "partner_cities", "partner_organisations",
            "parties", "signed_on", "valid_until", "status", "document", "measures",
        ]  # fmt: skip


class DelegationSerializer(CountryRecordSerializer):
    class Meta:
        model = Delegation
        fields = [
            *COMMON, "direction", "partner_city", "partner_organisation", "origin", "country",
            "start_date", "end_date", "headcount", "purpose", "measures",
        ]  # fmt: skip


class ExchangeSerializer(CountryRecordSerializer):
    class Meta:
        model = Exchange
        fields = [
            *COMMON, "category", "headcount", "host_city", "host_organisation", "host",
            "country", "year", "description", "measures",
        ]  # fmt: skip


class EventSerializer(CountryRecordSerializer):
    partner_cities = serializers.PrimaryKeyRelatedField(
        queryset=PartnerCity.objects.all(), many=True, required=False
    )

    class Meta:
        model = Event
        fields = [
            *COMMON, "title", "kind", "level", "start_date", "end_date", "place", "country",
            "partner_cities", "participants", "social_sphere", "measures",
        ]  # fmt: skip
