"""The dashboards' pieces are cached under a data version; every write to what they show bumps
it, so a change is on the very next page (see ``core.cache``).

Every assertion reads the response's bytes, as the user receives them: the view's context
holds objects computed lazily after the (cached) HTML is chosen, so it shows fresh figures
even when the page does not."""

import datetime
import os
import uuid
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.cache import caches as django_caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities import services as activity_services
from activities.models import Measure, ProgressReport
from core import cache as data_cache
from core.workflow import WorkflowState, workflow_approve, workflow_submit
from partners import services as partner_services
from partners.models import Agreement
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

from .conftest import YEAR
from .html import (
    links_in,
    measure_statuses,
    my_work_badge,
    parse,
    report_rows,
    select_options,
    status_counts,
)

pytestmark = pytest.mark.django_db
URL = reverse("home")
REPORT = reverse("dashboards:annual_report", args=[YEAR])
REPORT_XLSX = reverse("dashboards:annual_report_xlsx", args=[YEAR])
# `make test` starts the machine's Redis when it is down; production uses Redis as its cache.
REDIS_URL = os.environ.get("KHV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    """Every test runs on the test settings' LocMemCache and on the RedisCache production uses
    (under a prefix of its own: nothing else in Redis is touched)."""
    if request.param == "locmem":
        yield request.param
        return
    caches = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"khv-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches):
        assert type(django_caches["default"]).__name__ == "RedisCache"
        yield request.param
        cache.delete(data_cache.VERSION_KEY)  # the rest expires with its timeout


@pytest.fixture
def viewer_client(backend, client_for, viewer):
    return client_for(viewer)


def get_page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return parse(response.content)


def home(client, **params):
    """The home dashboard as its user receives it: the parsed HTML of the response."""
    return get_page(client, URL, **{"year": YEAR, **params})


def counted(client, url=URL, **params):
    with CaptureQueriesContext(connection) as queries:
        page = get_page(client, url, **{"year": YEAR, **params})
    return page, len(queries)


def figures(page):
    """Every number the home dashboard's body shows, and its lists."""
    return {
        "status_counts": status_counts(page),
        "percents": [e["data-percent"] for e in page.find_all(data_percent=True)],
        "section_counts": [
            (e["data-status-count"], e.text)
            for row in page.find_all("tr", data_section=True)
            for e in row.find_all(data_status_count=True)
        ],
        "measures": measure_statuses(page),
        "late": late_count(page),
        "agreements": links_in(page.by_id("agreements")),
        "approvals": links_in(page.by_id("latest-approvals")),
    }


def hrefs(page):
    return {href for href, _text in links_in(page)}


def approvals(page):
    """[(href, title)] of the latest approvals."""
    return links_in(page.by_id("latest-approvals"))


def expiring_agreements(page):
    count = int(page.by_id("agreements-expiring")["data-count"])
    titles = [title for _href, title in links_in(page.by_id("agreements").find("ul"))]
    return count, titles


def late_count(page):
    return int(page.by_id("late-measures").find(data_count=True)["data-count"])


def indicator_statuses(page):
    """{code: status} of the section dashboard's indicator table."""
    return {
        row["data-indicator"]: row.find(data_status=True)["data-status"]
        for row in page.by_id("indicator-table").find_all("tr", data_indicator=True)
    }


def approve_the_missing_value(head, small_plan):
    """I4 (a target of 10, no value yet) gets an approved value of 10: achieved."""
    value = IndicatorValueFactory(
        indicator=small_plan["indicators"][3],
        year=YEAR,
        value=Decimal(10),
        state=WorkflowState.SUBMITTED,
    )
    workflow_approve(item=value, by=head)


BEFORE = {"achieved": 1, "at_risk": 2, "not_achieved": 1, "missing": 1}
AFTER = {"achieved": 2, "at_risk": 2, "not_achieved": 1, "missing": 0}


# --- the cache serves repeated pages -----------------------------------------------------------


def test_a_second_request_is_served_from_the_cache(viewer_client, small_plan):
    first, uncached = counted(viewer_client)
    second, cached = counted(viewer_client)

    assert figures(first)["status_counts"] == BEFORE
    assert figures(second) == figures(first)
    # Pinned: the session, the user and the user's groups (3), the user's and groups'
    # permissions (2) and the plan filter's default plan (1). The filters' choices and the
    # body (its figures: 11 queries here) come from the cache. The open corrective actions
    # (their count and the first of them: 2) are cached apart from the body; the body's figures
    # include the forecast of the year under way (3).
    assert uncached == 30
    assert cached == 7


def test_the_section_dashboard_is_cached_too(client_for, backend, viewer, small_plan):
    client = client_for(viewer)
    url = reverse("dashboards:section_dashboard", args=[small_plan["sections"][0].pk])
    first, uncached = counted(client, url)
    second, cached = counted(client, url)

    assert status_counts(first) == {"achieved": 1, "at_risk": 1, "not_achieved": 1, "missing": 0}
    assert status_counts(second) == status_counts(first)
    assert indicator_statuses(second) == indicator_statuses(first)
    # The open corrective actions of the section (their count and the first of them) are part
    # of the cached figures: 2 more uncached.
    assert uncached == 20
    assert cached == 7  # session, user, groups, the section, the user's permissions, the bell


# --- a write shows on the very next page -------------------------------------------------------


def test_an_approval_shows_at_once(viewer_client, head, small_plan):
    assert status_counts(home(viewer_client)) == BEFORE
    assert status_counts(home(viewer_client)) == BEFORE  # now from the cache

    approve_the_missing_value(head, small_plan)

    after = home(viewer_client)
    assert status_counts(after) == AFTER
    assert approvals(after)[0][1].startswith("I4 ")


def test_an_approval_shows_at_once_on_the_section_dashboard(
    client_for, backend, viewer, head, small_plan
):
    client = client_for(viewer)
    url = reverse("dashboards:section_dashboard", args=[small_plan["sections"][1].pk])
    before = get_page(client, url, year=YEAR)
    assert indicator_statuses(before) == {"I4": "missing", "I5": "at_risk"}

    approve_the_missing_value(head, small_plan)

    after = get_page(client, url, year=YEAR)
    assert indicator_statuses(after) == {"I4": "achieved", "I5": "at_risk"}
    assert status_counts(after) == {"achieved": 1, "at_risk": 1, "not_achieved": 0, "missing": 0}


def test_an_approval_shows_at_once_in_the_annual_report(
    client_for, backend, viewer, head, small_plan
):
    client = client_for(viewer)
    assert report_rows(client.get(REPORT).content.decode())["I4"]["status"] == "missing"
    before_xlsx = client.get(REPORT_XLSX).content

    approve_the_missing_value(head, small_plan)

    row = report_rows(client.get(REPORT).content.decode())["I4"]
    assert (row["actual"], row["status"]) == ("10.0000", "achieved")
    after_xlsx = client.get(REPORT_XLSX).content
    assert after_xlsx != before_xlsx
    sheet = load_workbook(BytesIO(after_xlsx))["Показатели"]
    actual = {row[1]: row[8] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(actual["I4"])) == 10


def test_an_approved_progress_report_is_at_once_among_the_latest_approvals(
    viewer_client, editor, head, small_plan, department
):
    measure = MeasureFactory(section=small_plan["sections"][0], department=department)
    report = activity_services.progress_report_create(
        measure=measure, by=editor, year=YEAR, quarter=None, text="Сделано.", percent_done=50
    )
    workflow_submit(item=report, by=editor)
    url = ProgressReport.objects.get().get_absolute_url()
    before = approvals(home(viewer_client))
    assert url not in [href for href, _title in before]

    workflow_approve(item=report, by=head)

    assert approvals(home(viewer_client))[0][0] == url


def test_a_new_agreement_expiring_soon_shows_at_once(
    viewer_client, administrator, small_plan, department
):
    assert expiring_agreements(home(viewer_client)) == (1, ["Истекающее соглашение"])

    partner_services.record_create(
        model=Agreement,
        values={
            "title": "Новое соглашение",
            "kind": Agreement.Kind.COOPERATION,
            "level": "international",
            "signed_on": timezone.localdate() - datetime.timedelta(days=10),
            "valid_until": timezone.localdate() + datetime.timedelta(days=20),
            "department": department,
        },
        by=administrator,
    )

    count, titles = expiring_agreements(home(viewer_client))
    assert count == 2
    assert titles == ["Новое соглашение", "Истекающее соглашение"]


def test_a_measure_status_change_shows_at_once(viewer_client, head, small_plan):
    page = home(viewer_client)
    before = measure_statuses(page)
    assert before == {"planned": 1, "in_progress": 1, "done": 1, "cancelled": 0}
    assert late_count(page) == 1
    measure = Measure.objects.get(status=Measure.Status.IN_PROGRESS)

    activity_services.measure_update(measure=measure, by=head, status=Measure.Status.DONE)

    page = home(viewer_client)
    assert measure_statuses(page) == {**before, "in_progress": 0, "done": 2}
    assert late_count(page) == 0


def test_a_new_department_is_at_once_among_the_filters_choices(viewer_client, small_plan):
    labels = [label for _value, label in select_options(home(viewer_client), "department")]
    assert labels[1:] == ["УМС", "УО"]

    department = DepartmentFactory(name="Новый департамент", short_name="НД")

    options = select_options(home(viewer_client), "department")
    assert (str(department.pk), "НД") in options


def test_the_navigation_counts_follow_a_submission_at_once(backend, client_for, head, department):
    """The "my work" counts are cached too, and a submission changes them on the next page."""
    client = client_for(head)
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(department=department), state=WorkflowState.DRAFT, author=head
    )
    before = my_work_badge(get_page(client, URL))
    assert before == {"total": 1, "due": 0, "in_progress": 1, "awaiting": 0}  # the draft
    assert my_work_badge(get_page(client, URL)) == before  # now from the cache

    workflow_submit(item=value, by=head)

    after = my_work_badge(get_page(client, URL))
    assert after == {"total": 1, "due": 0, "in_progress": 0, "awaiting": 1}


# --- keys, versions, failures --------------------------------------------------------------------


def test_each_filter_has_its_own_cached_body(viewer_client, small_plan, other_department):
    """Plan, year and department are each in the body's key: every page is asked twice (the
    second time from the cache) and shows its own figures, not another filter's."""
    other_plan = StrategicPlanFactory(title="Другой план", horizon_year=2020)
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=SectionFactory(plan=other_plan)),
        department=other_department,
    )
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal(10))
    plan = small_plan["plan"].pk
    pages = {
        "everyone": {"plan": plan},
        "one department": {"plan": plan, "department": other_department.pk},
        "other year": {"plan": plan, "year": YEAR + 1},
        "other plan": {"plan": other_plan.pk},
    }
    for _round in range(2):
        seen = {
            name: status_counts(home(viewer_client, **params)) for name, params in pages.items()
        }
        assert seen == {
            "everyone": BEFORE,
            "one department": {"achieved": 0, "at_risk": 1, "not_achieved": 0, "missing": 0},
            "other year": {"achieved": 0, "at_risk": 0, "not_achieved": 0, "missing": 0},
            "other plan": {"achieved": 0, "at_risk": 0, "not_achieved": 0, "missing": 1},
        }
    # The body's link to the annual report is the year's too.
    other_report = reverse("dashboards:annual_report", args=[YEAR + 1])
    everyone, other_year = (
        home(viewer_client, plan=plan),
        home(viewer_client, **pages["other year"]),
    )
    assert REPORT in hrefs(everyone) and other_report not in hrefs(everyone)
    assert other_report in hrefs(other_year) and REPORT not in hrefs(other_year)


def test_a_write_bumps_the_data_version(backend, small_plan):
    version = data_cache.data_version()

    MeasureFactory(section=small_plan["sections"][0])

    assert data_cache.data_version() > version


def test_the_page_renders_with_the_cache_cleared(viewer_client, small_plan):
    before = figures(home(viewer_client))
    if cache.__class__.__name__ == "LocMemCache":  # never flush a shared Redis database
        cache.clear()
    else:
        cache.delete(data_cache.VERSION_KEY)

    after = figures(home(viewer_client))

    assert after == before
    assert after["status_counts"] == BEFORE


def test_caching_can_be_switched_off(viewer_client, small_plan, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    first, queries_first = counted(viewer_client)
    second, queries_second = counted(viewer_client)
    # The home page's 25, the forecast of the year under way (3) and the open corrective
    # actions (count and list, cached apart: 2).
    assert queries_first == queries_second == 30
    assert figures(second) == figures(first)
