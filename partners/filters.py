"""One FilterSet per partner list, on model fields, so the pages and the REST API filter alike."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Department
from core.fields import CachedModelChoiceFilter
from core.filters import UpdatedSinceFilterSet, YearFilter

from .forms import MeasureChoiceField, country_choices, measure_queryset
from .models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    Level,
    PartnerCity,
    PartnerOrganisation,
)


class MeasureFilter(django_filters.ModelChoiceFilter):
    field_class = MeasureChoiceField


def partner_cities(request):
    return PartnerCity.objects.order_by("name_ru")


class RecordFilterSet(UpdatedSinceFilterSet):
    """Common filters: text search, country, department and measure."""

    # Fields searched by `q`, set by each subclass.
    search_fields = ()

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    country = django_filters.ChoiceFilter(label=_("country"), choices=country_choices)
    department = CachedModelChoiceFilter(
        cache_name="departments",
        label=_("department"),
        queryset=Department.objects.order_by("name"),
        field_name="department",
    )
    measure = MeasureFilter(label=_("measure"), queryset=measure_queryset(), field_name="measures")

    # Filters with thousands of choices in a large city (measures, partner cities) are reached
    # through links from a measure's or a city's page: their select offers only the chosen one.
    linked_filters = ("measure", "partner_city")

    @property
    def form(self):
        form = super().form
        if not getattr(form, "linked_choices_trimmed", False):
            for name in self.linked_filters:
                if name in form.fields:
                    self._offer_only_the_chosen(form, name)
            form.linked_choices_trimmed = True
        return form

    @staticmethod
    def _offer_only_the_chosen(form, name):
        field = form.fields[name]
        choices = [("", field.empty_label or "—")]
        value = form.data.get(name)
        if value and str(value).isdigit():
            chosen = field.queryset.filter(pk=value).first()
            if chosen is not None:
                choices.append((chosen.pk, field.label_from_instance(chosen)))
        field.widget.choices = choices

    def filter_search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)


class PartnerCityFilter(RecordFilterSet):
    search_fields = ("name_ru", "name_en", "region")

    status = django_filters.ChoiceFilter(label=_("status"), choices=PartnerCity.Status.choices)
    year = YearFilter(
        label=_("sister city since (year)"), field_name="sister_city_since", lookup_expr="year"
    )
    sort = django_filters.OrderingFilter(
        fields=(("name_ru", "name_ru"), ("country", "country"), ("sister_city_since", "since")),
        label=_("Sort"),
    )

    class Meta:
        model = PartnerCity
        fields = ["q", "country", "status", "year", "department", "measure"]


class PartnerOrganisationFilter(RecordFilterSet):
    search_fields = ("name", "city_name")

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=PartnerOrganisation.Kind.choices)
    partner_city = django_filters.ModelChoiceFilter(
        label=_("partner city"), queryset=partner_cities, field_name="city"
    )
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("country", "country")), label=_("Sort")
    )

    class Meta:
        model = PartnerOrganisation
        fields = ["q", "kind", "country", "partner_city", "department", "measure"]


class AgreementFilter(RecordFilterSet):
    EXPIRING = "expiring"
    EXPIRED = "expired"

    search_fields = ("title", "parties")

    country = django_filters.ChoiceFilter(
        label=_("country"),
        choices=country_choices,
        field_name="partner_cities__country",
        distinct=True,
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Agreement.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Agreement.Status.choices)
    year = YearFilter(label=_("year signed"), field_name="signed_on", lookup_expr="year")
    partner_city = django_filters.ModelChoiceFilter(
        label=_("partner city"), queryset=partner_cities, field_name="partner_cities"
    )
    expiry = django_filters.ChoiceFilter(
        label=_("term"),
        choices=[(EXPIRING, _("expiring within 90 days")), (EXPIRED, _("expired"))],
        method="filter_expiry",
    )
    sort = django_filters.OrderingFilter(
        fields=(("title", "title"), ("signed_on", "signed_on"), ("valid_until", "valid_until")),
        label=_("Sort"),
    )

    class Meta:
        model = Agreement
        fields = [
            "q",
            "kind",
            "level",
            "status",
            "country",
            "year",
            "partner_city",
            "department",
            "measure",
            "expiry",
        ]

    def filter_expiry(self, queryset, name, value):
        today = timezone.localdate()
        if value == self.EXPIRING:
            return queryset.expiring(today)
        return queryset.expired(today)


class DelegationFilter(RecordFilterSet):
    search_fields = ("purpose", "origin", "partner_city__name_ru")

    direction = django_filters.ChoiceFilter(
        label=_("direction"), choices=Delegation.Direction.choices
    )
    year = YearFilter(label=_("year"), field_name="start_date", lookup_expr="year")
    partner_city = django_filters.ModelChoiceFilter(
        label=_("partner city"), queryset=partner_cities, field_name="partner_city"
    )
    sort = django_filters.OrderingFilter(
        fields=(("start_date", "start_date"), ("headcount", "headcount"), ("country", "country")),
        label=_("Sort"),
    )

    class Meta:
        model = Delegation
        fields = ["q", "direction", "country", "year", "partner_city", "department", "measure"]


class ExchangeFilter(RecordFilterSet):
    search_fields = ("description", "host", "host_city__name_ru")

    category = django_filters.ChoiceFilter(label=_("category"), choices=Exchange.Category.choices)
    year = YearFilter(label=_("year"), field_name="year")
    partner_city = django_filters.ModelChoiceFilter(
        label=_("partner city"), queryset=partner_cities, field_name="host_city"
    )
    sort = django_filters.OrderingFilter(
        fields=(("year", "year"), ("category", "category"), ("headcount", "headcount")),
        label=_("Sort"),
    )

    class Meta:
        model = Exchange
        fields = ["q", "category", "country", "year", "partner_city", "department", "measure"]


class EventFilter(RecordFilterSet):
    search_fields = ("title", "place")

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Event.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    year = YearFilter(label=_("year"), field_name="start_date", lookup_expr="year")
    partner_city = django_filters.ModelChoiceFilter(
        label=_("partner city"), queryset=partner_cities, field_name="partner_cities"
    )
    social_sphere = django_filters.BooleanFilter(label=_("on social questions"))
    sort = django_filters.OrderingFilter(
        fields=(("start_date", "start_date"), ("title", "title"), ("kind", "kind")),
        label=_("Sort"),
    )

    class Meta:
        model = Event
        fields = [
            "q",
            "kind",
            "level",
            "country",
            "year",
            "partner_city",
            "social_sphere",
            "department",
            "measure",
        ]
