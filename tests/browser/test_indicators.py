"""An editor enters a value and submits it; the head approves it; the status turns green."""

from decimal import Decimal

import pytest

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

# serialized_rollback: the role groups come from a data migration, which another browser
# test's flush would otherwise have removed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def badge_2015(page):
    return page.locator('tr[data-year="2015"] .badge')


def test_value_entered_submitted_and_approved_turns_the_status_green(
    page, live_server, login, screenshot
):
    department = DepartmentFactory(short_name="УЭРИ")
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    head = UserFactory(username="head", department=department, role=Role.HEAD)
    section = SectionFactory(plan=StrategicPlanFactory(horizon_year=2020), number="6.4.2")
    indicator = IndicatorFactory(
        code="6.4.2-4",
        name="Объём поступающих иностранных инвестиций",
        unit="млн долл. США",
        department=department,
        expected_result=ExpectedResultFactory(section=section),
    )
    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    errors = []
    # Console errors (a CSP violation would be one), except the favicon the portal lacks.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")
            and errors.append(message.text)
        ),
    )
    url = f"{live_server.url}{indicator.get_absolute_url()}"

    login(editor)
    page.goto(url)
    assert badge_2015(page).get_attribute("data-status") == "missing"
    assert "text-bg-secondary" in badge_2015(page).get_attribute("class")
    # The chart is drawn by the local Chart.js under the CSP (no inline script).
    assert page.evaluate("() => Chart.getChart('indicator-chart') !== undefined")

    page.click("text=Внести фактическое значение")
    page.fill("#id_year", "2015")
    page.fill("#id_value", "120,5")
    page.fill("#id_evidence_url", "https://khabstat.gks.ru/investment-2015")
    page.click("button[type=submit]:has-text('Сохранить')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").inner_text() == "Значение сохранено как черновик."
    assert badge_2015(page).get_attribute("data-status") == "missing"  # a draft does not count
    page.click("button:has-text('Отправить на согласование')")
    page.wait_for_load_state("networkidle")
    assert IndicatorValue.objects.get().state == "submitted"

    login(head)
    page.goto(url)
    page.click("button:has-text('Согласовать')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").inner_text() == "Значение согласовано."
    assert badge_2015(page).get_attribute("data-status") == "achieved"
    assert "text-bg-success" in badge_2015(page).get_attribute("class")
    assert badge_2015(page).inner_text() == "достигнуто"
    screenshot("indicator-approved")
    assert not errors
