"""What leaves the portal: the public portal's pages and the open data (design.md,
"Publication").

The plan's text (sections, goals, tasks, measures, expected results, indicators and their
targets) is a published legal document and is always public. Figures — actual values, degrees,
statuses, what was done per measure, reasons for deviation — are public only for the years whose
annual report a head or an administrator has published, and only from approved items. Nothing
names a member of staff or carries a reviewer's comment.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from activities.models import Measure, Section, StrategicPlan
from indicators.models import Indicator
from indicators.selectors import Status, indicator_progress, indicator_years

from .models import PublishedReport
from .selectors import annual_report


def published_years():
    """The published years, newest first."""
    return list(PublishedReport.objects.order_by("-year").values_list("year", flat=True))


def plans():
    """Every plan with its sections in plan order and their counts; two queries."""
    sections = Section.objects.annotate(
        measure_count=Count("measures", distinct=True),
        indicator_count=Count("expected_results__indicators", distinct=True),
    ).order_by("position", "number")
    return list(
        StrategicPlan.objects.prefetch_related(Prefetch("sections", queryset=sections)).order_by(
            "status", "title"
        )
    )


def section_get(section_id):
    """A section with its goal, tasks, measures (in plan order) and expected results with their
    indicators; a fixed number of queries."""
    return get_object_or_404(
        Section.objects.select_related("plan").prefetch_related(
            "goals",
            "tasks",
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("department").order_by("group", "number"),
            ),
            Prefetch("expected_results__indicators", queryset=Indicator.objects.order_by("code")),
        ),
        pk=section_id,
    )


@dataclass(frozen=True)
class PublicYear:
    """One year of an indicator as the public sees it: the target always, the figures only
    when the year is published."""

    year: int
    target: Decimal | None  # in force at the end of the year
    published: bool
    actual: Decimal | None
    degree: Decimal | None
    status: str
    original_target: Decimal | None = None
    target_act: object = None  # the act that set `target`; None: the plan as approved
    milestone_due: bool = False  # a milestone: due by the end of the year (its target)
    milestone_status: str = ""  # a milestone's status, only when the year is published

    @property
    def percent(self):
        return None if self.degree is None else self.degree * 100

    @property
    def status_label(self):
        return Status(self.status).label


def indicator_years_public(indicator, published):
    """[PublicYear] over the indicator's plan years; approved values only."""
    years = list(indicator_years(indicator))
    progress = indicator_progress([indicator], years).indicators[0]
    return [_public_year(item, item.year in published) for item in progress.years]


def _public_year(item, published):
    targets = {
        "original_target": item.original_target,
        "target_act": item.target_act,
        "milestone_due": item.milestone_due,
    }
    if not published:
        return PublicYear(item.year, item.target, False, None, None, Status.NONE, **targets)
    return PublicYear(
        item.year,
        item.target,
        True,
        item.actual,
        item.degree,
        item.status,
        milestone_status=item.milestone_status,
        **targets,
    )


def report_get(year):
    """The published annual report of `year` (the staff report's figures, from the same
    selector), or 404."""
    get_object_or_404(PublishedReport, year=year)
    return annual_report(year=year)
