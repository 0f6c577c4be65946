"""`/api/v1/deletions/`: tombstones from the history tables, seen only by who could have seen
the row; and the sync recipe of docs/api.md (a full pull, then `updated_since` + deletions)
ends with the same copy as a new full pull."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tokens import api_token_issue
from core.workflow import WorkflowState
from indicators.models import IndicatorValue
from partners.models import Delegation
from tests.api.test_endpoints import list_url, populate
from tests.api.test_paging import pull
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/deletions/"


@pytest.fixture
def deleted(department, other_department):
    """A delegation, an approved value and a pending value of `department` deleted."""
    populate(department, 2)
    populate(other_department, 1)
    delegation = Delegation.objects.filter(department=department).first()
    approved = IndicatorValue.objects.filter(
        indicator__department=department, state=WorkflowState.APPROVED
    ).first()
    pending = IndicatorValue.objects.filter(
        indicator__department=department, state=WorkflowState.SUBMITTED
    ).first()
    expected = {
        "delegation": ("delegations", delegation.pk),
        "approved": ("indicator-values", approved.pk),
        "pending": ("indicator-values", pending.pk),
    }
    for row in (delegation, approved, pending):
        row.delete()
    return expected


def tombstones(client, query="", **extra):
    response = client.get(URL + query, **extra)
    assert response.status_code == 200, response.content
    return {(row["resource"], row["id"]) for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "sees_pending"),
    [
        ("viewer", False),
        ("editor", True),
        ("head", True),
        ("other_editor", False),
        ("other_head", False),
        ("administrator", True),
    ],
)
def test_staff_see_the_tombstones_of_rows_they_could_see(
    request, client_for, deleted, role, sees_pending
):
    seen = tombstones(client_for(request.getfixturevalue(role)))

    assert {deleted["delegation"], deleted["approved"]} <= seen
    assert (deleted["pending"] in seen) is sees_pending


def test_an_api_client_never_learns_of_a_pending_item(client, api_client_user, deleted):
    _token, key = api_token_issue(user=api_client_user, name="sync")

    seen = tombstones(client, HTTP_AUTHORIZATION=f"Token {key}")

    assert seen == {deleted["delegation"], deleted["approved"]}


def test_since_and_resource_narrow_the_tombstones(client_for, viewer, deleted):
    client = client_for(viewer)
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    earlier = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()

    assert tombstones(client, "?since=" + later.replace("+", "%2B")) == set()
    assert deleted["delegation"] in tombstones(client, "?since=" + earlier.replace("+", "%2B"))
    assert tombstones(client, "?resource=delegations") == {deleted["delegation"]}


def test_tombstones_are_oldest_first_with_their_moment(client_for, administrator, deleted):
    rows = client_for(administrator).get(URL).json()["results"]

    moments = [row["deleted_at"] for row in rows]
    assert moments == sorted(moments) and all(moments)


@pytest.mark.parametrize(
    "query", ["?since=yesterday", "?resource=nothing", "?updated_since=2020-01-01", "?page=0",
              "?pagination=cursor"],
)  # fmt: skip
def test_a_bad_deletions_query_is_refused(client_for, viewer, deleted, query):
    response = client_for(viewer).get(URL + query)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_anonymous_callers_are_refused(client, deleted):
    assert client.get(URL).status_code == 401


def test_deletions_queries_do_not_grow(client_for, viewer, department):
    client = client_for(viewer)
    counts = []
    for size in (2, 8):
        populate(department, size)
        Delegation.objects.filter(pk__in=Delegation.objects.values("pk")[: size // 2]).delete()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_sync_recipe_ends_with_a_full_pulls_copy(client, api_client_user, department):
    """docs/api.md: a full pull, then `updated_since` from the start of the last pull and the
    deletions since then; the copy is then what a new full pull gives."""
    populate(department, 4)
    _token, key = api_token_issue(user=api_client_user, name="sync")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    values = list_url("indicatorvalue") + "?pagination=cursor&page_size=3"
    started = timezone.now()
    copy = {row["id"]: row for row in pull(client, values)}

    approved = IndicatorValue.objects.filter(state=WorkflowState.APPROVED)
    edited, removed = approved[0], approved[1]
    removed_pk = removed.pk
    edited.value = Decimal(12345)
    edited.save()
    removed.delete()
    IndicatorValueFactory(indicator=IndicatorFactory(department=department), year=2020)

    since = started.isoformat().replace("+", "%2B")
    for row in pull(client, f"{values}&updated_since={since}"):
        copy[row["id"]] = row
    for _resource, pk in tombstones(client, f"?since={since}&resource=indicator-values"):
        copy.pop(pk, None)

    fresh = {row["id"]: row for row in pull(client, values)}
    assert copy == fresh
    assert fresh[edited.pk]["value"] == "12345.0000" and removed_pk not in fresh
