"""The home and section dashboards' aggregates are cached under a data version; every write to
what they show bumps it, so a change is on the very next page (see ``dashboards.cache``)."""

import datetime
import os
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.cache import caches as django_caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import Measure, ProgressReport
from dashboards import cache as dashboard_cache
from khv_strategy.workflow import WorkflowState, workflow_approve, workflow_submit
from partners import services as partner_services
from partners.models import Agreement
from tests.factories import MeasureFactory
from tests.indicators.factories import IndicatorValueFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("home")
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
            "BACKEND": "khv_strategy.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"khv-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches):
        assert type(django_caches["default"]).__name__ == "RedisCache"
        yield request.param
        cache.delete(dashboard_cache.VERSION_KEY)  # the rest expires with its timeout


@pytest.fixture
def viewer_client(backend, client_for, viewer):
    return client_for(viewer)


def home(client, **params):
    response = client.get(URL, {"year": YEAR, **params})
    assert response.status_code == 200
    return response.context["dashboard"]


def counted(client, **params):
    with CaptureQueriesContext(connection) as queries:
        dashboard = home(client, **params)
    return dashboard, len(queries)


def statuses(dashboard):
    return {item.status: item.count for item in dashboard.status_counts}


def test_a_second_request_is_served_from_the_cache(viewer_client, small_plan):
    first, uncached = counted(viewer_client)
    second, cached = counted(viewer_client)

    assert statuses(second) == statuses(first)
    assert second.plans[0].sections[0].year_mean == first.plans[0].sections[0].year_mean
    # Pinned: the session, the user and the user's groups (3), the user's and groups'
    # permissions (2) and the plan filter's default plan (1). The filters' choices and the
    # body (its figures: 11 queries here) come from the cache.
    assert uncached == 19
    assert cached == 6


def test_the_section_dashboard_is_cached_too(client_for, backend, viewer, small_plan):
    client = client_for(viewer)
    url = reverse("dashboards:section_dashboard", args=[small_plan["sections"][0].pk])
    with CaptureQueriesContext(connection) as uncached:
        first = client.get(url, {"year": YEAR})
    with CaptureQueriesContext(connection) as cached:
        second = client.get(url, {"year": YEAR})

    assert first.status_code == second.status_code == 200
    assert second.context["dashboard"].status_counts == first.context["dashboard"].status_counts
    assert len(uncached) == 12
    assert len(cached) == 6  # session, user, groups, the section, the user's permissions


def test_an_approval_shows_at_once(viewer_client, head, small_plan):
    missing = small_plan["indicators"][3]  # I4: a target of 10, no value yet
    value = IndicatorValueFactory(
        indicator=missing, year=YEAR, value=Decimal(10), state=WorkflowState.SUBMITTED
    )
    before = home(viewer_client)
    assert statuses(before) == {"achieved": 1, "at_risk": 2, "not_achieved": 1, "missing": 1}

    workflow_approve(item=value, by=head)

    after = home(viewer_client)
    assert statuses(after) == {"achieved": 2, "at_risk": 2, "not_achieved": 1, "missing": 0}
    assert after.approvals[0].title.startswith("I4 ")


def test_an_approved_progress_report_is_at_once_among_the_latest_approvals(
    viewer_client, editor, head, small_plan, department
):
    measure = MeasureFactory(section=small_plan["sections"][0], department=department)
    report = activity_services.progress_report_create(
        measure=measure, by=editor, year=YEAR, quarter=None, text="Сделано.", percent_done=50
    )
    workflow_submit(item=report, by=editor)
    assert not [a for a in home(viewer_client).approvals if a.kind == "progress_report"]

    workflow_approve(item=report, by=head)

    approvals = home(viewer_client).approvals
    assert approvals[0].kind == "progress_report"
    assert approvals[0].url == ProgressReport.objects.get().get_absolute_url()


def test_a_new_agreement_expiring_soon_shows_at_once(
    viewer_client, administrator, small_plan, department
):
    before = home(viewer_client).agreements
    assert before.expiring_count == 1

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

    after = home(viewer_client).agreements
    assert after.expiring_count == 2
    assert "Новое соглашение" in [agreement.title for agreement in after.expiring]


def test_a_measure_status_change_shows_at_once(viewer_client, head, small_plan):
    before = home(viewer_client).measure_totals
    measure = Measure.objects.get(status=Measure.Status.IN_PROGRESS)

    activity_services.measure_update(measure=measure, by=head, status=Measure.Status.DONE)

    after = home(viewer_client).measure_totals
    assert after[Measure.Status.DONE] == before[Measure.Status.DONE] + 1
    assert after.get(Measure.Status.IN_PROGRESS, 0) == before[Measure.Status.IN_PROGRESS] - 1
    assert after["late"] == before["late"] - 1


def test_the_cache_key_differs_by_plan_year_and_department(
    viewer_client, small_plan, other_department
):
    everyone = home(viewer_client)
    one_department = home(viewer_client, department=other_department.pk)
    other_year = home(viewer_client, year=YEAR + 1)

    assert sum(statuses(everyone).values()) == 5
    assert sum(statuses(one_department).values()) == 1  # I5 only
    assert one_department.department == other_department
    assert other_year.year == YEAR + 1 and everyone.year == YEAR
    keys = {
        dashboard_cache.key("home", plan, year, department, timezone.localdate())
        for plan in (small_plan["plan"].pk, small_plan["plan"].pk + 1)
        for year in (YEAR, YEAR + 1)
        for department in (None, other_department.pk)
    }
    assert len(keys) == 8


def test_a_write_bumps_the_data_version(backend, small_plan):
    version = dashboard_cache.data_version()

    MeasureFactory(section=small_plan["sections"][0])

    assert dashboard_cache.data_version() > version


def test_the_page_renders_with_the_cache_cleared(viewer_client, small_plan):
    before = home(viewer_client)
    if cache.__class__.__name__ == "LocMemCache":  # never flush a shared Redis database
        cache.clear()
    else:
        cache.delete(dashboard_cache.VERSION_KEY)

    after = home(viewer_client)

    assert statuses(after) == statuses(before)


def test_caching_can_be_switched_off(viewer_client, small_plan, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    _, first = counted(viewer_client)
    _, second = counted(viewer_client)
    assert first == second == 19


def test_the_navigation_counts_follow_a_submission_at_once(backend, client_for, head, department):
    """The "my work" counts are cached too, and a submission changes them on the next page."""
    from khv_strategy.workflow import WorkflowState, workflow_submit
    from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

    client = client_for(head)
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(department=department), state=WorkflowState.DRAFT
    )
    before = client.get(URL).context["my_work_counts"]["awaiting"]

    workflow_submit(item=value, by=head)

    assert client.get(URL).context["my_work_counts"]["awaiting"] == before + 1
