"""Reads of the dashboards and the annual monitoring report.

Every figure comes from ``indicators.selectors.indicator_progress`` (degrees, statuses and the
roll-ups of expected results, sections and plans) or from one grouped SQL query; nothing is
counted in a Python loop over the database. The number of queries of each function is fixed:
it does not grow with the number of plans, sections, indicators, measures or agreements.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.roles import (
    department_scope,
    is_administrator,
    is_editor,
    is_head,
    own_unfinished_work,
)
from activities import selectors as activity_selectors
from activities.models import Measure, ProgressReport, Section, plan_in_genitive
from core.cache import cached
from core.workflow import EDITABLE_STATES, WorkflowState
from indicators import selectors as indicator_selectors
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Status, indicator_progress, indicator_queryset
from notifications import calendar
from notifications.selectors import overdue_summary
from partners.models import Agreement

from .models import CorrectiveAction, PublishedReport, ReasonForDeviation, SectionProposal

LATEST_APPROVALS = 10
OPEN_ACTIONS_SHOWN = 10
LATE_MEASURES_SHOWN = 10
EXPIRING_AGREEMENTS_SHOWN = 10
# The statuses counted on the dashboards, in the order they are shown.
COUNTED_STATUSES = (Status.ACHIEVED, Status.AT_RISK, Status.NOT_ACHIEVED, Status.MISSING)


# --- years -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanYears:
    first: int | None  # the first year with a target, None when no target exists
    last: int | None

    def chart_years(self, year):
        """The years the charts show: every target year, and the year looked at."""
        if self.first is None:
            return [year]
        return list(range(min(self.first, year), max(self.last, year) + 1))


def plan_years():
    bounds = Target.objects.aggregate(first=Min("year"), last=Max("year"))
    return PlanYears(bounds["first"], bounds["last"])


# --- pieces shared by the dashboards ---------------------------------------------------------


def percent(value):
    """A degree (0.9512) as a percentage (95.12), None kept."""
    return None if value is None else value * 100


def status_of_mean(mean):
    """The colour of a roll-up: the methodology's thresholds applied to a mean degree."""
    if mean is None:
        return Status.NONE
    if mean >= 1:
        return Status.ACHIEVED
    if mean >= Decimal("0.90"):
        return Status.AT_RISK
    return Status.NOT_ACHIEVED


class YearMeanDisplay:
    """Percentage and colour of a `year_mean` (a mean capped degree), for the templates."""

    @property
    def percent(self):
        return percent(self.year_mean)

    @property
    def status(self):
        return status_of_mean(self.year_mean)


@dataclass(frozen=True)
class YearShare(YearMeanDisplay):
    """A roll-up (expected result, section, plan) in the year looked at."""

    id: int
    label: str
    year_mean: Decimal | None

    @property
    def plan_in_genitive(self):
        """For a plan's share: its name as it follows "of" (activities.models)."""
        return plan_in_genitive(self.label)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str


def status_counts(
    indicators, year, *, section_id=None, department_id=None, statuses=COUNTED_STATUSES
):
    """How many of `indicators` (IndicatorProgress) have each of `statuses` in `year`, each
    count linked to the indicator list filtered the same way."""
    counter = Counter(item.for_year(year).status for item in indicators)
    params = {"year": year}
    if section_id:
        params["section"] = section_id
    if department_id:
        params["department"] = department_id
    return [
        StatusCount(
            status.value,
            status.label,
            counter.get(status.value, 0),
            _url("indicators:indicator_list", **params, status=status.value),
        )
        for status in statuses
    ]


def _url(name, *args, **params):
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def _number(value):
    return None if value is None else float(value)


@dataclass(frozen=True)
class MeasureCounts:
    """Measures of a section by status; `late` counts those past their deadline, not done."""

    by_status: dict = field(default_factory=dict)  # {status value: count}
    late: int = 0

    @property
    def total(self):
        return sum(self.by_status.values())


def measure_counts_by_section(measures, today):
    """{section id: MeasureCounts} in one grouped query."""
    late_ids = Measure.objects.late(today).values("pk")
    rows = (
        measures.values("section_id")
        .annotate(
            late=Count("pk", filter=Q(pk__in=late_ids)),
            **{
                status.value: Count("pk", filter=Q(status=status.value))
                for status in Measure.Status
            },
        )
        .order_by()
    )
    return {
        row["section_id"]: MeasureCounts(
            {status.value: row[status.value] for status in Measure.Status}, row["late"]
        )
        for row in rows
    }


def late_measures(measures, today, limit=LATE_MEASURES_SHOWN):
    return list(
        measures.late(today)
        .select_related("section", "department")
        .order_by("deadline", "section__position", "group", "number")[:limit]
    )


# --- latest approvals ------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """One approved item, whatever its kind; the dashboard lists the latest of every source."""

    kind: str
    title: str
    period: str
    url: str
    reviewer: str
    reviewed_at: datetime.datetime
    # What was approved: an indicator's value in its unit (formatted by the page, 295,5 in
    # Russian), or a report's percent done.
    value: Decimal | None = None
    unit: str = ""
    percent: int | None = None
    milestone_status: str = ""  # a milestone's approved status, in words (it has no number)


def _indicator_value_approvals(department_id, limit):
    values = IndicatorValue.objects.filter(
        state=WorkflowState.APPROVED, reviewed_at__isnull=False
    ).select_related("indicator", "reviewer")
    if department_id:
        values = values.filter(indicator__department_id=department_id)
    return [
        Approval(
            kind="indicator_value",
            title=f"{value.indicator.code} {value.indicator.name}",
            period=value.period_label,
            value=value.value,
            unit=value.indicator.unit,
            milestone_status=value.get_milestone_status_display(),
            url=value.indicator.get_absolute_url(),
            reviewer=str(value.reviewer) if value.reviewer else "",
            reviewed_at=value.reviewed_at,
        )
        for value in values.order_by("-reviewed_at", "-pk")[:limit]
    ]


def _progress_report_approvals(department_id, limit):
    reports = ProgressReport.objects.filter(
        state=WorkflowState.APPROVED, reviewed_at__isnull=False
    ).select_related("measure", "reviewer")
    if department_id:
        reports = reports.filter(measure__department_id=department_id)
    return [
        Approval(
            kind="progress_report",
            title=f"{report.measure.code} {report.measure.text[:80]}",
            period=str(report.period),
            percent=report.percent_done,
            url=report.get_absolute_url(),
            reviewer=str(report.reviewer) if report.reviewer else "",
            reviewed_at=report.reviewed_at,
        )
        for report in reports.order_by("-reviewed_at", "-pk")[:limit]
    ]


# Each source returns its own latest `limit` approvals (one query); the dashboard merges them.
APPROVAL_SOURCES = [_indicator_value_approvals, _progress_report_approvals]


def latest_approvals(*, department_id=None, limit=LATEST_APPROVALS):
    items = [item for source in APPROVAL_SOURCES for item in source(department_id, limit)]
    return sorted(items, key=lambda item: item.reviewed_at, reverse=True)[:limit]


# --- agreements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementSummary:
    expiring: list
    expiring_count: int
    expired_count: int
    expiring_url: str
    expired_url: str


def agreement_summary(today, *, department_id=None):
    agreements = Agreement.objects.all()
    params = {}
    if department_id:
        agreements = agreements.filter(department_id=department_id)
        params["department"] = department_id
    counts = agreements.with_expiry(today).aggregate(
        expiring=Count("pk", filter=Q(is_expiring=True)),
        expired=Count("pk", filter=Q(is_expired=True)),
    )
    expiring = list(
        agreements.expiring(today).order_by("valid_until", "title")[:EXPIRING_AGREEMENTS_SHOWN]
    )
    return AgreementSummary(
        expiring=expiring,
        expiring_count=counts["expiring"],
        expired_count=counts["expired"],
        expiring_url=_url("partners:agreement_list", **params, expiry="expiring"),
        expired_url=_url("partners:agreement_list", **params, expiry="expired"),
    )


# --- home dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionRow(YearMeanDisplay):
    section: Section
    roll_up: object  # indicators.selectors.RollUp or None (a section without indicators)
    year_mean: Decimal | None
    measures: MeasureCounts
    status_counts: list
    chart: dict  # data of the section's chart (json_script)
    # Indicators whose forecast for the end of the year under way misses the target.
    forecast_at_risk: int = 0

    @property
    def chart_id(self):
        return f"section-chart-{self.section.pk}"


@dataclass(frozen=True)
class PlanRow(YearMeanDisplay):
    plan_id: int
    title: str
    year_mean: Decimal | None
    sections: list


@dataclass(frozen=True)
class HomeDashboard:
    year: int
    plan: object
    department: object
    today: datetime.date
    plans: list
    status_counts: list
    measure_totals: dict  # {status value: count}, plus "late"
    late_measures: list
    agreements: AgreementSummary
    approvals: list
    overdue: object  # notifications.selectors.Overdue
    forecast_at_risk: int = 0  # indicators at risk by this year's forecast, all sections

    @property
    def late_url(self):
        return measure_list_url(
            late="on", department=self.department.pk if self.department else None
        )


def section_chart(roll_up, years):
    """The section's mean capped degree (%) by year: one bar a year, coloured by status."""
    means = {item.year: item.mean for item in roll_up.years} if roll_up else {}
    values = [means.get(year) for year in years]
    return {
        "labels": list(years),
        "data": [_number(percent(value)) for value in values],
        "statuses": [status_of_mean(value).value for value in values],
    }


def home_dashboard(*, year, plan=None, department=None, today=None):
    """The plan's sections with their progress in `year`, indicator statuses, measures,
    agreements about to expire and the latest approvals; optionally for one department."""
    today = today or timezone.localdate()
    department_id = department.pk if department else None
    years = plan_years().chart_years(year)

    indicators = indicator_queryset()
    measures = Measure.objects.all()
    sections = Section.objects.select_related("plan").order_by("plan__title", "position", "number")
    if plan is not None:
        indicators = indicators.filter(expected_result__section__plan=plan)
        measures = measures.filter(section__plan=plan)
        sections = sections.filter(plan=plan)
    if department_id:
        indicators = indicators.filter(department_id=department_id)
        measures = measures.filter(department_id=department_id)
    progress = indicator_progress(indicators, years, today=today)

    by_section = {roll_up.id: roll_up for roll_up in progress.sections}
    indicators_by_section = {}
    for item in progress.indicators:
        indicators_by_section.setdefault(item.section_id, []).append(item)
    counts = measure_counts_by_section(measures, today)
    # Early warning is about the year under way, whichever year the page shows.
    at_risk = forecast_at_risk_by_section(indicators, today.year, today)

    plans = {}
    for section in sections:
        roll_up = by_section.get(section.pk)
        if roll_up is None and section.pk not in counts:
            continue  # nothing to show for this section (for this department)
        year_mean = roll_up.for_year(year).mean if roll_up else None
        row = SectionRow(
            section=section,
            roll_up=roll_up,
            year_mean=year_mean,
            measures=counts.get(section.pk, MeasureCounts()),
            status_counts=status_counts(
                indicators_by_section.get(section.pk, []),
                year,
                section_id=section.pk,
                department_id=department_id,
            ),
            chart=section_chart(roll_up, years),
            forecast_at_risk=at_risk.get(section.pk, 0),
        )
        plans.setdefault(section.plan_id, (section.plan, []))[1].append(row)

    plan_means = {roll_up.id: roll_up.for_year(year).mean for roll_up in progress.plans}
    plan_rows = [
        PlanRow(plan.pk, plan.title, plan_means.get(plan.pk), rows) for plan, rows in plans.values()
    ]
    totals = Counter()
    for row in (row for plan in plan_rows for row in plan.sections):
        totals.update(row.measures.by_status)
        totals["late"] += row.measures.late
    return HomeDashboard(
        year=year,
        plan=plan,
        department=department,
        today=today,
        plans=plan_rows,
        status_counts=status_counts(progress.indicators, year, department_id=department_id),
        measure_totals=dict(totals),
        late_measures=late_measures(measures, today),
        agreements=agreement_summary(today, department_id=department_id),
        approvals=latest_approvals(department_id=department_id),
        overdue=overdue_summary(
            today=today, department_id=department_id, plan_id=plan.pk if plan else None
        ),
        forecast_at_risk=sum(at_risk.values()),
    )


# --- section dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator in `year`, with its figures over the plan years for a sparkline."""

    progress: object  # indicators.selectors.IndicatorProgress
    item: object  # indicators.selectors.YearProgress of `year`
    sparkline: dict
    forecast: object = None  # indicators.forecast.Forecast: the current year's, if any

    @property
    def chart_id(self):
        return f"sparkline-{self.progress.indicator_id}"


@dataclass(frozen=True)
class SectionDashboard(YearMeanDisplay):
    section: Section
    year: int
    today: datetime.date
    year_mean: Decimal | None
    overall: Decimal | None
    expected_results: list  # [YearShare]
    indicators: list  # [IndicatorRow]
    status_counts: list
    measures: MeasureCounts
    late_measures: list
    chart: dict
    overdue: object  # notifications.selectors.Overdue
    open_actions: object = None  # OpenActions of the section

    @property
    def late_url(self):
        return measure_list_url(section=self.section.pk, late="on")


def section_get(section_id):
    return get_object_or_404(Section.objects.select_related("plan"), pk=section_id)


def sparkline(indicator_progress_item):
    years = indicator_progress_item.years
    return {
        "labels": [item.year for item in years],
        "target": [_number(item.target) for item in years],
        "actual": [_number(item.actual) for item in years],
    }


def section_dashboard(*, section, year, today=None):
    today = today or timezone.localdate()
    years = plan_years().chart_years(year)
    indicators = indicator_queryset().filter(expected_result__section=section)
    progress = indicator_progress(indicators, years, today=today)
    roll_up = progress.sections[0] if progress.sections else None
    measures = Measure.objects.filter(section=section)
    # Early warning: this year's forecast from the quarters so far (the year shown is this one).
    forecasts = {}
    if year == today.year:
        kinds = Indicator.objects.filter(expected_result__section=section).only(
            "pk", "accumulation", "direction"
        )
        forecasts = indicator_selectors.year_end_forecasts(list(kinds), year)
    return SectionDashboard(
        section=section,
        year=year,
        today=today,
        year_mean=roll_up.for_year(year).mean if roll_up else None,
        overall=roll_up.overall if roll_up else None,
        expected_results=[
            YearShare(item.id, item.label, item.for_year(year).mean)
            for item in progress.expected_results
        ],
        indicators=[
            IndicatorRow(
                item, item.for_year(year), sparkline(item), forecasts.get(item.indicator_id)
            )
            for item in progress.indicators
        ],
        status_counts=status_counts(progress.indicators, year, section_id=section.pk),
        measures=measure_counts_by_section(measures, today).get(section.pk, MeasureCounts()),
        late_measures=late_measures(measures, today),
        chart=section_chart(roll_up, years),
        overdue=overdue_summary(today=today, section_id=section.pk),
        open_actions=open_corrective_actions(today=today, section_id=section.pk),
    )


def section_dashboard_cached(*, section, year, today=None):
    """``section_dashboard`` through the data-version cache, keyed by section, year and day."""
    today = today or timezone.localdate()
    dashboard = cached(
        "section",
        (section.pk, year, today),
        lambda: section_dashboard(section=section, year=year, today=today),
    )
    return replace(dashboard, section=section)


# --- annual monitoring report ----------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One indicator in the report year. `department_id` lets permissions be checked on it."""

    indicator_id: int
    code: str
    name: str
    unit: str
    department_id: int
    department: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    actual: Decimal | None
    degree: Decimal | None
    exceeded: bool
    status: str
    reason: ReasonForDeviation | None
    original_target: Decimal | None = None
    target_act: object = None  # activities.LegalAct that set `target` (None: the original)
    milestone_status: str = ""  # a milestone's status in the year (no number, no degree)
    milestone_due: bool = False
    forecast: object = None  # indicators.forecast.Forecast: the year under way only

    @property
    def percent(self):
        return percent(self.degree)

    @property
    def deviates(self):
        """Whether the year takes a cause and corrective actions (``deviates``)."""
        return deviates(self.status, self.forecast)

    @property
    def actions(self):
        """The corrective actions of the row's cause (prefetched by ``annual_report``)."""
        return list(self.reason.actions.all()) if self.reason else []

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass(frozen=True)
class ReportSection(YearMeanDisplay):
    section_id: int
    number: str
    title: str
    plan_title: str
    year_mean: Decimal | None
    rows: list
    proposals: SectionProposal | None = None


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    late: bool
    # What was done: the text of the measure's last approved progress report of the year.
    last_report_text: str | None


@dataclass(frozen=True)
class AnnualReport:
    year: int
    today: datetime.date
    sections: list  # [ReportSection]
    plans: list  # [YearShare]
    status_counts: list
    measures: list  # [MeasureRow]

    @property
    def indicator_count(self):
        return sum(len(section.rows) for section in self.sections)


def _last_report_texts(measure_ids, year):
    """{measure id: text of its last approved progress report of `year`}, in one query.

    The latest report of the year wins: the whole-year report, else the last quarter's.
    """
    reports = (
        ProgressReport.objects.filter(
            measure_id__in=measure_ids, year=year, state=WorkflowState.APPROVED
        )
        .order_by("measure_id", F("quarter").desc(nulls_first=True), "-reviewed_at")
        .distinct("measure_id")
        .values_list("measure_id", "text")
    )
    return dict(reports)


def measure_rows(year, today=None):
    """The measures of `year`, in plan order: those running in it (their period covers it, or
    has no bounds) and those with an approved report for it, whatever their period; with
    whether they are late and what was done (see ``_last_report_texts``)."""
    today = today or timezone.localdate()
    late_ids = Measure.objects.late(today).values("pk")
    reported = ProgressReport.objects.filter(
        measure=OuterRef("pk"), year=year, state=WorkflowState.APPROVED
    )
    measures = list(
        Measure.objects.filter(
            (
                (Q(period_start__isnull=True) | Q(period_start__lte=year))
                & (Q(period_end__isnull=True) | Q(period_end__gte=year))
            )
            | Exists(reported)
        )
        .select_related("section__plan", "department")
        .annotate(is_late=ExpressionWrapper(Q(pk__in=late_ids), output_field=BooleanField()))
        .order_by("section__plan__title", "section__position", "section__number", "group", "number")
    )
    texts = _last_report_texts([measure.pk for measure in measures], year)
    return [MeasureRow(measure, measure.is_late, texts.get(measure.pk)) for measure in measures]


def annual_report(*, year, today=None):
    """Per indicator: baseline, target, actual, degree, status and the reason for deviation in
    `year`, grouped by section; the measures with their status; the plans' progress."""
    today = today or timezone.localdate()
    indicators = list(
        indicator_queryset().order_by(
            "expected_result__section__plan__title",
            "expected_result__section__position",
            "expected_result__section__number",
            "code",
        )
    )
    progress = indicator_progress(indicators, [year], today=today)
    reasons = {
        reason.indicator_id: reason
        for reason in ReasonForDeviation.objects.filter(year=year)
        .select_related("author")
        .prefetch_related("actions")
    }
    forecasts = year_forecasts(indicators, year, today)
    section_means = {roll_up.id: roll_up.for_year(year).mean for roll_up in progress.sections}
    proposals = {
        proposal.section_id: proposal for proposal in SectionProposal.objects.filter(year=year)
    }
    sections = {}
    for indicator, item in zip(indicators, progress.indicators, strict=True):
        section = indicator.expected_result.section
        if section.pk not in sections:
            sections[section.pk] = ReportSection(
                section.pk,
                section.number,
                section.title,
                section.plan.title,
                section_means.get(section.pk),
                [],
                proposals.get(section.pk),
            )
        year_item = item.years[0]
        sections[section.pk].rows.append(
            ReportRow(
                indicator_id=indicator.pk,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                department_id=indicator.department_id,
                department=str(indicator.department),
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
                target=year_item.target,
                actual=year_item.actual,
                degree=year_item.degree,
                exceeded=year_item.exceeded,
                status=year_item.status,
                reason=reasons.get(indicator.pk),
                original_target=year_item.original_target,
                target_act=year_item.target_act,
                milestone_status=year_item.milestone_status,
                milestone_due=year_item.milestone_due,
                forecast=forecasts.get(indicator.pk),
            )
        )
    return AnnualReport(
        year=year,
        today=today,
        sections=list(sections.values()),
        plans=[
            YearShare(roll_up.id, roll_up.label, roll_up.for_year(year).mean)
            for roll_up in progress.plans
        ],
        # Every status, "no status" included: the counts add up to the indicators listed.
        status_counts=status_counts(progress.indicators, year, statuses=tuple(Status)),
        measures=measure_rows(year, today),
    )


def publication_get(year):
    return PublishedReport.objects.filter(year=year).select_related("published_by").first()


def reason_get(indicator, year):
    return ReasonForDeviation.objects.filter(indicator=indicator, year=year).first()


def indicator_get(indicator_id):
    return get_object_or_404(Indicator.objects.select_related("department"), pk=indicator_id)


# --- measures behind the counts --------------------------------------------------------------


def measure_list(*, status=None, late=False, section=None, department=None, today=None):
    """The measures a dashboard count stands for, in plan order."""
    today = today or timezone.localdate()
    measures = Measure.objects.select_related("section__plan", "department")
    if late:
        measures = measures.late(today)
    if status:
        measures = measures.filter(status=status)
    if section:
        measures = measures.filter(section=section)
    if department:
        measures = measures.filter(department=department)
    return measures.order_by(
        "section__plan__title", "section__position", "section__number", "group", "number"
    )


def measure_list_url(**params):
    return _url("dashboards:measure_list", **{k: v for k, v in params.items() if v})


# --- my work ---------------------------------------------------------------------------------


def my_work_counts(user, today):
    """The numbers in the navigation bar, reports and indicator values together: three COUNT
    queries whatever the data size."""
    can_edit = is_editor(user) or is_administrator(user)
    can_approve = is_head(user) or is_administrator(user)
    counts = {"due": 0, "in_progress": 0, "awaiting": 0}
    if can_edit or can_approve:
        reports = ProgressReport.objects.filter(department_scope(user, "measure__department_id"))
        report_counts = reports.aggregate(
            in_progress=Count(
                "pk", filter=Q(state__in=EDITABLE_STATES) & own_unfinished_work(user)
            ),
            awaiting=Count("pk", filter=Q(state=WorkflowState.SUBMITTED)),
        )
        value_counts = indicator_selectors.value_work_counts(user)
        for key in ("in_progress", "awaiting"):
            counts[key] = report_counts[key] + value_counts[key]
    if not can_edit:
        counts["in_progress"] = 0
    if not can_approve:
        counts["awaiting"] = 0
    if can_edit:
        counts["due"] = activity_selectors.measures_due(
            user, activity_selectors.default_reporting_year_cached(today)
        ).count()
    counts["total"] = sum(counts.values())
    return counts


# --- deviations: causes and corrective actions -------------------------------------------------

# The one rule of when a year of an indicator takes a cause of deviation and corrective actions:
# its approved figures put it at risk or not achieved (the methodology's statuses), or, in the
# year under way, the forecast from the approved quarters misses the target.
DEVIATING_STATUSES = frozenset({Status.AT_RISK, Status.NOT_ACHIEVED})


def deviates(status, forecast=None):
    return status in DEVIATING_STATUSES or bool(forecast is not None and forecast.at_risk)


def year_forecasts(indicators, year, today):
    """{indicator id: Forecast} of ``indicators`` (instances) in ``year`` if it is the year
    under way (two queries), else {} (none)."""
    if year != today.year:
        return {}
    return indicator_selectors.year_end_forecasts(indicators, year)


def deviation_status(indicator, year, today=None):
    """(status, forecast) of ``indicator`` in ``year``, as the report shows them; the services
    ask ``deviates`` of them before a cause or an action is written."""
    today = today or timezone.localdate()
    item = indicator_progress([indicator], [year], today=today).indicators[0].years[0]
    return item.status, year_forecasts([indicator], year, today).get(indicator.pk)


def forecast_at_risk_by_section(indicators, year, today):
    """{section id: how many of ``indicators`` (a queryset) the forecast puts at risk} in the
    year under way (three queries); {} in any other year."""
    if year != today.year:
        return {}
    kinds = list(
        indicators.select_related(None)
        .only("pk", "accumulation", "direction")
        .annotate(section_pk=F("expected_result__section_id"))
    )
    forecasts = indicator_selectors.year_end_forecasts(kinds, year)
    return Counter(
        indicator.section_pk
        for indicator in kinds
        if indicator.pk in forecasts and forecasts[indicator.pk].at_risk
    )


@dataclass(frozen=True)
class OpenActions:
    """Corrective actions not done yet, the most urgent first: ``shown`` of them (each with
    its ``standing``: notifications.calendar.Status against its due date), and how many there
    are and how many are overdue in all."""

    shown: list  # [CorrectiveAction]
    total: int
    overdue: int


def open_corrective_actions(
    *, today, department_id=None, plan_id=None, section_id=None, limit=OPEN_ACTIONS_SHOWN
):
    """The open corrective actions (of a department, a plan, a section): two queries."""
    actions = CorrectiveAction.objects.exclude(status=CorrectiveAction.Status.DONE)
    if department_id is not None:
        actions = actions.filter(reason__indicator__department_id=department_id)
    if plan_id is not None:
        actions = actions.filter(reason__indicator__expected_result__section__plan_id=plan_id)
    if section_id is not None:
        actions = actions.filter(reason__indicator__expected_result__section_id=section_id)
    counts = actions.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    shown = list(
        actions.select_related("reason__indicator__department").order_by("due_on", "pk")[:limit]
    )
    for action in shown:
        action.standing = calendar.status(due=action.due_on, today=today)
    return OpenActions(shown=shown, total=counts["total"], overdue=counts["overdue"])


def corrective_action_get(action_id):
    return get_object_or_404(
        CorrectiveAction.objects.select_related("reason__indicator__department"), pk=action_id
    )
