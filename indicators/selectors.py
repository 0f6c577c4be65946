"""Reads of indicators and their progress, shared by the pages, the dashboards and the API.

Achievement follows the Russian methodology (see ``assess``). Only approved manual values
count unless ``include_pending``; computed values derive from partner records and always count.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum, TextChoices
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    department_scope,
    is_administrator,
    is_editor,
    is_head,
    own_unfinished_work,
)
from activities.models import LegalAct
from core.workflow import EDITABLE_STATES, WorkflowState, with_year_lock

from . import computations
from .forecast import forecast
from .models import Indicator, IndicatorValue, MilestoneStatus, Target

ONE = Decimal(1)
AT_RISK_FROM = Decimal("0.90")
PLACES = Decimal("0.0001")
# When an indicator has no baseline year its plan years start here (the portal's earliest plan).
EARLIEST_YEAR = 2000


class Status(TextChoices):
    ACHIEVED = "achieved", _("achieved")
    AT_RISK = "at_risk", _("at risk")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    MISSING = "missing", _("no data")
    NONE = "none", _("no status")


@dataclass(frozen=True)
class Assessment:
    degree: Decimal | None  # actual/target (increase) or target/actual (decrease), 4 places
    capped_degree: Decimal | None  # what roll-ups average: min(degree, 1)
    status: str
    exceeded: bool  # the target is beaten (degree > 1, or met with a zero denominator)


def assess(*, target, actual, direction, period_ended):
    """Degree of achievement and status of one indicator for one period.

    - no target → no status (even when the period has ended);
    - no value → *missing* once the period has ended, otherwise no status yet;
    - a negative target or actual → degree undefined, no status: the ratios of the methodology
      only mean something for non-negative quantities;
    - a zero denominator (increase with target 0, decrease with actual 0): the target is met
      (actual ≥ 0 = target; 0 ≤ target), so *achieved*; the degree is undefined (None) and
      counts as 1 in roll-ups;
    - otherwise the degree is rounded half-up to 4 places and the status is read from that
      rounded degree, so the percentage shown and the colour never disagree.
    """
    if target is None:
        return Assessment(None, None, Status.NONE, False)
    if actual is None:
        return Assessment(None, None, Status.MISSING if period_ended else Status.NONE, False)
    if actual < 0 or target < 0:
        return Assessment(None, None, Status.NONE, False)
    if direction == Indicator.Direction.DECREASE:
        numerator, denominator = target, actual
    else:
        numerator, denominator = actual, target
    if denominator == 0:
        return Assessment(None, ONE, Status.ACHIEVED, numerator > 0)
    degree = (numerator / denominator).quantize(PLACES, rounding=ROUND_HALF_UP)
    if degree >= ONE:
        status = Status.ACHIEVED
    elif degree >= AT_RISK_FROM:
        status = Status.AT_RISK
    else:
        status = Status.NOT_ACHIEVED
    return Assessment(degree, min(degree, ONE), status, degree > ONE)


# A milestone's status counts as the category a numeric degree would fall in (design.md,
# "qualitative": achieved / partly / not achieved).
MILESTONE_CATEGORY = {
    MilestoneStatus.DONE: Status.ACHIEVED,
    MilestoneStatus.PARTLY_DONE: Status.AT_RISK,
    MilestoneStatus.NOT_DONE: Status.NOT_ACHIEVED,
}


def assess_milestone(*, milestone_status, due, period_ended):
    """Status of a milestone for one year. It has no degree: it counts in the status counts
    like a numeric indicator, never in the means of degrees.

    - a status entered → its category (MILESTONE_CATEGORY), whether or not the year is due;
    - no status → *missing* once a year it is due in (it has a target) has ended, otherwise
      no status — as a numeric indicator without a target or a value.
    """
    if milestone_status:
        return Assessment(None, None, MILESTONE_CATEGORY[MilestoneStatus(milestone_status)], False)
    if due and period_ended:
        return Assessment(None, None, Status.MISSING, False)
    return Assessment(None, None, Status.NONE, False)


def target_text(item):
    """The target of a year as a reader sees it: a milestone that is due reads "done" (what is
    to be reached by the end of the year), else the number (None: no target). ``item``: a
    YearProgress or anything with its ``target``, ``milestone_due`` and ``kind`` fields."""
    if getattr(item, "milestone_due", False):
        return MilestoneStatus.DONE.label
    return item.target


def actual_text(item):
    """The actual of a year as a reader sees it: a milestone's status label, else the number."""
    if getattr(item, "milestone_status", ""):
        return MilestoneStatus(item.milestone_status).label
    return item.actual


@dataclass(frozen=True)
class TargetInForce:
    value: Decimal | None  # the target in force at the end of the year (None: none yet)
    act: object  # activities.LegalAct that set it, or None for the original target
    original: Decimal | None  # the first target set for the year
    # A target row is in force (for a milestone, whose targets have no value: it is due).
    exists: bool = True


NO_TARGET = TargetInForce(None, None, None, exists=False)


def _act_order(target):
    # The original target (no act) comes first; acts by date, same-day acts by id.
    act = target.act
    return (0, None, 0) if act is None else (1, act.date, act.pk)


def targets_in_force(indicator_ids, years):
    """{(indicator id, year): TargetInForce} — one query.

    The degree of achievement of a year is measured against the target in force at the end of
    that year (31 December): the latest act dated on or before that day, or the original
    target. An act of 1 January or later changes the next years' assessment, never a year
    already ended — the annual report compares the year's result with the plan as amended
    during that year. Old targets are never overwritten; the original is kept beside it.
    """
    by_year = defaultdict(list)
    for target in (
        Target.objects.filter(indicator_id__in=indicator_ids, year__in=list(years))
        .select_related("act")
        .order_by()
    ):
        by_year[(target.indicator_id, target.year)].append(target)
    found = {}
    for (indicator_id, year), rows in by_year.items():
        rows.sort(key=_act_order)
        year_end = datetime.date(year, 12, 31)
        valid = [row for row in rows if row.act is None or row.act.date <= year_end]
        in_force = valid[-1] if valid else None
        found[(indicator_id, year)] = TargetInForce(
            value=in_force.value if in_force else None,
            act=in_force.act if in_force else None,
            original=rows[0].value,
            exists=in_force is not None,
        )
    return found


@dataclass(frozen=True)
class YearProgress:
    year: int
    target: Decimal | None  # in force at the end of the year (targets_in_force)
    # What is compared with the target: the year's own value, or for a cumulative indicator
    # the running total of yearly values since the first plan year.
    actual: Decimal | None
    year_actual: Decimal | None  # the year's own value (quarters summed)
    quarters: int  # how many quarterly values make up year_actual (0 for a yearly value)
    pending: bool  # year_actual includes values not approved yet (only with include_pending)
    period_ended: bool
    degree: Decimal | None
    capped_degree: Decimal | None
    status: str
    exceeded: bool
    original_target: Decimal | None = None
    target_act: object = None  # the LegalAct that set `target`; None for the original
    # A milestone's year: its status (models.MilestoneStatus, "" when none or numeric) and
    # whether it is due by the end of the year (a target in force); no number, no degree.
    milestone_status: str = ""
    milestone_due: bool = False

    @property
    def milestone_status_label(self):
        return MilestoneStatus(self.milestone_status).label if self.milestone_status else ""

    @property
    def target_changed(self):
        return self.target_act is not None and self.original_target != self.target

    @property
    def percent(self):
        return None if self.degree is None else self.degree * 100


@dataclass(frozen=True)
class IndicatorProgress:
    indicator_id: int
    code: str
    name: str
    unit: str
    direction: str
    source: str
    computation: str
    accumulation: str
    baseline_value: Decimal | None
    baseline_year: int | None
    first_year: int  # the first plan year: the running totals of cumulative indicators start here
    department_id: int
    expected_result_id: int
    section_id: int
    plan_id: int
    years: tuple[YearProgress, ...]
    kind: str = Indicator.Kind.NUMERIC

    def for_year(self, year):
        return next((item for item in self.years if item.year == year), None)


@dataclass(frozen=True)
class YearMean:
    year: int
    mean: Decimal | None  # mean of the capped degrees; None when no indicator has a degree
    count: int  # how many degrees were averaged


@dataclass(frozen=True)
class RollUp:
    """Progress of an expected result, a section or a plan: a mean of capped degrees."""

    id: int
    label: str
    overall: Decimal | None
    count: int
    years: tuple[YearMean, ...]

    def for_year(self, year):
        return next((item for item in self.years if item.year == year), None)


@dataclass(frozen=True)
class Progress:
    as_of: object  # datetime.date: the day that decides which periods have ended
    years: tuple[int, ...]
    include_pending: bool
    indicators: tuple[IndicatorProgress, ...]
    expected_results: tuple[RollUp, ...]
    sections: tuple[RollUp, ...]  # mean over the section's indicators (all years)
    plans: tuple[RollUp, ...]  # mean of its sections' means

    def indicator(self, indicator_id):
        return next((i for i in self.indicators if i.indicator_id == indicator_id), None)


def _mean(values):
    values = [value for value in values if value is not None]
    if not values:
        return None, 0
    return (sum(values) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP), len(values)


def _roll_up(group_id, label, years, overall_values, year_values):
    """A RollUp of `overall_values` and, for each of `years`, of the matching `year_values`."""
    overall, count = _mean(overall_values)
    means = tuple(
        YearMean(year, *_mean(values)) for year, values in zip(years, year_values, strict=True)
    )
    return RollUp(group_id, label, overall, count, means)


def _roll_up_indicators(groups, labels, years):
    """{group id: [IndicatorProgress]} → RollUps of the indicators' capped degrees."""
    return tuple(
        _roll_up(
            group_id,
            labels[group_id],
            years,
            [year.capped_degree for item in items for year in item.years],
            [[item.years[index].capped_degree for item in items] for index in range(len(years))],
        )
        for group_id, items in groups.items()
    )


def _roll_up_plans(sections, section_plan, plan_titles, years):
    """A plan's progress is the mean of its sections' (design: not of all its indicators)."""
    by_plan = defaultdict(list)
    for section in sections:
        by_plan[section_plan[section.id]].append(section)
    return tuple(
        _roll_up(
            plan_id,
            plan_titles[plan_id],
            years,
            [section.overall for section in plan_sections],
            [[section.years[i].mean for section in plan_sections] for i in range(len(years))],
        )
        for plan_id, plan_sections in by_plan.items()
    )


def indicator_queryset():
    """Indicators with what the progress and the pages show of their relations."""
    return Indicator.objects.select_related("expected_result__section__plan", "department")


def _first_year(indicator):
    return indicator.baseline_year + 1 if indicator.baseline_year else EARLIEST_YEAR


def indicator_progress(indicators, years, *, today=None, include_pending=False):
    """Actual, target, degree and status per indicator and year, and their roll-ups.

    `indicators`: a queryset (select_related is added) or instances loaded with
    ``indicator_queryset()``. The number of queries does not depend on how many indicators or
    years are asked: one for the indicators (if a queryset), one for the targets, one for the
    manual values summed by (indicator, year) in SQL, and one per computation in use.
    """
    today = today or timezone.localdate()
    years = tuple(sorted({int(year) for year in years}))
    if isinstance(indicators, QuerySet):
        indicators = indicators.select_related("expected_result__section__plan", "department")
    indicators = list(indicators)
    if not indicators or not years:
        return Progress(today, years, include_pending, (), (), (), ())

    # Cumulative indicators need every year since their first plan year for running totals.
    fetch_first = min([years[0]] + [_first_year(i) for i in indicators if i.is_cumulative])
    fetch_last = years[-1]
    ids = [indicator.pk for indicator in indicators]

    targets = targets_in_force(ids, years)

    # {indicator_id: {year: (value, quarters, pending)}}; a milestone's value is its status.
    actuals = defaultdict(dict)
    manual_ids = [i.pk for i in indicators if not i.is_computed]
    if manual_ids:
        states = [WorkflowState.APPROVED]
        if include_pending:
            states.append(WorkflowState.SUBMITTED)
        rows = (
            IndicatorValue.objects.filter(
                indicator_id__in=manual_ids,
                year__gte=fetch_first,
                year__lte=fetch_last,
                state__in=states,
            )
            .values("indicator_id", "year")
            .annotate(
                total=Sum("value"),
                # A milestone has one yearly value a year (services.check_kind): its status.
                status=Max("milestone_status"),
                quarters=Count("quarter"),
                pending=Count("pk", filter=~Q(state=WorkflowState.APPROVED)),
            )
            .order_by()
        )
        for row in rows:
            actuals[row["indicator_id"]][row["year"]] = (
                row["status"] or row["total"],
                row["quarters"],
                row["pending"] > 0,
            )

    # Computed values: one query per computation in use, never per indicator.
    computed_years = range(fetch_first, min(fetch_last, today.year) + 1)
    by_computation = defaultdict(list)
    for indicator in indicators:
        if indicator.is_computed:
            by_computation[indicator.computation].append(indicator.pk)
    for key, indicator_ids in by_computation.items():
        yearly = computations.get(key).values(computed_years)
        for indicator_id in indicator_ids:
            actuals[indicator_id] = {year: (value, 0, False) for year, value in yearly.items()}

    results = []
    for indicator in indicators:
        yearly = actuals.get(indicator.pk, {})
        first_year = _first_year(indicator)
        results.append(
            IndicatorProgress(
                indicator_id=indicator.pk,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                direction=indicator.direction,
                source=indicator.source,
                computation=indicator.computation,
                accumulation=indicator.accumulation,
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
                first_year=first_year,
                kind=indicator.kind,
                department_id=indicator.department_id,
                expected_result_id=indicator.expected_result_id,
                section_id=indicator.expected_result.section_id,
                plan_id=indicator.expected_result.section.plan_id,
                years=tuple(
                    _year_progress(indicator, year, yearly, first_year, targets, today)
                    for year in years
                ),
            )
        )

    by_result, by_section = defaultdict(list), defaultdict(list)
    section_plan, plan_titles = {}, {}
    for indicator, item in zip(indicators, results, strict=True):
        section = indicator.expected_result.section
        by_result[indicator.expected_result_id].append(item)
        by_section[section.pk].append(item)
        section_plan[section.pk] = section.plan_id
        plan_titles[section.plan_id] = section.plan.title
    result_texts = {i.expected_result_id: i.expected_result.text for i in indicators}
    section_labels = {
        i.expected_result.section_id: str(i.expected_result.section) for i in indicators
    }
    sections = _roll_up_indicators(by_section, section_labels, years)
    return Progress(
        as_of=today,
        years=years,
        include_pending=include_pending,
        indicators=tuple(results),
        expected_results=_roll_up_indicators(by_result, result_texts, years),
        sections=sections,
        plans=_roll_up_plans(sections, section_plan, plan_titles, years),
    )


def _year_progress(indicator, year, yearly, first_year, targets, today):
    value, quarters, pending = yearly.get(year, (None, 0, False))
    if indicator.is_milestone:
        return _milestone_year(indicator, year, value or "", pending, targets, today)
    actual = value
    if indicator.is_cumulative and value is not None:
        # Running total of the yearly values from the first plan year to this year; a year
        # without a value of its own has no actual, but the years before it still add up.
        actual = sum(
            (v for y, (v, _q, _p) in yearly.items() if first_year <= y <= year), Decimal(0)
        )
        pending = any(p for y, (_v, _q, p) in yearly.items() if first_year <= y <= year)
    in_force = targets.get((indicator.pk, year), NO_TARGET)
    target = in_force.value
    period_ended = year < today.year
    assessment = assess(
        target=target, actual=actual, direction=indicator.direction, period_ended=period_ended
    )
    return YearProgress(
        year=year,
        target=target,
        actual=actual,
        year_actual=value,
        quarters=quarters,
        pending=pending,
        period_ended=period_ended,
        degree=assessment.degree,
        capped_degree=assessment.capped_degree,
        status=assessment.status,
        exceeded=assessment.exceeded,
        original_target=in_force.original,
        target_act=in_force.act,
    )


def _milestone_year(indicator, year, milestone_status, pending, targets, today):
    in_force = targets.get((indicator.pk, year), NO_TARGET)
    period_ended = year < today.year
    assessment = assess_milestone(
        milestone_status=milestone_status, due=in_force.exists, period_ended=period_ended
    )
    return YearProgress(
        year=year,
        target=None,
        actual=None,
        year_actual=None,
        quarters=0,
        pending=pending,
        period_ended=period_ended,
        degree=None,
        capped_degree=None,
        status=assessment.status,
        exceeded=False,
        target_act=in_force.act,
        milestone_status=milestone_status,
        milestone_due=in_force.exists,
    )


# --- pages -----------------------------------------------------------------------------------


def indicator_get(indicator_id):
    return get_object_or_404(indicator_queryset(), pk=indicator_id)


def indicator_years(indicator, today=None):
    """The years an indicator's page shows and its forms accept: its plan years.

    From the year after the baseline (or the first target) to the plan's horizon (or the last
    target, or this year). One query.
    """
    today = today or timezone.localdate()
    bounds = indicator.targets.aggregate(first=Min("year"), last=Max("year"))
    horizon = indicator.expected_result.section.plan.horizon_year
    first = indicator.baseline_year + 1 if indicator.baseline_year else bounds["first"]
    last = horizon or bounds["last"] or today.year
    if first is None:
        first = min(last, today.year)
    return range(first, max(first, last) + 1)


def plan_acts(indicator):
    """The acts that approved or amended the indicator's plan: those that may set its targets."""
    return list(
        LegalAct.objects.filter(revisions__plan_id=indicator.expected_result.section.plan_id)
        .distinct()
        .order_by("date", "pk")
    )


def chosen_act(acts, act_id):
    """The act of `acts` with id `act_id` (a query parameter), None when none is asked; an id
    that is not one of the plan's acts is not found (404)."""
    if not act_id:
        return None
    act = next((act for act in acts if str(act.pk) == act_id), None)
    if act is None:
        raise Http404
    return act


def indicator_values(indicator, user):
    """The values of the indicator the user may see, for the indicator's page."""
    return with_year_lock(
        indicator.values.visible_to(user)
        .select_related("author", "reviewer")
        .order_by("-year", "quarter", "pk")
    )


def value_get(value_id):
    return get_object_or_404(
        with_year_lock(
            IndicatorValue.objects.select_related(
                "indicator__expected_result__section__plan", "indicator__department"
            )
        ),
        pk=value_id,
    )


# --- my work ---------------------------------------------------------------------------------


def _work_values(user):
    return with_year_lock(
        IndicatorValue.objects.visible_to(user)
        .filter(department_scope(user, "indicator__department_id"))
        .select_related("indicator__department", "author", "reviewer")
    )


def values_in_progress(user):
    """The department's draft and returned values: what its editors still have to finish."""
    if not is_editor(user) and not is_administrator(user):
        return IndicatorValue.objects.none()
    return (
        _work_values(user)
        .filter(state__in=EDITABLE_STATES)
        .filter(own_unfinished_work(user))
        .order_by("-updated_at", "-pk")
    )


def values_awaiting_approval(user):
    """Submitted values the user may approve, oldest submission first."""
    if not is_head(user) and not is_administrator(user):
        return IndicatorValue.objects.none()
    return _work_values(user).filter(state=WorkflowState.SUBMITTED).order_by("submitted_at", "pk")


def value_work_counts(user):
    """How many of the department's values are unfinished and awaiting approval: one query.
    The caller decides which of the numbers the user's role makes theirs."""
    return IndicatorValue.objects.filter(
        department_scope(user, "indicator__department_id")
    ).aggregate(
        in_progress=Count("pk", filter=Q(state__in=EDITABLE_STATES) & own_unfinished_work(user)),
        awaiting=Count("pk", filter=Q(state=WorkflowState.SUBMITTED)),
    )


def computed_records(indicator, year):
    """(column labels, rows of records) behind a computed indicator's value for a year."""
    computation = computations.get(indicator.computation)
    rows = []
    for record in computation.records(year):
        cells = []
        for name in computation.columns:
            display = getattr(record, f"get_{name}_display", None)
            cells.append(display() if display else getattr(record, name))
        rows.append((record, cells))
    return computation.column_labels(), rows


# --- early warning -----------------------------------------------------------------------------


def year_end_forecasts(indicators, year):
    """{indicator id: forecast.Forecast} for the per-year ``indicators`` with approved quarterly
    values in ``year`` and no whole-year value yet: two queries (the quarters of this and last
    year, the year's targets) whatever their number."""
    ids = [indicator.pk for indicator in indicators]
    per_year = {
        indicator.pk: indicator
        for indicator in indicators
        if indicator.accumulation == Indicator.Accumulation.PER_YEAR
    }
    quarters = {}
    rows = IndicatorValue.objects.approved().filter(
        indicator_id__in=ids, year__in=(year - 1, year), quarter__isnull=False
    )
    for indicator_id, value_year, quarter, value in rows.values_list(
        "indicator_id", "year", "quarter", "value"
    ):
        quarters.setdefault((indicator_id, value_year), {})[quarter] = value
    targets = dict(
        Target.objects.filter(indicator_id__in=ids, year=year).values_list("indicator_id", "value")
    )
    found = {}
    for indicator_id, indicator in per_year.items():
        this_year = quarters.get((indicator_id, year))
        if not this_year:
            continue
        result = forecast(
            this_year,
            quarters.get((indicator_id, year - 1)),
            target=targets.get(indicator_id),
            decrease_is_better=indicator.direction == Indicator.Direction.DECREASE,
        )
        if result is not None and result.quarters < 4:
            found[indicator_id] = result
    return found


def chart_data(indicator, years):
    """The target-vs-actual chart of an indicator page (indicators/static/indicators/chart.js):
    ``years`` are items with ``year``, ``target`` and ``actual``."""

    def number(value):
        return None if value is None else float(value)

    return {
        "labels": [item.year for item in years],
        "unit": indicator.unit,
        "series": [
            {"label": str(_("Target value")), "data": [number(item.target) for item in years]},
            {"label": str(_("Actual value")), "data": [number(item.actual) for item in years]},
        ],
    }
