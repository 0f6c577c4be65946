"""The daily run: a date passing makes "due in 7 days", "overdue" and "agreement expires"
notifications, once each, for the people the permissions name."""

import datetime

import pytest

from accounts.models import Role
from core.workflow import WorkflowState
from notifications import services
from notifications.models import Kind, Notification, ReportingCalendar
from tests.activities.factories import ProgressReportFactory
from tests.factories import UserFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_due_soon_then_overdue_to_the_departments_editors(
    editor, head, viewer, other_editor, administrator, measure
):
    # Due on 1 February 2026 for 2025 (the default calendar).
    assert services.daily_run(D(2026, 1, 24)) == {"notifications": 0, "digests": 0}

    services.daily_run(D(2026, 1, 25))
    assert kinds(editor) == kinds(head) == [Kind.DUE_SOON]
    text = Notification.objects.get(user=editor).text
    assert f"Годовой отчёт по мероприятию {measure.number} за 2025 год" in text
    assert "01.02.2026" in text
    assert kinds(viewer) == kinds(other_editor) == kinds(administrator) == []

    services.daily_run(D(2026, 1, 26))  # the next day says nothing new
    assert kinds(editor) == [Kind.DUE_SOON]

    services.daily_run(D(2026, 2, 1))
    assert kinds(editor) == [Kind.DUE_SOON]  # the due day is still in time
    services.daily_run(D(2026, 2, 2))
    assert kinds(editor) == [Kind.DUE_SOON, Kind.OVERDUE]
    assert "дней просрочки: 1" in Notification.objects.get(user=editor, kind=Kind.OVERDUE).text
    services.daily_run(D(2026, 2, 20))
    assert kinds(editor) == [Kind.DUE_SOON, Kind.OVERDUE]  # told once


def test_a_submitted_report_is_not_overdue_a_draft_is(editor, measure, department):
    ProgressReportFactory(measure=measure, year=2025, quarter=None, state=WorkflowState.SUBMITTED)
    late = ProgressReportFactory(
        measure__department=department, year=2025, quarter=None, state=WorkflowState.DRAFT
    )
    services.daily_run(D(2026, 2, 2))
    [notification] = Notification.objects.filter(user=editor)
    assert f"мероприятию {late.measure.number}" in notification.text


def test_an_indicator_with_a_target_and_no_value_is_overdue(editor, department):
    indicator = IndicatorFactory(department=department)
    TargetFactory(indicator=indicator, year=2025)
    done = IndicatorFactory(department=department)
    TargetFactory(indicator=done, year=2025)
    IndicatorValueFactory(indicator=done, year=2025, state=WorkflowState.APPROVED)
    services.daily_run(D(2026, 2, 2))
    [notification] = Notification.objects.filter(user=editor)
    assert indicator.code in notification.text and notification.kind == Kind.OVERDUE


def test_the_plans_calendar_moves_the_reminders(editor, measure):
    ReportingCalendar.objects.create(
        plan=measure.section.plan, annual_due_month=3, annual_due_day=1
    )
    services.daily_run(D(2026, 2, 2))
    assert kinds(editor) == []
    services.daily_run(D(2026, 2, 22))
    assert kinds(editor) == [Kind.DUE_SOON]


def test_an_agreement_expiring_in_90_and_in_30_days(editor, head, viewer, other_editor, department):
    agreement = AgreementFactory(department=department, valid_until=D(2026, 6, 30))
    services.daily_run(D(2026, 3, 1))  # 121 days ahead
    assert kinds(editor) == []
    services.daily_run(D(2026, 4, 1))  # 90 days ahead
    assert kinds(editor) == kinds(head) == [Kind.AGREEMENT_EXPIRING]
    assert agreement.title in Notification.objects.get(user=editor).text
    services.daily_run(D(2026, 4, 2))
    assert len(kinds(editor)) == 1
    services.daily_run(D(2026, 5, 31))  # 30 days ahead
    assert kinds(editor) == [Kind.AGREEMENT_EXPIRING] * 2
    assert kinds(viewer) == kinds(other_editor) == []


def test_an_inactive_editor_is_not_told(department, measure):
    gone = UserFactory(department=department, role=Role.EDITOR, is_active=False)
    services.daily_run(D(2026, 2, 2))
    assert kinds(gone) == []


def test_an_indicator_at_risk_warns_the_head_once_per_quarter(head, editor, viewer, department):
    from decimal import Decimal

    indicator = IndicatorFactory(department=department)
    TargetFactory(indicator=indicator, year=2026, value=Decimal(100))
    IndicatorValueFactory(indicator=indicator, year=2026, quarter=1, value=Decimal(10))
    services.daily_run(D(2026, 4, 20))
    [warning] = Notification.objects.filter(user=head)
    assert warning.kind == Kind.AT_RISK and indicator.code in warning.text
    assert "40.00" in warning.text and "риск недостижения" in warning.text
    assert kinds(editor) == kinds(viewer) == []
    services.daily_run(D(2026, 4, 21))
    assert kinds(head) == [Kind.AT_RISK]
    # A good second quarter: the forecast reaches the target, nothing more is said.
    IndicatorValueFactory(indicator=indicator, year=2026, quarter=2, value=Decimal(60))
    services.daily_run(D(2026, 7, 20))
    assert kinds(head) == [Kind.AT_RISK]
