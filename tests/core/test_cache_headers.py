"""What HTTP caches may keep (core.middleware.CacheHeadersMiddleware) on what the
access matrix does not walk: every API endpoint, media files, static files, the admin.
The portal's pages are checked in tests/test_access_matrix.py, every URL × role × method."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.tokens import api_token_issue
from core.workflow import WorkflowState
from khv_strategy.api.router import router
from tests.activities.factories import ProgressReportFactory
from tests.api.test_endpoints import populate

pytestmark = pytest.mark.django_db

VARY = {"authorization", "cookie", "accept", "accept-language"}
BASENAMES = [basename for _prefix, _viewset, basename in router.registry]


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.fixture
def token(viewer, department):
    populate(department, 1)
    _token, key = api_token_issue(user=viewer, name="client")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.mark.parametrize("basename", BASENAMES)
def test_api_answers_are_private_revalidated_and_vary_by_caller(client, token, basename):
    listing = client.get(reverse(f"{basename}-list"), **token)
    detail_url = reverse(f"{basename}-detail", args=[listing.json()["results"][0]["id"]])
    detail = client.get(detail_url, **token)
    csv = client.get(reverse(f"{basename}-list") + "?format=csv", **token)
    # no-cache lets a client revalidate: the ETag still answers 304, with the same headers.
    not_modified = client.get(detail_url, HTTP_IF_NONE_MATCH=detail["ETag"], **token)

    assert not_modified.status_code == 304
    for response in (listing, detail, csv, not_modified):
        assert cache_control(response) == {"private", "no-cache"}, basename
        assert vary(response) >= VARY, basename
        assert "camera=()" in response["Permissions-Policy"]


def test_api_refusals_vary_by_caller_too(client):
    """A 401 for an anonymous caller must not be replayed to one with a token."""
    response = client.get(reverse("indicator-list"))

    assert response.status_code == 401
    assert cache_control(response) == {"private", "no-cache"}
    assert vary(response) >= VARY


def test_the_api_root_schema_and_docs_carry_the_headers(client_for, viewer):
    client = client_for(viewer)
    for url in ("/api/v1/", "/api/schema/", "/api/docs/", "/api/redoc/"):
        response = client.get(url)

        assert response.status_code == 200, url
        assert cache_control(response) == {"private", "no-cache"}, url
        assert vary(response) >= VARY, url


def test_a_media_file_is_never_stored(client_for, editor, department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = ProgressReportFactory(measure__department=department, state=WorkflowState.DRAFT)
    report.evidence_file.save("protocol.pdf", ContentFile(b"%PDF-1.4"), save=True)

    response = client_for(editor).get(f"/media/{report.evidence_file.name}")

    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-store"}
    assert "camera=()" in response["Permissions-Policy"]


def test_static_files_keep_their_own_caching_and_get_the_permissions_policy(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")

    assert response.status_code == 200
    assert "private" not in cache_control(response)
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_is_never_stored(client, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
