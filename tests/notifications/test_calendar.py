"""Due, overdue and on time around the deadlines; the plan's own calendar; time frozen where
"today" comes from the clock."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications import calendar
from notifications.calendar import Deadlines, Standing, status
from notifications.models import ReportingCalendar
from notifications.selectors import plan_deadlines
from tests.factories import StrategicPlanFactory

D = datetime.date


def test_the_default_calendar():
    deadlines = calendar.DEFAULT_DEADLINES
    assert deadlines.due_date(2025) == D(2026, 2, 1)
    assert deadlines.due_date(2025, 1) == D(2025, 4, 15)
    assert deadlines.due_date(2025, 2) == D(2025, 7, 15)
    assert deadlines.due_date(2025, 3) == D(2025, 10, 15)
    assert deadlines.due_date(2025, 4) == D(2026, 1, 15)
    assert deadlines.approval_date(2025) == D(2026, 2, 11)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 24), (Standing.DUE, 8, False)),
        (D(2026, 1, 25), (Standing.DUE, 7, True)),
        (D(2026, 2, 1), (Standing.DUE, 0, True)),  # the due day itself is in time
        (D(2026, 2, 2), (Standing.OVERDUE, 1, False)),
        (D(2026, 3, 3), (Standing.OVERDUE, 30, False)),
    ],
)
def test_not_done_is_due_then_overdue(today, expected):
    result = status(due=D(2026, 2, 1), today=today)
    assert (result.standing, result.days, result.due_soon) == expected


def test_done_is_on_time_or_late_whatever_today():
    due = D(2026, 2, 1)
    assert status(due=due, today=D(2026, 5, 1), done_on=D(2026, 2, 1)).standing == Standing.ON_TIME
    late = status(due=due, today=D(2026, 5, 1), done_on=D(2026, 2, 4))
    assert (late.standing, late.days) == (Standing.LATE, 3)


@pytest.mark.django_db
def test_an_administrators_calendar_moves_the_dates():
    plan = StrategicPlanFactory()
    other = StrategicPlanFactory()
    ReportingCalendar.objects.create(
        plan=plan, annual_due_month=3, annual_due_day=15, quarterly_due_days=20, approval_days=5
    )
    deadlines = plan_deadlines()
    assert deadlines[plan.pk] == Deadlines(3, 15, 20, 5)
    assert deadlines[plan.pk].due_date(2025) == D(2026, 3, 15)
    assert deadlines[plan.pk].due_date(2025, 1) == D(2025, 4, 20)
    assert deadlines[other.pk] == calendar.DEFAULT_DEADLINES


@pytest.mark.django_db
def test_a_calendar_refuses_a_day_the_month_has_not():
    with pytest.raises(ValidationError) as error:
        ReportingCalendar(
            plan=StrategicPlanFactory(), annual_due_month=4, annual_due_day=31
        ).full_clean()
    assert "Такого дня в этом месяце нет" in str(error.value)


@pytest.mark.parametrize(
    ("moment", "standing"),
    [
        ("2026-02-01 23:30 +10:00", Standing.DUE),  # late evening of the due day, Khabarovsk
        ("2026-02-01 14:30 +00:00", Standing.OVERDUE),  # already 2 February in Khabarovsk
    ],
)
def test_today_is_the_citys_day(moment, standing):
    with time_machine.travel(
        datetime.datetime.fromisoformat(moment.replace(" +", "+")), tick=False
    ):
        today = timezone.localdate()
    assert status(due=D(2026, 2, 1), today=today).standing == standing
