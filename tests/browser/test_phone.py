"""On a phone (390 px wide) the home page, a measure's reports and an indicator's page keep
their key columns (status, actions) on screen: no sideways scrolling to reach them."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


def build():
    department = DepartmentFactory(short_name="УМиМС")
    plan = StrategicPlanFactory(title="Стратегический план до 2020 года", horizon_year=2020)
    section = SectionFactory(
        plan=plan,
        number="6.4.2",
        title="Развитие международных и межрегиональных связей города Хабаровска",
    )
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section),
        department=department,
        name="Количество принятых делегаций из других регионов и стран",
    )
    for year in (2019, 2020):
        TargetFactory(indicator=indicator, year=year, value=Decimal(100))
        IndicatorValueFactory(
            indicator=indicator,
            year=year,
            value=Decimal("295.5"),
            reviewed_at=timezone.now(),
            comment="Данные управления по итогам года, сверенные с протоколами встреч.",
        )
    IndicatorValueFactory(
        indicator=indicator, year=2018, value=Decimal(7), state=WorkflowState.SUBMITTED
    )
    measure = MeasureFactory(
        section=section,
        department=department,
        text="Организация обмена делегациями с городами-побратимами и партнёрами. " * 3,
    )
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    ProgressReportFactory(
        measure=measure,
        year=2020,
        author=editor,
        state=WorkflowState.SUBMITTED,
        text="Проведены встречи с делегациями Ниигаты, Виктории и Портленда. " * 4,
        evidence_url="https://khabarovskadm.ru/news/very/long/path/to/the/evidence/page",
    )
    head = UserFactory(username="head", department=department, role=Role.HEAD)
    return head, measure, indicator


# The key cells of each page: each must lie inside the 390 px viewport.
KEY_CELLS = {
    "home": ["[data-section-progress]", "[data-status-count]"],
    "measure": [".reports .report-actions button", ".reports .badge"],
    "indicator": [
        "#progress-table tbody tr td:last-child .badge",
        "#values-table .value-actions button",
        "#values-table tbody td .badge",
    ],
}


def test_key_columns_stay_on_a_phone_screen(page, login, live_server, screenshot):
    head, measure, indicator = build()
    page.set_viewport_size(PHONE)
    login(head)
    urls = {
        "home": "/?year=2020",
        "measure": measure.get_absolute_url(),
        "indicator": indicator.get_absolute_url(),
    }
    problems = []
    for name, url in urls.items():
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        screenshot(f"phone-{name}")
        for selector in KEY_CELLS[name]:
            element = page.locator(selector).first
            box = element.bounding_box()
            assert box is not None, (name, selector)
            if box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
                problems.append((name, selector, round(box["x"] + box["width"])))
        # Nothing on the page scrolls sideways, inside a table wrapper or the page itself.
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('.table-responsive, body'))
                 .filter((e) => e.scrollWidth > e.clientWidth + 1).length"""
        )
        if wide:
            culprits = page.evaluate(
                """() => Array.from(document.querySelectorAll('.table-responsive, body'))
                     .filter((e) => e.scrollWidth > e.clientWidth + 1)
                     .map((e) => Array.from(e.querySelectorAll('*'))
                        .filter((c) => c.getBoundingClientRect().right > e.clientWidth + 1)
                        .slice(0, 3).map((c) => c.tagName + '.' + c.className + '#' + c.id))"""
            )
            problems.append((name, "sideways scrolling", wide, culprits))
    assert problems == []


def test_partner_filters_fold_away_on_a_phone(page, login, live_server, screenshot):
    from tests.partners.factories import PartnerCityFactory

    department = DepartmentFactory(short_name="УМиМС")
    PartnerCityFactory(name_ru="Ниигата", country="JP", department=department)
    viewer = UserFactory(username="viewer", department=department, role=Role.VIEWER)
    login(viewer)
    url = f"{live_server.url}/partners/cities/"

    page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    screenshot("phone-partner-cities")
    assert not page.locator("details.record-filters").evaluate("(d) => d.open")
    assert not page.locator("#id_q").is_visible()
    table_top = page.locator("table").first.bounding_box()["y"]
    assert table_top < PHONE["height"]  # the records come first, on the first screen
    page.click("details.record-filters > summary")
    assert page.locator("#id_q").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_q").is_visible()  # on a wide screen they start open


def test_the_measures_field_is_searchable(page, login, live_server):
    department = DepartmentFactory(short_name="УМиМС")
    MeasureFactory(department=department, text="Обмен делегациями с Ниигатой.")
    MeasureFactory(department=department, text="Ярмарка в Харбине.")
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    login(editor)
    page.goto(f"{live_server.url}/partners/cities/new/")
    page.wait_for_load_state("networkidle")

    page.fill("input.select-search", "харбин")

    visible = page.locator("#id_measures option:not([hidden])").all_inner_texts()
    assert len(visible) == 1 and "Ярмарка в Харбине" in visible[0]


def test_the_buttons_above_the_tables_do_not_push_a_phone_page_sideways(
    page, login, live_server, screenshot
):
    """The buttons above the tables: a head's 'mark done' beside an overdue corrective action on
    the home page; 'set targets' and 'enter a value' beside the indicator's name."""
    import datetime

    from dashboards.models import CorrectiveAction, ReasonForDeviation

    head, measure, indicator = build()
    indicator.name = "Объём поступающих иностранных инвестиций"
    indicator.save()
    administrator = UserFactory(username="administrator", role=Role.ADMINISTRATOR)
    reason = ReasonForDeviation.objects.create(
        indicator=indicator, year=2020, text="Перенос визитов партнёров.", author=head
    )
    CorrectiveAction.objects.create(
        reason=reason,
        text="Согласовать с городами-партнёрами новый график визитов и включить перенесённые "
        "мероприятия в план на следующий год.",
        responsible="Руководитель",
        responsible_position="руководитель подразделения",
        due_on=timezone.localdate() - datetime.timedelta(days=1799),  # an overdue badge
        status=CorrectiveAction.Status.IN_PROGRESS,
        author=head,
    )
    page.set_viewport_size(PHONE)
    widths = {}
    login(head)
    page.goto(f"{live_server.url}/?year=2020")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-mark-done]").first.is_visible()
    screenshot("phone-home-head-actions")
    widths["home"] = page.evaluate("() => document.documentElement.scrollWidth")
    page.context.clear_cookies()
    login(administrator)
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Внести фактическое значение").is_visible()
    screenshot("phone-indicator-administrator")
    widths["indicator"] = page.evaluate("() => document.documentElement.scrollWidth")

    assert widths == {"home": PHONE["width"], "indicator": PHONE["width"]}


PARTNER_LISTS = ["cities", "organisations", "agreements", "delegations", "exchanges", "events"]


def test_the_partner_registers_stack_on_a_phone_and_keep_their_sorting(
    page, login, live_server, screenshot
):
    """Each register's rows become cards on a phone: the status badge (agreements, events) on
    screen, nothing scrolling sideways, and the sortable columns still offered as links."""
    from tests.partners import factories

    department = DepartmentFactory(short_name="УМиМС")
    niigata = factories.PartnerCityFactory(
        department=department, name_ru="Ниигата", country="JP", region="Префектура Ниигата"
    )
    agreement = factories.AgreementFactory(
        department=department,
        title="Соглашение об установлении побратимских связей между городами Хабаровск и Ниигата",
    )
    agreement.partner_cities.add(niigata)
    factories.PartnerOrganisationFactory(department=department, city=niigata)
    factories.DelegationFactory(department=department, partner_city=niigata)
    factories.ExchangeFactory(department=department)
    event = factories.EventFactory(department=department, social_sphere=True)
    event.partner_cities.add(niigata)
    viewer = UserFactory(username="viewer", department=department, role=Role.VIEWER)
    page.set_viewport_size(PHONE)
    login(viewer)

    found = {}
    for name in PARTNER_LISTS:
        page.goto(f"{live_server.url}/partners/{name}/")
        page.wait_for_load_state("networkidle")
        screenshot(f"phone-partners-{name}")
        found[name] = page.evaluate(
            """() => {
              const W = window.innerWidth;
              const wrapper = document.querySelector('.table-responsive');
              const badges = Array.from(document.querySelectorAll('main table tbody .badge'));
              const sortLinks = Array.from(document.querySelectorAll('main table thead a'))
                .filter((a) => a.getBoundingClientRect().width > 0);
              return {
                page: document.documentElement.scrollWidth,
                inner: wrapper.scrollWidth - wrapper.clientWidth,
                badgesOff: badges.filter((b) => b.getBoundingClientRect().right > W).length,
                sortable: sortLinks.length > 0,
              };
            }"""
        )
    expected = {"page": PHONE["width"], "inner": 0, "badgesOff": 0, "sortable": True}
    assert found == dict.fromkeys(PARTNER_LISTS, expected)
