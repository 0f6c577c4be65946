"""Every dashboard and report asks the database the same number of times whatever the data
size: all aggregation is SQL in the indicators' progress selector and grouped queries, so no
page grows an N+1 over plans, sections, indicators, measures, agreements or approvals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Section, StrategicPlan

from .conftest import build_plan

pytestmark = pytest.mark.django_db
YEAR = 2015


def pages(department):
    section = Section.objects.order_by("pk").first()
    return {
        "home": (reverse("home"), {"year": YEAR}),
        "home for a department": (reverse("home"), {"year": YEAR, "department": department.pk}),
        "section": (reverse("dashboards:section_dashboard", args=[section.pk]), {"year": YEAR}),
        "report": (reverse("dashboards:annual_report", args=[YEAR]), {}),
        "xlsx": (reverse("dashboards:annual_report_xlsx", args=[YEAR]), {}),
        "docx": (reverse("dashboards:annual_report_docx", args=[YEAR]), {}),
        "measures": (reverse("dashboards:measure_list"), {"late": "on"}),
    }


def count_queries(client, department):
    counts = {}
    for name, (url, params) in pages(department).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.fixture
def head_client(client_for, head):
    return client_for(head)


def test_the_query_counts_do_not_grow_with_the_data(head_client, department, settings):
    # The computation itself is measured: the dashboards' cache is off (see the next test).
    settings.DASHBOARD_CACHE_SECONDS = 0
    build_plan(sections=2, indicators_per_section=3, department=department)
    small = count_queries(head_client, department)

    build_plan(sections=10, indicators_per_section=5, department=department)
    large = count_queries(head_client, department)

    assert Section.objects.count() == 12
    assert small == large
    # Pinned so that a new query on a page is a decision, not an accident. Each includes the
    # session, the user and the user's groups (3); the home page adds the default reporting
    # year, the sections, the progress selector (indicators, targets, values, one per
    # computation), the measure counts, the late measures, the agreements (counts and list) and
    # the approvals (values and reports: one query each). Every page with the navigation bar
    # adds the two "my work" counts and the default reporting year they are for (3) and the
    # bell's unread count (1); the report and its XLSX and Word files add the last approved
    # report of each measure and the sections' proposals, the report page whether its year is
    # closed (no reasons are written then), whether it is published and which sections the head
    # may write proposals for; home and section add what is overdue (5).
    # The home page shows one plan at a time: the plan filter's choices and the default plan.
    # Every page with the navigation bar adds the bell's unread count (1); the home and section
    # dashboards add what is overdue (notifications.selectors.overdue_summary: 5) and the open
    # corrective actions (dashboards.selectors.open_corrective_actions: their counts and the
    # first of them, 2); the home page the forecast of the year under way for its at-risk
    # counts (dashboards.selectors.forecast_at_risk_by_section: the indicators' kinds, their
    # quarters, the year's targets, 3).
    assert large == {
        "home": 35,
        "home for a department": 36,
        "section": 24,
        "report": 21,
        "xlsx": 11,
        "docx": 11,
        "measures": 14,
    }


def test_the_cached_pages_ask_the_database_even_less(head_client, department):
    """With the cache on, a repeated home or section page asks only for the session, the
    user, the bell's count and the chosen filters (home 29 → 7, section 21 → 7, report 17 → 7):
    the dashboards' and the report's figures, the home page's body, the workbook, the filters'
    choices and the navigation's "my work" counts come from the cache."""
    build_plan(sections=10, indicators_per_section=5, department=department)
    count_queries(head_client, department)  # fills the cache

    cached = count_queries(head_client, department)

    assert cached == {
        "home": 7,
        "home for a department": 8,
        "section": 7,
        # The annual report's figures and its workbook come from the cache too: what is left is
        # the session, the user and their roles, whether the year is closed (and, on the page,
        # the permissions for the reasons' and the proposals' forms, whether it is published).
        "report": 9,
        "xlsx": 3,
        "docx": 3,
        "measures": 9,
    }


def test_the_home_page_shows_one_plan_at_a_time(head_client, department):
    build_plan(sections=2, indicators_per_section=1, department=department)
    build_plan(sections=3, indicators_per_section=1, department=department)
    first, second = StrategicPlan.objects.order_by("status", "title")

    default = head_client.get(reverse("home")).context["dashboard"]
    chosen = head_client.get(reverse("home"), {"plan": second.pk}).context["dashboard"]

    assert [row.title for row in default.plans] == [first.title]
    assert [row.title for row in chosen.plans] == [second.title]
    assert head_client.get(reverse("home"), {"plan": 999999}).status_code == 400


def with_causes(plan, author):
    """A cause and two corrective actions (one open, one done) for every indicator of the plan
    in YEAR."""
    import datetime

    from dashboards.models import CorrectiveAction, ReasonForDeviation
    from indicators.models import Indicator

    for indicator in Indicator.objects.filter(expected_result__section__plan=plan):
        reason = ReasonForDeviation.objects.create(
            indicator=indicator, year=YEAR, cause="internal_staff", text="Кадры.", author=author
        )
        for status, done_on in (("planned", None), ("done", datetime.date(YEAR + 1, 2, 1))):
            CorrectiveAction.objects.create(
                reason=reason,
                text="Мероприятие.",
                responsible="Петров П. П.",
                due_on=datetime.date(YEAR + 1, 3, 1),
                status=status,
                done_on=done_on,
                author=author,
            )


def test_causes_and_corrective_actions_cost_the_same_at_any_size(
    head_client, head, department, settings
):
    """The causes' actions are prefetched in one query for the report and its files (+1 when
    any cause exists); the dashboards' open actions are one count and one list however many
    there are (``open_corrective_actions``). No N+1 over causes or actions."""
    settings.DASHBOARD_CACHE_SECONDS = 0
    with_causes(build_plan(sections=2, indicators_per_section=3, department=department), head)
    small = count_queries(head_client, department)

    with_causes(build_plan(sections=10, indicators_per_section=5, department=department), head)
    large = count_queries(head_client, department)

    assert small == large
    assert large == {
        "home": 35,
        "home for a department": 36,
        "section": 24,
        "report": 22,
        "xlsx": 12,
        "docx": 12,
        "measures": 14,
    }


def test_the_forecast_on_the_home_page_costs_the_same_at_any_size(
    head_client, department, settings
):
    """The home page asks the forecast of the year under way for the at-risk counts (the
    indicators' kinds, their quarters and the year's targets), the same at any size."""
    import datetime

    import time_machine

    from indicators.models import Indicator
    from tests.indicators.factories import IndicatorValueFactory, TargetFactory

    settings.DASHBOARD_CACHE_SECONDS = 0

    def quarters_for_all():
        # The numeric ones: a milestone has no quarters to forecast from.
        for indicator in Indicator.objects.filter(
            kind=Indicator.Kind.NUMERIC, accumulation="per_year", targets__year=2016
        ).exclude(targets__year=2026):
            TargetFactory(indicator=indicator, year=2026, value=100)
            for quarter in (1, 2):
                IndicatorValueFactory(indicator=indicator, year=2026, quarter=quarter, value=10)

    def home_queries(plan):
        moment = datetime.datetime(2026, 7, 10, 2, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as q:
            response = head_client.get(reverse("home"), {"year": 2026, "plan": plan.pk})
        assert response.status_code == 200
        return len(q), response.content.decode().count("data-forecast-at-risk=")

    plan = build_plan(sections=2, indicators_per_section=3, department=department)
    quarters_for_all()
    small, small_sections = home_queries(plan)
    plan = build_plan(sections=10, indicators_per_section=5, department=department)
    quarters_for_all()
    large, large_sections = home_queries(plan)

    assert (small_sections, large_sections) == (2, 10)  # every section has some at risk
    assert small == large == 35
