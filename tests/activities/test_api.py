"""REST API v1 of the plan structure: access, formats, conditional requests, query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import api_token_issue
from tests.activities.test_plan_pages import make_plan

ENDPOINTS = ["department", "strategicplan", "section", "goal", "task", "measure", "expectedresult"]


def list_url(basename):
    return reverse(f"{basename}-list")


@pytest.fixture
def plan(db):
    return make_plan(sections=2, measures_per_section=3)


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ENDPOINTS)
@pytest.mark.parametrize(
    "role", ["viewer", "editor", "other_editor", "head", "administrator", "api_client_user"]
)
def test_every_role_reads_every_endpoint(request, client_for, plan, basename, role):
    client = client_for(request.getfixturevalue(role))

    response = client.get(list_url(basename))

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert client.get(reverse(f"{basename}-detail", args=[first["id"]])).json() == first


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ENDPOINTS)
def test_anonymous_callers_get_401_in_the_common_error_shape(client, plan, basename):
    response = client.get(list_url(basename))

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert set(body["message"]) == {"ru", "en"}
    assert body["message"]["ru"].startswith("Учётные данные")


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_plan_structure_is_read_only(client_for, administrator, plan, basename, method):
    client = client_for(administrator)
    url = list_url(basename) if method == "post" else reverse(f"{basename}-detail", args=[1])

    response = getattr(client, method)(url, data={}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused(client_for, plan):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get(list_url("measure"))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
class TestTokens:
    def test_a_token_authenticates_its_client(self, client, api_client_user, plan):
        _token, key = api_token_issue(user=api_client_user, name="Open data portal")

        response = client.get(list_url("measure"), HTTP_AUTHORIZATION=f"Token {key}")

        assert response.status_code == 200

    def test_only_a_digest_is_stored(self, api_client_user):
        token, key = api_token_issue(user=api_client_user, name="Regional system")

        token.refresh_from_db()
        assert key not in (token.digest, token.prefix)
        assert len(token.digest) == 64 and key.startswith(token.prefix + ".")

    @pytest.mark.parametrize(
        "header",
        ["Token nonsense", "Token", "Token a b", "Token \u00ff\u00fe.xyz"],
        ids=["unknown", "empty", "three-parts", "non-ascii"],
    )
    def test_bad_keys_are_refused(self, client, plan, header):
        response = client.get(list_url("measure"), HTTP_AUTHORIZATION=header)

        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"

    def test_a_revoked_token_stops_working(self, client, api_client_user, plan):
        from accounts.tokens import api_token_revoke

        token, key = api_token_issue(user=api_client_user, name="Analytics")
        api_token_revoke(token=token)

        response = client.get(list_url("measure"), HTTP_AUTHORIZATION=f"Token {key}")

        assert response.status_code == 401

    def test_an_expired_token_stops_working(self, client, api_client_user, plan):
        import datetime

        from django.utils import timezone

        past = timezone.now() - datetime.timedelta(minutes=1)
        _token, key = api_token_issue(user=api_client_user, name="Old", expires_at=past)

        response = client.get(list_url("measure"), HTTP_AUTHORIZATION=f"Token {key}")

        assert response.status_code == 401

    def test_a_right_prefix_with_a_wrong_secret_is_refused(self, client, api_client_user, plan):
        token, _key = api_token_issue(user=api_client_user, name="Analytics")

        response = client.get(
            list_url("measure"), HTTP_AUTHORIZATION=f"Token {token.prefix}.guessed"
        )

        assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("section=abc", "section"),
        ("updated_since=yesterday", "updated_since"),
        ("late_on=2020-13-45", "late_on"),
    ],
)
def test_bad_filter_values_get_400_with_the_field(client_for, viewer, plan, query, field):
    response = client_for(viewer).get(f"{list_url('measure')}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["fields"]


@pytest.mark.django_db
def test_a_page_past_the_end_is_404_not_500(client_for, viewer, plan):
    response = client_for(viewer).get(f"{list_url('measure')}?page=99999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=0"])
def test_a_page_that_is_no_page_number_is_400(client_for, viewer, plan, query):
    response = client_for(viewer).get(f"{list_url('measure')}?{query}")

    assert response.status_code == 400


@pytest.mark.django_db
def test_unknown_ids_are_404(client_for, viewer, plan):
    client = client_for(viewer)

    assert client.get(reverse("measure-detail", args=[999999])).status_code == 404
    assert client.get("/api/v1/measures/abc/").status_code == 404


@pytest.mark.django_db
def test_a_page_size_over_the_maximum_is_400(client_for, viewer, plan):
    """Not silently capped (issue 14): the client learns the limit."""
    response = client_for(viewer).get(f"{list_url('measure')}?page_size=100000")

    assert response.status_code == 400
    assert "500" in response.content.decode()


@pytest.mark.django_db
def test_filters_narrow_the_list(client_for, viewer, plan):
    section = plan.sections.first()

    response = client_for(viewer).get(f"{list_url('measure')}?section={section.pk}&group=2")

    rows = response.json()["results"]
    assert rows and {(r["section"], r["group"]) for r in rows} == {(section.pk, 2)}


@pytest.mark.django_db
def test_ordering(client_for, viewer, plan):
    response = client_for(viewer).get(f"{list_url('measure')}?ordering=-id")

    ids = [row["id"] for row in response.json()["results"]]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.django_db
def test_csv_output_parses(client_for, viewer, plan):
    response = client_for(viewer).get(f"{list_url('measure')}?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    assert {"id", "code", "text", "tasks", "status"} <= set(rows[0])


@pytest.mark.django_db
def test_an_unknown_format_is_404_or_406(client_for, viewer, plan):
    response = client_for(viewer).get(f"{list_url('measure')}?format=xml")

    assert response.status_code in {404, 406}


@pytest.mark.django_db
class TestConditionalRequests:
    def test_etag_round_trip_gives_304(self, client_for, viewer, plan):
        client = client_for(viewer)
        first = client.get(list_url("measure"))

        again = client.get(list_url("measure"), HTTP_IF_NONE_MATCH=first["ETag"])

        assert again.status_code == 304
        assert again["ETag"] == first["ETag"] and not again.content

    def test_a_change_changes_the_etag(self, client_for, viewer, plan):
        client = client_for(viewer)
        first = client.get(list_url("measure"))
        measure = plan.sections.first().measures.first()
        measure.text = "Изменённый текст"
        measure.save()

        again = client.get(list_url("measure"), HTTP_IF_NONE_MATCH=first["ETag"])

        assert again.status_code == 200
        assert again["ETag"] != first["ETag"]

    def test_last_modified_and_if_modified_since(self, client_for, viewer, plan):
        client = client_for(viewer)
        measure = plan.sections.first().measures.first()
        url = reverse("measure-detail", args=[measure.pk])
        first = client.get(url)
        assert "Last-Modified" in first

        again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

        assert again.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ENDPOINTS)
def test_list_query_count_does_not_grow_with_the_data(client_for, viewer, basename):
    """Measures prefetch their tasks; no endpoint queries per row."""
    client = client_for(viewer)
    counts = []
    for sections, measures in [(1, 2), (8, 12)]:
        make_plan(sections=sections, measures_per_section=measures)
        client.get(list_url(basename))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url(basename)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_throttling_answers_429_with_retry_after(client_for, viewer, plan, monkeypatch):
    from django.core.cache import cache

    from core.api.throttling import ClientRateThrottle

    cache.clear()
    rates = {**ClientRateThrottle.THROTTLE_RATES, "client": "3/minute"}
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", rates)
    client = client_for(viewer)

    statuses = [client.get(list_url("measure")).status_code for _ in range(4)]
    last = client.get(list_url("measure"))
    cache.clear()

    assert statuses == [200, 200, 200, 429]
    assert last.json()["code"] == "throttled" and last.json()["retry_after"] > 0


@pytest.mark.django_db
def test_schema_and_docs_are_served_from_local_assets(client_for, viewer):
    client = client_for(viewer)

    schema = client.get("/api/schema/?format=json")
    docs = client.get("/api/docs/")
    redoc = client.get("/api/redoc/")

    assert schema.status_code == 200
    assert "/api/v1/measures/" in schema.json()["paths"]
    for page in (docs, redoc):
        assert page.status_code == 200
        html = page.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn." not in html and "unpkg" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    ["0976-11-04T00:03:49%2B19:54", "0001-01-01T00:00:00%2B05:00", "9999-12-31T23:59:59-05:00"],
)
def test_updated_since_accepts_any_iso_offset_without_a_server_error(
    client_for, viewer, plan, moment
):
    response = client_for(viewer).get(f"{list_url('measure')}?updated_since={moment}")

    assert response.status_code in {200, 400}


def test_the_schema_generates_without_a_warning():
    """Every endpoint, parameter and enum resolves: drf-spectacular has nothing to guess."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", "/dev/null"],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr


def test_anonymous_callers_are_counted_per_address(rf, monkeypatch):
    """On the endpoints open to anonymous callers (the schema and its docs)."""
    from django.core.cache import cache
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from core.api.throttling import AnonymousRateThrottle

    class Open(APIView):
        permission_classes = [AllowAny]
        throttle_classes = [AnonymousRateThrottle]

        def get(self, request):
            return Response({"ok": True})

    cache.clear()
    rates = {**AnonymousRateThrottle.THROTTLE_RATES, "anonymous": "2/minute"}
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", rates)
    view = Open.as_view()

    here = [view(rf.get("/", REMOTE_ADDR="10.0.0.1")) for _ in range(3)]
    elsewhere = view(rf.get("/", REMOTE_ADDR="10.0.0.2"))
    cache.clear()

    assert [response.status_code for response in here] == [200, 200, 429]
    assert 0 < int(here[-1]["Retry-After"]) <= 60
    assert elsewhere.status_code == 200
