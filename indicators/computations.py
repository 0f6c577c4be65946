"""Indicators computed from the partner records the staff keep anyway.

Each computation aggregates one partners model by year in a single GROUP BY query, and can
list the records behind the value of one year. The keys are stored in
``Indicator.computation``; add a computation here, never in a view.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core import cache as data_cache


@dataclass(frozen=True)
class Computation:
    key: str
    label: str
    model_label: str  # "app_label.ModelName"; resolved late so models can import this module
    # A DateField (the record's year is its year) or a year IntegerField.
    year_field: str
    aggregate: str  # "count" or the name of the field summed
    condition: Q = field(default_factory=Q)
    # The record fields shown on the "records behind the value" page, in order.
    columns: tuple[str, ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def _is_date(self):
        return self.model._meta.get_field(self.year_field).get_internal_type() == "DateField"

    def _in_years(self, first, last):
        if self._is_date:
            return Q(
                **{
                    f"{self.year_field}__gte": datetime.date(first, 1, 1),
                    f"{self.year_field}__lte": datetime.date(last, 12, 31),
                }
            )
        return Q(**{f"{self.year_field}__gte": first, f"{self.year_field}__lte": last})

    def values(self, years):
        """{year: value} for every year asked, zero where no record exists; one query, kept in
        the data-version cache until a partner record changes (it scans every record of the
        years; bench/README.md has what that costs)."""
        years = sorted(set(years))
        if not years:
            return {}
        first, last = years[0], years[-1]
        totals = data_cache.cached(
            "computation", (self.key, first, last), lambda: self._totals(first, last)
        )
        return {year: totals.get(year, Decimal(0)) for year in years}

    def _totals(self, first, last):
        year_expr = ExtractYear(self.year_field) if self._is_date else F(self.year_field)
        measure = Count("pk") if self.aggregate == "count" else Sum(self.aggregate)
        rows = (
            self.model.objects.filter(self.condition, self._in_years(first, last))
            .annotate(record_year=year_expr)
            .values("record_year")
            .annotate(total=measure)
            .order_by()
        )
        return {row["record_year"]: Decimal(row["total"] or 0) for row in rows}

    def records(self, year):
        """The records the value of `year` is computed from."""
        return self.model.objects.filter(self.condition, self._in_years(year, year)).order_by(
            self.year_field, "pk"
        )

    def column_labels(self):
        return [self.model._meta.get_field(name).verbose_name for name in self.columns]


REGISTRY = {
    computation.key: computation
    for computation in [
        Computation(
            key="agreements_concluded",
            label=_("Agreements concluded (by signing date)"),
            model_label="partners.Agreement",
            year_field="signed_on",
            aggregate="count",
            columns=("title", "kind", "level", "signed_on", "status"),
        ),
        Computation(
            key="residents_trained_abroad",
            label=_("Residents trained or interned abroad (headcount)"),
            model_label="partners.Exchange",
            year_field="year",
            aggregate="headcount",
            columns=("category", "headcount", "host", "country", "year"),
        ),
        Computation(
            key="delegations_received",
            label=_("Delegations received (incoming, by start date)"),
            model_label="partners.Delegation",
            year_field="start_date",
            aggregate="count",
            condition=Q(direction="incoming"),
            columns=("origin", "country", "start_date", "end_date", "headcount", "purpose"),
        ),
        Computation(
            key="events_attended",
            label=_("Events held or attended (by start date)"),
            model_label="partners.Event",
            year_field="start_date",
            aggregate="count",
            columns=("title", "kind", "level", "start_date", "place"),
        ),
        Computation(
            key="social_events",
            label=_("Joint events on social questions (by start date)"),
            model_label="partners.Event",
            year_field="start_date",
            aggregate="count",
            condition=Q(social_sphere=True),
            columns=("title", "kind", "level", "start_date", "place"),
        ),
    ]
}


def choices():
    return [(key, computation.label) for key, computation in REGISTRY.items()]


def get(key):
    return REGISTRY[key]
