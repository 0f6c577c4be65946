"""The daily run reminds of corrective actions falling due (the heads of the indicator's
department) and of quarterly values falling due (the editors), once each; time is frozen
around the due dates."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.workflow import WorkflowState
from dashboards.models import CorrectiveAction, ReasonForDeviation
from notifications import services
from notifications.models import Delivery, Kind, Notification, NotificationPreference, OutgoingEmail
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def frozen(day):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC), tick=False
    )


def run(day):
    with frozen(day):
        return services.daily_run(day)


def told(user, kind):
    return list(
        Notification.objects.filter(user=user, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


@pytest.fixture
def action(department, head):
    indicator = IndicatorFactory(department=department, code="7.1")
    reason = ReasonForDeviation.objects.create(
        indicator=indicator, year=2025, cause="internal_staff", text="Кадры.", author=head
    )
    return CorrectiveAction.objects.create(
        reason=reason,
        text="Принять двух специалистов.",
        responsible="Петров П. П.",
        due_on=D(2026, 3, 1),
        author=head,
    )


def test_an_action_due_in_7_days_then_overdue_tells_the_head_once_each(
    head, editor, other_head, viewer, administrator, action
):
    run(D(2026, 2, 21))
    assert told(head, Kind.CORRECTIVE_ACTION) == []

    run(D(2026, 2, 22))
    run(D(2026, 2, 23))
    [soon] = told(head, Kind.CORRECTIVE_ACTION)
    assert "7.1" in soon and "до 01.03.2026 (осталось дней: 7)" in soon
    assert "«Принять двух специалистов.»" in soon

    run(D(2026, 3, 1))  # the due day itself is in time
    assert len(told(head, Kind.CORRECTIVE_ACTION)) == 1
    run(D(2026, 3, 4))
    run(D(2026, 3, 5))
    soon, late = told(head, Kind.CORRECTIVE_ACTION)
    assert "просрочено: срок был 01.03.2026 (дней просрочки: 3)" in late
    notification = Notification.objects.filter(user=head).latest("pk")
    url = reverse("dashboards:annual_report", args=[2025])
    assert notification.link == f"{url}#indicator-{action.reason.indicator_id}"
    # Editors, another department's head, viewers and administrators are not told.
    for user in (editor, other_head, viewer, administrator):
        assert told(user, Kind.CORRECTIVE_ACTION) == []


def test_a_done_action_tells_nobody(head, action):
    action.status, action.done_on = "done", D(2026, 2, 20)
    action.save()
    run(D(2026, 3, 5))
    assert told(head, Kind.CORRECTIVE_ACTION) == []


def test_a_new_due_date_is_told_anew(head, action):
    run(D(2026, 3, 5))
    action.due_on = D(2026, 4, 1)
    action.save()
    run(D(2026, 3, 26))
    assert len(told(head, Kind.CORRECTIVE_ACTION)) == 2


def test_the_heads_preference_sends_it_by_e_mail(head, action):
    head.email = "head@khv.test"
    head.save()
    NotificationPreference.objects.create(
        user=head, kind=Kind.CORRECTIVE_ACTION, delivery=Delivery.IMMEDIATE
    )
    run(D(2026, 3, 5))
    email = OutgoingEmail.objects.get(user=head)
    assert "Срок исполнения корректирующего мероприятия" in email.subject
    assert "Принять двух специалистов." in email.body


# --- quarterly values -----------------------------------------------------------------------------


@pytest.fixture
def quarterly(department):
    """An indicator reported by quarter (Q1 2026 in); another reported only yearly."""
    indicator = IndicatorFactory(department=department, code="Q.1")
    IndicatorValueFactory(indicator=indicator, year=2026, quarter=1, value=Decimal(5))
    IndicatorFactory(department=department, code="Y.1")
    return indicator


def test_a_quarterly_value_due_in_7_days_then_overdue_tells_the_editors(
    editor, head, viewer, other_editor, quarterly
):
    # The 2nd quarter ends on 30 June; its values are due on 15 July (the default calendar).
    run(D(2026, 7, 7))
    assert told(editor, Kind.DUE_SOON) == []

    run(D(2026, 7, 8))
    [soon] = told(editor, Kind.DUE_SOON)
    assert soon == (
        "Значение показателя Q.1 за 2 квартал 2026 года нужно сдать до 15.07.2026 "
        "(осталось дней: 7)"
    )
    assert told(head, Kind.DUE_SOON) == [soon]
    run(D(2026, 7, 9))
    assert len(told(editor, Kind.DUE_SOON)) == 1

    run(D(2026, 7, 15))
    assert told(editor, Kind.OVERDUE) == []
    run(D(2026, 7, 16))
    [late] = told(editor, Kind.OVERDUE)
    assert "за 2 квартал 2026 года просрочен(о): срок был 15.07.2026" in late
    assert "(дней просрочки: 1)" in late
    run(D(2026, 8, 1))
    assert len(told(editor, Kind.OVERDUE)) == 1
    for user in (viewer, other_editor):
        assert told(user, Kind.DUE_SOON) == told(user, Kind.OVERDUE) == []
    assert not Notification.objects.filter(text__contains="Y.1").exists()


def test_a_submitted_quarterly_value_is_not_reminded(editor, quarterly):
    IndicatorValueFactory(indicator=quarterly, year=2026, quarter=2, state=WorkflowState.SUBMITTED)
    run(D(2026, 7, 16))
    assert told(editor, Kind.OVERDUE) == []


def test_the_fourth_quarter_falls_due_in_january_beside_the_annual_report(editor, quarterly):
    """Q4 2026 is due on 15 January 2027: its reminder has a key of its own, so the annual
    report's reminders of the same indicator and year are not mistaken for it."""
    run(D(2027, 1, 16))
    [late] = told(editor, Kind.OVERDUE)
    assert "за 4 квартал 2026 года" in late
