"""An editor enters a milestone's status with its evidence and submits it; the head approves
it and sees it on the section dashboard, counted as achieved, with no percentage."""

import pytest
from django.urls import reverse

from accounts.models import Role
from indicators.models import IndicatorValue
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    SectionFactory,
    StrategicPlanFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, TargetFactory

# serialized_rollback: the role groups come from a data migration (see test_indicators.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_milestone_status_entered_approved_and_seen_on_the_section_dashboard(
    page, live_server, login, screenshot
):
    department = DepartmentFactory(short_name="УМиМС")
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    head = UserFactory(username="head", department=department, role=Role.HEAD)
    section = SectionFactory(plan=StrategicPlanFactory(horizon_year=2020), number="6.4.2")
    milestone = IndicatorFactory(
        code="6.4.2-7",
        name="Подписано соглашение о побратимских связях с городом-партнёром",
        unit="—",
        kind="milestone",
        baseline_value=None,
        department=department,
        expected_result=ExpectedResultFactory(section=section),
    )
    TargetFactory(indicator=milestone, year=2015, value=None)
    url = f"{live_server.url}{milestone.get_absolute_url()}"

    login(editor)
    page.goto(url)
    page.click("text=Внести фактическое значение")
    assert page.locator("#id_value").get_attribute("type") == "hidden"
    page.fill("#id_year", "2015")
    page.select_option("#id_milestone_status", "done")
    page.fill("#id_evidence_url", "https://khabarovskadm.ru/news/sister-city-2015")
    page.fill("#id_comment", "Соглашение подписано главами городов 12 мая.")
    page.click("button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").inner_text() == "Значение сохранено как черновик."
    row = page.locator("tr[data-value]")
    assert row.locator("[data-milestone-status]").inner_text() == "выполнено"
    page.click("button:has-text('Отправить на согласование')")
    page.wait_for_load_state("networkidle")
    assert IndicatorValue.objects.get().state == "submitted"

    login(head)
    page.goto(url)
    page.click("button:has-text('Согласовать')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").inner_text() == "Значение согласовано."

    dashboard = reverse("dashboards:section_dashboard", args=[section.pk])
    page.goto(f"{live_server.url}{dashboard}?year=2015")
    row = page.locator('#indicator-table tr[data-indicator="6.4.2-7"]')
    cells = row.locator("td")
    assert cells.nth(1).inner_text() == "выполнено"  # the target: done by the end of 2015
    assert cells.nth(2).inner_text() == "выполнено"  # the status the editor entered
    assert "%" not in row.inner_text()
    assert row.locator(".badge").get_attribute("data-status") == "achieved"
    achieved = page.locator('#status-counts [data-status-count="achieved"] [data-count]')
    assert achieved.get_attribute("data-count") == "1"
    # No numeric indicator, so no mean: the progress reads "no data", never a made-up number.
    assert page.locator("#section-progress").inner_text().strip() == "нет данных"
    screenshot("milestone-on-section-dashboard")
