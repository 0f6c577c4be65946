"""API answers kept in the cache under the data version (core.api.cache): a repeated
read skips the database, any write shows at once, nobody reads another caller's scope, and
authentication and permissions still run on every request."""

import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tokens import api_token_issue, api_token_revoke
from core.cache import watched_models
from core.workflow import WorkflowState, workflow_approve
from khv_strategy.api.router import router
from tests.api.test_endpoints import BASENAMES, list_url, populate
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def api_cache(settings):
    settings.API_CACHE_SECONDS = 600


@pytest.fixture
def data(department):
    populate(department, 3)


@pytest.fixture
def token_client(client):
    def issue(user):
        _token, key = api_token_issue(user=user, name="client")
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
        return client

    return issue


def counted_get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, [query["sql"] for query in queries]


@pytest.mark.parametrize("basename", BASENAMES)
def test_a_repeated_read_is_answered_without_the_database(token_client, viewer, data, basename):
    client = token_client(viewer)
    first = client.get(list_url(basename))
    detail_url = reverse(f"{basename}-detail", args=[first.json()["results"][0]["id"]])
    first_detail = client.get(detail_url)

    again, queries = counted_get(client, list_url(basename))
    again_detail, detail_queries = counted_get(client, detail_url)

    assert again.status_code == again_detail.status_code == 200
    assert again.content == first.content and again_detail.content == first_detail.content
    assert again["ETag"] == first["ETag"] and again["Content-Type"] == first["Content-Type"]
    # Only the token (with its user and roles) is read; the list itself comes from the cache.
    assert len(queries) == len(detail_queries) == 1, queries
    assert "accounts_apitoken" in queries[0]


def test_an_approval_shows_at_once(token_client, api_client_user, head, department):
    indicator = IndicatorFactory(department=department)
    TargetFactory(indicator=indicator, year=2020, value=Decimal(10))
    value = IndicatorValueFactory(
        indicator=indicator, year=2020, value=Decimal(7), state=WorkflowState.SUBMITTED
    )
    client = token_client(api_client_user)
    url = list_url("indicatorvalue")
    series_url = reverse("indicator-series", args=[indicator.pk])
    assert client.get(series_url).status_code == 200
    assert client.get(url).json()["count"] == 0
    assert client.get(url).json()["count"] == 0  # now from the cache

    workflow_approve(item=value, by=head)

    rows = client.get(url).json()["results"]
    assert [(row["id"], row["state"]) for row in rows] == [(value.pk, "approved")]
    series = client.get(series_url)
    assert series.status_code == 200
    assert [year["actual"] for year in series.json()["years"] if year["year"] == 2020] == ["7.0000"]


def test_a_write_through_the_api_shows_at_once(token_client, editor, department):
    indicator = IndicatorFactory(department=department, name="Число визитов")
    client = token_client(editor)
    url = reverse("indicator-detail", args=[indicator.pk])
    assert client.get(url).json()["name"] == "Число визитов"
    value_url = list_url("indicatorvalue")
    assert client.get(value_url).json()["count"] == 0

    created = client.post(
        value_url,
        {"indicator": indicator.pk, "year": 2019, "value": "3"},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    assert client.get(value_url).json()["count"] == 1


def test_callers_never_read_each_others_scope(token_client, editor, api_client_user, data):
    """The editor sees their department's pending values; an API client never does, even
    right after the editor's answer was cached for the same URL."""
    url = list_url("indicatorvalue")
    editor_rows = token_client(editor).get(url).json()["results"]
    client_rows = token_client(api_client_user).get(url).json()["results"]

    assert {row["state"] for row in editor_rows} == {"approved", "submitted"}
    assert {row["state"] for row in client_rows} == {"approved"}


def test_a_role_taken_away_is_not_served_from_the_old_scope(token_client, editor, data):
    client = token_client(editor)
    url = list_url("progressreport")
    assert {row["state"] for row in client.get(url).json()["results"]} > {"approved"}

    editor.groups.clear()
    editor.groups.add(Group.objects.get_or_create(name=Role.API_CLIENT)[0])

    assert {row["state"] for row in client.get(url).json()["results"]} == {"approved"}


def test_a_revoked_token_is_refused_although_the_answer_is_cached(client, viewer, data):
    token, key = api_token_issue(user=viewer, name="client")
    url = list_url("indicator")
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    api_token_revoke(token=token)

    assert client.get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert client.get(url).status_code == 401  # anonymous


def test_json_and_csv_are_kept_apart(token_client, viewer, data):
    client = token_client(viewer)
    url = list_url("measure")
    json_answer = client.get(url)
    csv_answer = client.get(url + "?format=csv")
    json_again = client.get(url)

    assert csv_answer["Content-Type"].startswith("text/csv")
    assert json_again["Content-Type"] == json_answer["Content-Type"] == "application/json"
    assert csv_answer.content != json_again.content == json_answer.content


def test_a_cached_answer_still_answers_not_modified(token_client, viewer, data):
    client = token_client(viewer)
    url = list_url("indicator")
    time.sleep(1.1)  # a list's Last-Modified is sent once the second of the last write is over
    etag = client.get(url)["ETag"]
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_browsable_api_is_never_cached(client_for, viewer, data):
    """Its HTML holds the user's forms and CSRF token."""
    client = client_for(viewer)
    url = list_url("indicator")
    client.get(url, HTTP_ACCEPT="text/html")

    response, queries = counted_get(client, url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200 and b"<html" in response.content
    assert any("indicators_indicator" in sql for sql in queries)


def test_caching_can_be_switched_off(token_client, viewer, data, settings):
    settings.API_CACHE_SECONDS = 0
    client = token_client(viewer)
    client.get(list_url("indicator"))

    _response, queries = counted_get(client, list_url("indicator"))

    assert any("indicators_indicator" in sql for sql in queries)


def test_every_model_the_api_serves_makes_its_answers_stale_when_written():
    watched = set(watched_models())
    for _prefix, viewset, basename in router.registry:
        model = viewset.serializer_class.Meta.model
        assert model in watched, f"{basename}: {model.__name__} is not in watched_models()"
