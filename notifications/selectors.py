"""Reads: what is overdue and for whom (the dashboards and "my work" show it), the notification
centre's list and the bell's count."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from activities.models import Department, Measure, ProgressReport, StrategicPlan
from core.workflow import WorkflowState
from indicators.models import Indicator, IndicatorValue

from . import calendar
from .models import Notification, NotificationPreference

DONE_STATES = (WorkflowState.SUBMITTED, WorkflowState.APPROVED)


def plan_deadlines():
    """{plan id: Deadlines} of the plans in force, their own calendar or the default: one
    query."""
    plans = StrategicPlan.objects.filter(status=StrategicPlan.Status.IN_FORCE).select_related(
        "reporting_calendar"
    )
    deadlines = {}
    for plan in plans:
        own = getattr(plan, "reporting_calendar", None)
        deadlines[plan.pk] = own.deadlines if own is not None else calendar.DEFAULT_DEADLINES
    return deadlines


def measures_without_annual_report(year, plan_ids):
    """Measures of the plans that run in ``year`` and have no whole-year report for it that
    was submitted or approved."""
    done = ProgressReport.objects.filter(
        measure=OuterRef("pk"), year=year, quarter__isnull=True, state__in=DONE_STATES
    )
    return (
        Measure.objects.filter(section__plan_id__in=plan_ids, department__isnull=False)
        .exclude(status=Measure.Status.CANCELLED)
        .filter(Q(period_start__isnull=True) | Q(period_start__lte=year))
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=year))
        .exclude(Exists(done))
    )


def indicators_without_annual_value(year, plan_ids):
    """Indicators entered by hand with a target for ``year`` and no yearly value for it that
    was submitted or approved."""
    done = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), year=year, quarter__isnull=True, state__in=DONE_STATES
    )
    return (
        Indicator.objects.filter(
            expected_result__section__plan_id__in=plan_ids,
            source=Indicator.Source.MANUAL,
            targets__year=year,
        )
        .exclude(Exists(done))
        .distinct()
    )


def indicators_without_quarterly_value(year, quarter, plan_ids):
    """Indicators entered by hand that are reported by quarter (a quarterly value of this year
    or last exists) and have no value for ``quarter`` of ``year`` submitted or approved."""
    done = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), year=year, quarter=quarter, state__in=DONE_STATES
    )
    by_quarter = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), year__in=(year - 1, year), quarter__isnull=False
    )
    return (
        Indicator.objects.filter(
            expected_result__section__plan_id__in=plan_ids, source=Indicator.Source.MANUAL
        )
        .filter(Exists(by_quarter))
        .exclude(Exists(done))
    )


def _plans_past(deadlines, today, year, approval=False):
    """The plans whose annual due date (or approval deadline) for ``year`` has passed, with
    the days since."""
    past = {}
    for plan_id, plan_deadlines in deadlines.items():
        due = plan_deadlines.approval_date(year) if approval else plan_deadlines.due_date(year)
        standing = calendar.status(due=due, today=today)
        if standing.standing == calendar.Standing.OVERDUE:
            past[plan_id] = standing.days
    return past


@dataclass
class OverdueRow:
    """One department's overdue work: reports and values its editors owe, and items its head
    has not approved in time; ``days``: the longest delay."""

    department: Department
    reports: int = 0
    values: int = 0
    approvals: int = 0
    days: int = 0

    @property
    def for_editors(self):
        return self.reports + self.values


@dataclass
class Overdue:
    year: int
    rows: list = field(default_factory=list)

    @property
    def total(self):
        return sum(row.for_editors + row.approvals for row in self.rows)


# Where each kind of overdue work finds its department, plan and section.
_MEASURE = {"department": "department", "plan": "section__plan_id", "section": "section_id"}
_INDICATOR = {
    "department": "department",
    "plan": "expected_result__section__plan_id",
    "section": "expected_result__section_id",
}
_REPORT = {k: f"measure__{v}" for k, v in _MEASURE.items()}
_VALUE = {k: f"indicator__{v}" for k, v in _INDICATOR.items()}


def _scoped(queryset, paths, *, department_id, section_id):
    if department_id is not None:
        queryset = queryset.filter(**{f"{paths['department']}_id": department_id})
    if section_id is not None:
        queryset = queryset.filter(**{paths["section"]: section_id})
    return queryset


def _grouped(queryset, paths):
    department = paths["department"]
    return (
        queryset.values(
            f"{department}_id", f"{department}__name", f"{department}__short_name", paths["plan"]
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def overdue_summary(*, today, department_id=None, plan_id=None, section_id=None):
    """What is overdue on ``today`` for last year's annual reporting, per department: five
    queries whatever the data size (the plans' calendars, missing reports, missing values, late
    approvals of reports and of values; the departments come with them)."""
    year = calendar.last_closed_period(today)
    deadlines = plan_deadlines()
    if plan_id is not None:
        deadlines = {pk: d for pk, d in deadlines.items() if pk == plan_id}
    due_past = _plans_past(deadlines, today, year)
    approval_past = _plans_past(deadlines, today, year, approval=True)
    scope = {"department_id": department_id, "section_id": section_id}
    sources = [
        (measures_without_annual_report(year, due_past), _MEASURE, "reports", due_past),
        (
            Indicator.objects.filter(pk__in=indicators_without_annual_value(year, due_past)),
            _INDICATOR,
            "values",
            due_past,
        ),
    ]
    for model, paths in ((ProgressReport, _REPORT), (IndicatorValue, _VALUE)):
        late = model.objects.filter(
            state=WorkflowState.SUBMITTED, year=year, **{f"{paths['plan']}__in": approval_past}
        )
        sources.append((late, paths, "approvals", approval_past))
    rows = {}
    for queryset, paths, counter, past in sources:
        department = paths["department"]
        for found in _grouped(_scoped(queryset, paths, **scope), paths):
            key = found[f"{department}_id"]
            if key not in rows:
                rows[key] = OverdueRow(
                    department=Department(
                        pk=key,
                        name=found[f"{department}__name"],
                        short_name=found[f"{department}__short_name"],
                    )
                )
            row = rows[key]
            setattr(row, counter, getattr(row, counter) + found["n"])
            row.days = max(row.days, past[found[paths["plan"]]])
    ordered = sorted(rows.values(), key=lambda r: (-r.days, str(r.department)))
    return Overdue(year=year, rows=ordered)


# --- the notification centre ---------------------------------------------------------------


def notifications_of(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user):
    return Notification.objects.filter(user=user).unread().count()


def preferences_of(user):
    """{kind: delivery} of the user's choices (kinds without a row: in the portal only)."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


def delivery_by_user(users, kind):
    """{user id: delivery} for one kind, one query."""
    rows = NotificationPreference.objects.filter(user__in=users, kind=kind)
    return defaultdict(
        lambda: "portal",
        dict(rows.values_list("user_id", "delivery")),
    )


def digest_kinds_by_user():
    """{user id: [kinds]} of the users who want some kind in a daily digest."""
    kinds = defaultdict(list)
    rows = NotificationPreference.objects.filter(delivery="digest").values_list("user_id", "kind")
    for user_id, kind in rows:
        kinds[user_id].append(kind)
    return kinds
