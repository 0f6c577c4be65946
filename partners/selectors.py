"""Reads of partner records shared by the pages, the exports and (later) the API.

Every list is a single query for its rows plus one per prefetched relation, whatever its size.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from activities.models import Measure

from .models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)


def _measures():
    return Measure.objects.select_related("section").order_by("section__number", "group", "number")


def with_measures(queryset):
    """A list queryset with its records' measures, for exports that name them."""
    return queryset.prefetch_related(Prefetch("measures", queryset=_measures()))


def city_list():
    return (
        PartnerCity.objects.select_related("department")
        .annotate(
            agreement_count=Count("agreements", distinct=True),
            delegation_count=Count("delegations", distinct=True),
        )
        .order_by("name_ru")
    )


def _count_of(queryset, field):
    """The number of rows of ``queryset`` whose ``field`` is the outer city: a subquery, so
    that several counts are not multiplied by each other's joins."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def city_map():
    """The cities with coordinates, each with the number of its agreements, delegations,
    exchanges, events and organisations; one query."""
    return (
        PartnerCity.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(
            agreement_count=_count_of(Agreement.partner_cities.through.objects, "partnercity"),
            delegation_count=_count_of(Delegation.objects, "partner_city"),
            exchange_count=_count_of(Exchange.objects, "host_city"),
            event_count=_count_of(Event.partner_cities.through.objects, "partnercity"),
            organisation_count=_count_of(PartnerOrganisation.objects, "city"),
        )
        .order_by("name_ru")
    )


def cities_without_coordinates():
    return PartnerCity.objects.filter(latitude__isnull=True).count()


def organisation_list():
    return PartnerOrganisation.objects.select_related("department", "city").order_by("name")


def agreement_list(today=None):
    today = today or timezone.localdate()
    return (
        Agreement.objects.with_expiry(today)
        .select_related("department")
        .prefetch_related(
            Prefetch("partner_cities", queryset=PartnerCity.objects.order_by("name_ru")),
            Prefetch(
                "partner_organisations", queryset=PartnerOrganisation.objects.order_by("name")
            ),
        )
    )


def delegation_list():
    return Delegation.objects.select_related("department", "partner_city", "partner_organisation")


def exchange_list():
    return Exchange.objects.select_related("department", "host_city", "host_organisation")


def event_list():
    return Event.objects.select_related("department").prefetch_related(
        Prefetch("partner_cities", queryset=PartnerCity.objects.order_by("name_ru"))
    )


def city_get(pk):
    """A partner city with everything tied to it, in a fixed number of queries."""
    today = timezone.localdate()
    delegations = Delegation.objects.select_related("partner_organisation").order_by("-start_date")
    return get_object_or_404(
        PartnerCity.objects.select_related("department").prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.with_expiry(today).order_by("-signed_on"),
            ),
            Prefetch(
                "delegations",
                queryset=delegations.filter(direction=Delegation.Direction.INCOMING),
                to_attr="incoming_delegations",
            ),
            Prefetch(
                "delegations",
                queryset=delegations.filter(direction=Delegation.Direction.OUTGOING),
                to_attr="outgoing_delegations",
            ),
            Prefetch(
                "exchanges",
                queryset=Exchange.objects.select_related("host_organisation").order_by("-year"),
            ),
            Prefetch("events", queryset=Event.objects.order_by("-start_date")),
            Prefetch("organisations", queryset=PartnerOrganisation.objects.order_by("name")),
            Prefetch("measures", queryset=_measures()),
        ),
        pk=pk,
    )


def organisation_get(pk):
    return get_object_or_404(
        PartnerOrganisation.objects.select_related("department", "city").prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.order_by("-signed_on")),
            Prefetch("delegations", queryset=Delegation.objects.order_by("-start_date")),
            Prefetch("exchanges", queryset=Exchange.objects.order_by("-year")),
            Prefetch("measures", queryset=_measures()),
        ),
        pk=pk,
    )


def agreement_get(pk):
    return get_object_or_404(
        agreement_list().prefetch_related(Prefetch("measures", queryset=_measures())), pk=pk
    )


def delegation_get(pk):
    return get_object_or_404(
        delegation_list().prefetch_related(Prefetch("measures", queryset=_measures())), pk=pk
    )


def exchange_get(pk):
    return get_object_or_404(
        exchange_list().prefetch_related(Prefetch("measures", queryset=_measures())), pk=pk
    )


def event_get(pk):
    return get_object_or_404(
        event_list().prefetch_related(Prefetch("measures", queryset=_measures())), pk=pk
    )


def measure_partners(measure, *, with_choices):
    """What a measure page shows of partners; `with_choices` adds the records one may link."""
    data = {
        "cities": list(measure.partner_cities.order_by("name_ru")),
        "organisations": list(measure.partner_organisations.order_by("name")),
        "agreements": list(measure.agreements.order_by("-signed_on")),
        "delegations": list(
            measure.delegations.select_related("partner_city", "partner_organisation").order_by(
                "-start_date"
            )
        ),
        "events": list(measure.events.order_by("-start_date")),
    }
    if with_choices:
        data["city_choices"] = list(
            PartnerCity.objects.exclude(measures=measure).order_by("name_ru")
        )
        data["organisation_choices"] = list(
            PartnerOrganisation.objects.exclude(measures=measure).order_by("name")
        )
        data["agreement_choices"] = list(
            Agreement.objects.exclude(measures=measure)
            .prefetch_related("partner_cities")
            .order_by("-signed_on")
        )
    return data


def history_entries(record):
    """The record's history, newest first, each entry with its changes against the previous."""
    entries = list(record.history.select_related("history_user").order_by("-history_date"))
    result = []
    for index, entry in enumerate(entries):
        previous = entries[index + 1] if index + 1 < len(entries) else None
        changes = []
        if previous is not None:
            changes = entry.diff_against(previous).changes
        result.append({"entry": entry, "changes": changes})
    return result
