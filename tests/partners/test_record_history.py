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


def test_linking_from_the_measures_side_is_kept_in_the_partners_history(department):
    """measure.partner_cities.add(…) used to fail outright (simple_history wrote a history
    row of the measure with the partner history's options); core.history."""
    from tests.factories import MeasureFactory
    from tests.partners.factories import PartnerCityFactory

    measure = MeasureFactory(department=department)
    city, other = PartnerCityFactory(department=department), PartnerCityFactory()
    before = city.history.count(), other.history.count(), measure.history.count()

    measure.partner_cities.add(city, other)
    measure.partner_cities.remove(other)
    measure.partner_cities.clear()

    assert list(city.measures.all()) == list(other.measures.all()) == []
    # city: added, cleared; other: added, removed. The measure's own history is untouched.
    assert (city.history.count(), other.history.count()) == (before[0] + 2, before[1] + 2)
    assert measure.history.count() == before[2]
    linked = city.history.order_by("history_date")[before[0]]
    assert [row.measure_id for row in linked.measures.all()] == [measure.pk]
    assert city.history.latest("history_date").measures.count() == 0
