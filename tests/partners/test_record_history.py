import pytest
from django.urls import reverse

from partners import services

from .conftest import SLUGS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_works(client_for, viewer, record_for, slug):
    record = record_for(slug)
    response = client_for(viewer).get(reverse(f"partners:{slug}_history", args=[record.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(None).get(reverse(f"partners:{slug}_history", args=[record.pk])).status_code
        == 302
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_api_client(client_for, api_client_user, record_for, slug):
    record = record_for(slug)
    response = client_for(api_client_user).get(
        reverse(f"partners:{slug}_history", args=[record.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_post(client_for, viewer, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(viewer).post(reverse(f"partners:{slug}_history", args=[record.pk])).status_code
        == 405
    )


def test_it_lists_who_changed_what(client_for, viewer, editor, record_for):
    city = record_for("city", region="")
    services.record_update(record=city, values={"region": "Хэйлунцзян"}, by=editor)
    page = client_for(viewer).get(reverse("partners:city_history", args=[city.pk])).content.decode()
    assert str(editor) in page
    assert "регион, провинция или штат" in page.lower()
    assert "Хэйлунцзян" in page
