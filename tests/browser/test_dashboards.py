"""The home dashboard in Chromium: every chart draws its data, nothing breaks the CSP."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

# serialized_rollback: the role groups come from a data migration, which another browser
# test's flush would otherwise have removed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def build():
    department = DepartmentFactory(short_name="УМиМС")
    plan = StrategicPlanFactory(title="Стратегический план до 2020 года", horizon_year=2020)
    for number, degrees in (("6.4.1", (80, 95, 110)), ("6.4.2", (60, 100, 90))):
        section = SectionFactory(plan=plan, number=number, title=f"Раздел {number}")
        indicator = IndicatorFactory(
            expected_result=ExpectedResultFactory(section=section), department=department
        )
        for year, degree in zip((2014, 2015, 2016), degrees, strict=True):
            TargetFactory(indicator=indicator, year=year, value=Decimal(100))
            IndicatorValueFactory(
                indicator=indicator,
                year=year,
                value=Decimal(degree),
                reviewed_at=timezone.now(),
            )
        MeasureFactory(
            section=section,
            department=department,
            deadline=timezone.localdate() - datetime.timedelta(days=5),
        )
    return UserFactory(username="viewer", department=department, role=Role.VIEWER)


CHARTS_WITH_DATA = """() => Array.from(
  document.querySelectorAll('canvas[data-chart]')
).map((canvas) => {
  const chart = Chart.getChart(canvas);
  return {
    source: canvas.dataset.source,
    drawn: Boolean(chart),
    points: chart ? chart.data.datasets.flatMap((d) => d.data).filter((v) => v !== null).length : 0,
    width: canvas.width,
  };
})"""


@pytest.mark.parametrize(("width", "name"), [(1280, "laptop"), (768, "tablet")])
def test_the_home_dashboard_draws_every_chart(page, live_server, login, screenshot, width, name):
    viewer = build()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 900})
    login(viewer)

    page.goto(f"{live_server.url}/?year=2016")
    page.wait_for_load_state("networkidle")
    screenshot(f"dashboards-home-{name}")

    charts = page.evaluate(CHARTS_WITH_DATA)
    assert len(charts) == 2
    for chart in charts:
        assert chart["drawn"], chart
        assert chart["points"] >= 1, chart
        assert chart["width"] > 0, chart
    assert page.locator('[data-status-count="achieved"] [data-count]').first.inner_text() == "1"
    # The navbar collapses on a tablet; the item is there either way.
    assert page.locator("#main-nav .nav-link", has_text="Мониторинг").count() == 1
    assert errors == []


def test_the_section_dashboard_draws_a_sparkline_per_indicator(
    page, live_server, login, screenshot
):
    viewer = build()
    login(viewer)

    page.goto(f"{live_server.url}/")
    page.click("table[id^=sections-] tbody tr:first-child td:first-child a")
    page.wait_for_load_state("networkidle")
    screenshot("dashboards-section")

    charts = page.evaluate(CHARTS_WITH_DATA)
    assert [chart["source"].split("-")[0] for chart in charts] == ["section", "sparkline"]
    assert all(chart["drawn"] and chart["points"] >= 1 for chart in charts)


def test_the_annual_report_prints_without_navigation(page, live_server, login, screenshot):
    viewer = build()
    login(viewer)

    page.goto(f"{live_server.url}/dashboards/report/2015/")
    page.emulate_media(media="print")
    screenshot("dashboards-report-print")

    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#xlsx-link").is_visible()
    assert page.locator("tr[data-indicator]").count() == 2
