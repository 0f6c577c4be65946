"""What a program that keeps a copy of the API's data relies on: list validators that never
answer 304 after a write (core.api.conditional), and a keyset cursor that delivers every row
that existed when the pull began while another client writes (core.api.pagination)."""

import time
from decimal import Decimal

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.workflow import WorkflowState, workflow_approve
from indicators.models import IndicatorValue
from khv_strategy.api.router import router
from tests.api.test_endpoints import BASENAMES, list_url, populate
from tests.api.test_paging import pull

VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}


def has_updated_at(basename):
    model = VIEWSETS[basename].serializer_class.Meta.model
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


# --- list validators ------------------------------------------------------------------------


def validators_of_every_page(client, url):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append((url, response["ETag"], response["Last-Modified"]))
        url = response.json()["next"]
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("api_cache_seconds", [0, 600])
def test_after_an_approval_no_page_answers_not_modified(
    client_for, viewer, head, department, settings, api_cache_seconds
):
    settings.API_CACHE_SECONDS = api_cache_seconds
    populate(department, 4)
    time.sleep(1.1)  # Last-Modified is sent once the second of the last write is over
    client = client_for(viewer)
    url = list_url("indicatorvalue") + "?page_size=1&ordering=year"
    pages = validators_of_every_page(client, url)
    assert len(pages) == 4
    for page, etag, last_modified in pages:
        assert client.get(page, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(page, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    submitted = IndicatorValue.objects.filter(state=WorkflowState.SUBMITTED).first()
    workflow_approve(item=submitted, by=head)

    for page, etag, last_modified in pages:
        assert client.get(page, HTTP_IF_NONE_MATCH=etag).status_code == 200, page
        assert client.get(page, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200, page


@pytest.mark.django_db
def test_a_write_in_the_same_second_still_changes_last_modified(client_for, viewer, department):
    """Within the second of the last write no Last-Modified is sent: a second write in that
    second would otherwise share it."""
    populate(department, 1)
    client = client_for(viewer)
    url = list_url("indicatorvalue")

    # A write and a read within one second of the clock (retried when the two straddle a
    # second's boundary, as they may on a loaded machine).
    for _attempt in range(10):
        started = time.time()
        IndicatorValue.objects.first().save()
        response = client.get(url)
        if int(time.time()) == int(started):
            break
    else:
        pytest.fail("no write and read fitted in one second")
    assert "Last-Modified" not in response
    time.sleep(1.1)
    before = client.get(url)["Last-Modified"]
    IndicatorValue.objects.first().save()
    time.sleep(1.1)
    after = client.get(url)["Last-Modified"]

    assert after != before
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=before).status_code == 200


@pytest.mark.django_db
def test_list_validators_differ_by_caller_and_query(client_for, viewer, editor, department):
    populate(department, 1)
    url = list_url("indicatorvalue")
    viewer_etag = client_for(viewer).get(url)["ETag"]
    other_query = client_for(viewer).get(url + "?page_size=7")["ETag"]
    editor_etag = client_for(editor).get(url)["ETag"]

    assert len({viewer_etag, other_query, editor_etag}) == 3


# --- the cursor ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
def test_a_cursor_pull_gives_every_row_once(client_for, administrator, department, basename):
    populate(department, 3)
    client = client_for(administrator)
    expected = {row["id"] for row in pull(client, list_url(basename) + "?page_size=500")}
    orderings = (["updated_at"] if has_updated_at(basename) else []) + ["id", "-id"]

    for ordering in orderings:
        url = f"{list_url(basename)}?pagination=cursor&ordering={ordering}&page_size=2"
        rows = pull(client, url)

        ids = [row["id"] for row in rows]
        assert len(ids) == len(set(ids)) and set(ids) == expected, ordering
        assert "count" not in client.get(url).json()


@pytest.mark.django_db
def test_a_cursor_page_costs_the_same_queries_at_two_sizes(client_for, viewer, department):
    client = client_for(viewer)
    counts = []
    for size in (4, 12):
        populate(department, size)
        url = list_url("indicatorvalue") + "?pagination=cursor&page_size=3"
        last = pull(client, url)[-1]
        assert last
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
            assert client.get(body["next"]).status_code == 200
        counts.append(len(queries))
        assert not any("COUNT(" in query["sql"] or "OFFSET" in query["sql"] for query in queries)
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "pagination=cursor&ordering=year",
        "pagination=cursor&ordering=-updated_at",
        "pagination=sideways",
        "cursor=garbage",
        "cursor=WzFd&ordering=updated_at",
        "cursor=WzFd&page=2",
    ],
)
def test_a_bad_cursor_request_is_refused(client_for, viewer, department, query):
    populate(department, 1)

    response = client_for(viewer).get(list_url("indicatorvalue") + f"?{query}")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"


def test_the_series_does_not_page_by_cursor(client_for, viewer, db, department):
    populate(department, 1)

    response = client_for(viewer).get("/api/v1/indicators/series/?pagination=cursor")

    assert response.status_code == 400


def other_client_writes(values):
    """Another connection approves or edits the values as a second API client would: each
    write is committed before the next page is asked."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        for pk, change in values:
            if change == "approve":
                other.execute(
                    "UPDATE indicators_indicatorvalue SET state = 'approved', updated_at = now() "
                    "WHERE id = %s",
                    [pk],
                )
            else:
                other.execute(
                    "UPDATE indicators_indicatorvalue SET value = value + 1, "
                    "updated_at = now() WHERE id = %s",
                    [pk],
                )


# Committed rows, so a second connection can write between the pages. No serialized rollback:
# after a plain transactional test's flush on the same worker, restoring the serialized content
# types would collide with the ones that flush made again (the factories make what they need).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ordering", ["updated_at", "id", "-id"])
def test_a_cursor_pull_loses_no_row_while_another_client_writes(
    client_for, administrator, department, ordering
):
    populate(department, 12)
    IndicatorValue.objects.filter(state=WorkflowState.APPROVED).update(value=Decimal(1))
    client = client_for(administrator)
    existing = set(IndicatorValue.objects.values_list("id", flat=True))
    url = f"{list_url('indicatorvalue')}?pagination=cursor&ordering={ordering}&page_size=3"
    seen, pages = [], 0

    while url:
        body = client.get(url).json()
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
        unseen = sorted(existing - set(seen))
        # Rows not yet sent are approved and edited (they move to the end of the
        # updated_at order), and rows already sent are edited again.
        writes = [(pk, "approve") for pk in unseen[:1]] + [(pk, "edit") for pk in unseen[-1:]]
        writes += [(pk, "edit") for pk in seen[:1]]
        other_client_writes(writes)
        pages += 1
        assert pages < 100

    assert existing <= set(seen), sorted(existing - set(seen))
