"""The public portal in Chromium: a head publishes a year, an anonymous visitor finds it; every
public page and the main staff pages pass axe-core's WCAG 2.1 AA checks (no serious or
critical violation)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.browser.conftest import RESULTS_DIR
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    GoalFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
    TaskFactory,
    UserFactory,
)
from tests.indicators.factories import (
    AgreementFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

YEAR = 2015


def build():
    department = DepartmentFactory(short_name="УМиМС")
    head = UserFactory(username="head", department=department, role=Role.HEAD)
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    plan = StrategicPlanFactory(title="Стратегический план до 2020 года", horizon_year=2020)
    section = SectionFactory(plan=plan, number="6.4.2", title="Расширение связей")
    GoalFactory(section=section)
    TaskFactory(section=section)
    measure = MeasureFactory(section=section, department=department, period_start=2008)
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section),
        department=department,
        name="Число соглашений",
    )
    for year, value in ((2014, 3), (YEAR, 4)):
        TargetFactory(indicator=indicator, year=year, value=Decimal(5))
        IndicatorValueFactory(
            indicator=indicator,
            year=year,
            value=Decimal(value),
            author=editor,
            reviewer=head,
            reviewed_at=timezone.now(),
        )
    ProgressReportFactory(
        measure=measure,
        year=YEAR,
        quarter=None,
        state=WorkflowState.APPROVED,
        text="Подписан протокол о побратимстве.",
        author=editor,
        reviewer=head,
    )
    AgreementFactory(department=department)
    return {"head": head, "section": section, "indicator": indicator, "measure": measure}


def outside_requests(page, live_server):
    leaving = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else leaving.append(request.url)
        ),
    )
    return leaving


def test_a_head_publishes_a_year_and_a_visitor_finds_it(browser, page, login, live_server):
    world = build()
    login(world["head"])
    page.goto(f"{live_server.url}{reverse('dashboards:annual_report', args=[YEAR])}")
    assert page.locator("#unpublished-badge").is_visible()
    page.click("#publish-button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#published-badge").is_visible()

    visitor = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
    anonymous = visitor.new_page()
    leaving = outside_requests(anonymous, live_server)
    anonymous.goto(f"{live_server.url}/public/")
    anonymous.click(f"text=Отчёт за {YEAR} год")
    anonymous.wait_for_load_state("networkidle")
    assert "Подписан протокол о побратимстве." in anonymous.content()
    anonymous.click("text=Число соглашений")
    anonymous.wait_for_load_state("networkidle")
    drawn = anonymous.evaluate(
        "() => Chart.getChart(document.getElementById('indicator-chart'))"
        ".data.datasets[1].data.filter((v) => v !== null)"
    )
    assert drawn == [4]  # 2014 is not published: its value stays inside
    row = anonymous.locator(f"#public-indicator-years tr[data-year='{YEAR}']")
    assert row.locator("[data-field=actual]").inner_text() == "4"
    # The page fits a phone: nothing wider than the screen.
    width = anonymous.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    RESULTS_DIR.mkdir(exist_ok=True)
    anonymous.screenshot(path=str(RESULTS_DIR / "public-indicator-phone.png"), full_page=True)
    assert leaving == []
    visitor.close()


def test_public_pages_pass_axe(page, live_server, axe):
    world = build()
    world_year = published_year(world)
    urls = [
        "/public/",
        reverse("public:section", args=[world["section"].pk]),
        reverse("public:indicator", args=[world["indicator"].pk]),
        reverse("public:report_list"),
        reverse("public:report", args=[world_year]),
        reverse("opendata:index"),
    ]
    assert_no_axe_violations(page, live_server, axe, urls)


def assert_no_axe_violations(page, live_server, axe, urls):
    """Each page opened as it is and checked by axe: none has a serious or critical
    violation."""
    found = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        found[url] = axe()
    failing = {url: violations for url, violations in found.items() if violations}
    assert failing == {}, "\n".join(f"{url}: {v}" for url, v in failing.items())


def published_year(world):
    from dashboards.models import PublishedReport

    PublishedReport.objects.create(year=YEAR, published_by=world["head"])
    return YEAR


def test_main_staff_pages_pass_axe(page, login, live_server, axe):
    world = build()
    login(world["head"])
    urls = [
        "/",
        reverse("dashboards:section_dashboard", args=[world["section"].pk]),
        reverse("activities:section_detail", args=[world["section"].pk]),
        reverse("activities:measure_detail", args=[world["measure"].pk]),
        reverse("indicators:indicator_detail", args=[world["indicator"].pk]),
        reverse("indicators:indicator_list"),
        reverse("partners:agreement_list"),
        reverse("my_work"),
        reverse("dashboards:annual_report", args=[YEAR]),
    ]
    assert_no_axe_violations(page, live_server, axe, urls)


def test_the_report_table_fits_a_1366_pixel_screen(browser, live_server, login, page):
    world = build()
    page.set_viewport_size({"width": 1366, "height": 768})
    login(world["head"])  # a head sees the reasons' forms: the widest table
    page.goto(f"{live_server.url}{reverse('dashboards:annual_report', args=[YEAR])}")
    table = page.locator("table[id^=report-indicators-]").first
    overflow = table.evaluate("(t) => t.parentElement.scrollWidth - t.parentElement.clientWidth")
    reason = page.locator("th:has-text('Причины отклонения')").first.bounding_box()
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "report-1366.png"))
    assert overflow <= 0
    assert reason["x"] + reason["width"] <= 1366


def test_the_other_staff_pages_pass_axe(page, login, live_server, axe):
    """The pages a head opens besides the main ones: the partner map (its cities are links),
    notifications (unread ones on a yellow ground), search, the partner registers, a report."""
    from notifications.models import Kind, Notification
    from tests.partners.factories import PartnerCityFactory

    world = build()
    PartnerCityFactory(
        name_ru="Ниигата", latitude=Decimal("37.9161"), longitude=Decimal("139.0364")
    )
    Notification.objects.create(
        user=world["head"], kind=Kind.AWAITING_APPROVAL, text="Отчёт ждёт утверждения.",
        link=reverse("my_work"), key="axe-unread",
    )  # fmt: skip
    report = world["measure"].reports.get()
    login(world["head"])
    urls = [
        reverse("partners:city_map"),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("search:search") + "?q=побратимство",
        reverse("partners:city_list"),
        reverse("partners:delegation_list"),
        reverse("partners:index"),
        reverse("activities:report_detail", args=[report.pk]),
        reverse("activities:plan_list"),
        reverse("dashboards:measure_list"),
    ]
    assert_no_axe_violations(page, live_server, axe, urls)


def test_every_public_page_reads_on_a_phone(browser, live_server):
    """A resident on a phone (390 px) reads every public page without scrolling sideways."""
    world = build()
    year = published_year(world)
    urls = [
        "/public/",
        reverse("public:section", args=[world["section"].pk]),
        reverse("public:indicator", args=[world["indicator"].pk]),
        reverse("public:report_list"),
        reverse("public:report", args=[year]),
        reverse("opendata:index"),
    ]
    visitor = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
    page = visitor.new_page()
    widths = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
    visitor.close()

    assert {url: width for url, width in widths.items() if width > 390} == {}
