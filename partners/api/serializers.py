from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from activities.models import Department, Measure
from partners.fields import (
    AGREEMENT_FIELDS,
    CITY_FIELDS,
    DELEGATION_FIELDS,
    EVENT_FIELDS,
    EXCHANGE_FIELDS,
    ORGANISATION_FIELDS,
)
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)

# An API record: these, then its kind's own fields (partners/fields.py), then "measures".
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
        fields = [*COMMON, *CITY_FIELDS, "measures"]


class PartnerOrganisationSerializer(CountryRecordSerializer):
    class Meta:
        model = PartnerOrganisation
        fields = [*COMMON, *ORGANISATION_FIELDS, "measures"]


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
        fields = [*COMMON, *AGREEMENT_FIELDS, "measures"]


class DelegationSerializer(CountryRecordSerializer):
    class Meta:
        model = Delegation
        fields = [*COMMON, *DELEGATION_FIELDS, "measures"]


class ExchangeSerializer(CountryRecordSerializer):
    class Meta:
        model = Exchange
        fields = [*COMMON, *EXCHANGE_FIELDS, "measures"]


class EventSerializer(CountryRecordSerializer):
    partner_cities = serializers.PrimaryKeyRelatedField(
        queryset=PartnerCity.objects.all(), many=True, required=False
    )

    class Meta:
        model = Event
        fields = [*COMMON, *EVENT_FIELDS, "measures"]
