"""What the portal's search looks through: one ``Kind`` per kind of record.

Each kind names the columns of its full-text document (searched with PostgreSQL's ``russian``
configuration), the short name columns compared by trigram word similarity (typos in names),
and where its visible rows come from (``visible``: the same querysets and rules the pages use).
The stored ``search_document`` columns and the GIN indexes of search/migrations are built on
exactly these columns: change a kind's columns and add a migration with the new document.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import ExpectedResult, Measure, ProgressReport, StrategicPlan
from indicators.models import Indicator
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    PartnerCity,
    PartnerOrganisation,
)


def _everyone(model, *related):
    """Records every portal reader sees (plan, indicators, partner records)."""

    def visible(user):
        return model.objects.select_related(*related) if related else model.objects.all()

    visible.model = model
    return visible


def _visible_reports(user):
    return ProgressReport.objects.visible_to(user).select_related("measure__section")


_visible_reports.model = ProgressReport


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    visible: object  # user -> queryset
    document: tuple  # columns of the full-text document, the title first
    names: tuple = ()  # columns compared by trigram word similarity
    title: str | None = None  # a column shown highlighted as the result's title
    heading: object = None  # obj -> text shown before the title
    url: object = None  # obj -> its page; by default obj.get_absolute_url()

    def url_of(self, obj):
        return self.url(obj) if self.url else obj.get_absolute_url()

    @property
    def text(self):
        """The columns of the highlighted snippet: the document without the title."""
        return tuple(column for column in self.document if column != self.title)


def _measure_heading(measure):
    return gettext("Measure %(code)s") % {"code": measure.code}


def _result_heading(result):
    return gettext("Expected result %(number)s, section %(section)s") % {
        "number": result.position,
        "section": result.section.number,
    }


def _report_heading(report):
    return gettext("Report on measure %(code)s, %(period)s") % {
        "code": report.measure.code,
        "period": report.period,
    }


def _with_city(record, city):
    return f"{record} · {city}" if city else str(record)


KINDS = (
    Kind(
        "plan",
        _("Plans"),
        _everyone(StrategicPlan),
        document=("title", "legal_act"),
        names=("title",),
        title="title",
    ),
    Kind(
        "measure",
        _("Measures"),
        _everyone(Measure, "section"),
        document=("text",),
        heading=_measure_heading,
    ),
    Kind(
        "expected_result",
        _("Expected results"),
        _everyone(ExpectedResult, "section"),
        document=("text",),
        heading=_result_heading,
        url=lambda result: reverse("activities:section_detail", args=[result.section_id]),
    ),
    Kind(
        "indicator",
        _("Indicators"),
        _everyone(Indicator),
        document=("name", "code", "description"),
        names=("name",),
        title="name",
        heading=lambda indicator: indicator.code,
    ),
    Kind(
        "city",
        _("Partner cities"),
        _everyone(PartnerCity),
        document=("name_ru", "name_en", "region", "notes"),
        names=("name_ru", "name_en"),
        title="name_ru",
    ),
    Kind(
        "organisation",
        _("Partner organisations"),
        _everyone(PartnerOrganisation),
        document=("name", "city_name", "notes"),
        names=("name",),
        title="name",
    ),
    Kind(
        "agreement",
        _("Agreements"),
        _everyone(Agreement),
        document=("title", "parties", "notes"),
        names=("title",),
        title="title",
    ),
    Kind(
        "delegation",
        _("Delegations"),
        _everyone(Delegation, "partner_city"),
        document=("purpose", "origin", "notes"),
        names=("origin",),
        heading=lambda delegation: _with_city(delegation, delegation.partner_city),
    ),
    Kind(
        "exchange",
        _("Exchanges, trainings and internships"),
        _everyone(Exchange, "host_city"),
        document=("description", "host", "notes"),
        names=("host",),
        heading=lambda exchange: _with_city(exchange, exchange.host_city),
    ),
    Kind(
        "event",
        _("Events"),
        _everyone(Event),
        document=("title", "place", "notes"),
        names=("title",),
        title="title",
    ),
    Kind(
        "report",
        _("Progress reports"),
        _visible_reports,
        document=("text",),
        heading=_report_heading,
    ),
)

BY_SLUG = {kind.slug: kind for kind in KINDS}
