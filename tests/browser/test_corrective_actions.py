"""A head, in Chromium: records the cause of a missed target and a corrective action on the
annual report, finds the action open (overdue) on the home dashboard and marks it done."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from dashboards.models import CorrectiveAction, ReasonForDeviation
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    SectionFactory,
    StrategicPlanFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

# serialized_rollback: the role groups come from a data migration, which another browser
# test's flush would otherwise have removed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
YEAR = 2025


def test_the_head_records_a_cause_and_an_action_and_marks_it_done(page, live_server, login):
    department = DepartmentFactory(short_name="УМиМС")
    plan = StrategicPlanFactory(title="Стратегический план", horizon_year=2030)
    section = SectionFactory(plan=plan, number="6.4.2", title="Внешние связи")
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section),
        department=department,
        code="6.4.2-1",
        name="Число принятых делегаций",
    )
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal(10))
    IndicatorValueFactory(indicator=indicator, year=YEAR, value=Decimal(6))  # 60 %: not achieved
    head = UserFactory(username="head", department=department, role=Role.HEAD)
    due = timezone.localdate() - datetime.timedelta(days=3)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    login(head)
    page.goto(f"{live_server.url}/dashboards/report/{YEAR}/")
    row = page.locator(f"#indicator-{indicator.pk}")
    row.get_by_text("Указать причину отклонения").click()
    row.locator("select[name=cause]").select_option("external_partners")
    row.locator("textarea[name=text]").fill("Партнёры перенесли визиты на следующий год.")
    row.get_by_role("button", name="Сохранить").click()
    row.locator("[data-reason]").wait_for()
    assert "действия (бездействие) партнёров и контрагентов" in row.inner_text()

    row.get_by_text("Добавить корректирующее мероприятие").click()
    row.locator(f"textarea#action-text-{indicator.pk}").fill("Согласовать график визитов.")
    row.locator("input[name=responsible]").fill("Петров П. П.")
    row.locator("input[name=responsible_position]").fill("заместитель начальника")
    row.locator("input[name=due_on]").fill(due.isoformat())
    row.get_by_role("button", name="Добавить мероприятие").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#indicator-{indicator.pk}")
    assert "Согласовать график визитов." in row.inner_text()
    assert "запланировано" in row.inner_text()
    action = CorrectiveAction.objects.get()
    assert ReasonForDeviation.objects.get().cause == "external_partners"

    page.goto(f"{live_server.url}/")
    panel = page.locator("#open-actions")
    item = panel.locator(f"[data-action='{action.pk}']")
    assert item.get_attribute("data-standing") == "overdue"
    assert "просрочено на 3 дня" in item.inner_text()
    assert panel.locator("#open-actions-overdue").get_attribute("data-count") == "1"

    item.get_by_role("button", name="Отметить выполненным").click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url
    assert "Корректирующее мероприятие отмечено как выполненное." in page.content()
    assert (
        "Невыполненных корректирующих мероприятий нет."
        in page.locator("#open-actions").inner_text()
    )
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", timezone.localdate())
    assert errors == []
