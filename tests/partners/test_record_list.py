import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import FACTORIES, SLUGS
from .factories import AgreementFactory, PartnerCityFactory, PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_works(client_for, viewer, record_for, slug):
    record = record_for(slug)
    response = client_for(viewer).get(reverse(f"partners:{slug}_list"))
    assert response.status_code == 200
    assert record.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, slug):
    response = client_for(None).get(reverse(f"partners:{slug}_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_api_client(client_for, api_client_user, slug):
    assert client_for(api_client_user).get(reverse(f"partners:{slug}_list")).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_post(client_for, viewer, slug):
    assert client_for(viewer).post(reverse(f"partners:{slug}_list")).status_code == 405


def test_it_shows_add_button_only_to_editors(client_for, viewer, editor):
    url = reverse("partners:city_list")
    add_url = reverse("partners:city_create")
    assert add_url not in client_for(viewer).get(url).content.decode()
    assert add_url in client_for(editor).get(url).content.decode()


def test_it_filters_and_sorts(client_for, viewer, department):
    PartnerCityFactory(name_ru="Харбин", country="CN", department=department)
    PartnerCityFactory(name_ru="Ниигата", country="JP", department=department)
    response = client_for(viewer).get(reverse("partners:city_list"), {"country": "JP"})
    assert [city.name_ru for city in response.context["records"]] == ["Ниигата"]
    response = client_for(viewer).get(reverse("partners:city_list"), {"sort": "-name_ru"})
    assert [city.name_ru for city in response.context["records"]] == ["Харбин", "Ниигата"]


def test_it_paginates_by_fifty(client_for, viewer, department):
    PartnerCityFactory.create_batch(55, department=department)
    response = client_for(viewer).get(reverse("partners:city_list"), {"page": 2})
    assert len(response.context["records"]) == 5


def test_agreement_register_marks_expiring_and_expired(client_for, viewer, department):
    today = datetime.date.today()
    AgreementFactory(
        department=department, title="Скоро истекает", valid_until=today + datetime.timedelta(30)
    )
    AgreementFactory(
        department=department, title="Уже истекло", valid_until=today - datetime.timedelta(30)
    )
    AgreementFactory(department=department, title="Бессрочное")
    client = client_for(viewer)
    page = client.get(reverse("partners:agreement_list")).content.decode()
    assert 'data-expiry="expiring"' in page and 'data-expiry="expired"' in page
    assert "истекает в течение 90 дней" in page and "истёк срок" in page
    expiring = client.get(reverse("partners:agreement_list"), {"expiry": "expiring"})
    assert [a.title for a in expiring.context["records"]] == ["Скоро истекает"]
    expired = client.get(reverse("partners:agreement_list"), {"expiry": "expired"})
    assert [a.title for a in expired.context["records"]] == ["Уже истекло"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _make_linked(slug, department, measure, count):
    for _ in range(count):
        record = FACTORIES[slug](department=department)
        record.measures.add(measure)
        if slug in ("agreement", "event"):
            record.partner_cities.add(PartnerCityFactory(department=department))
        if slug == "agreement":
            record.partner_organisations.add(PartnerOrganisationFactory(department=department))


@pytest.mark.parametrize("slug", SLUGS)
def test_it_makes_the_same_number_of_queries_for_3_and_30_records(
    client_for, viewer, department, measure, slug
):
    """Prevents an N+1 over each row's department, partner city/organisation, and (for
    agreements and events) their partner cities and organisations."""
    client = client_for(viewer)
    url = reverse(f"partners:{slug}_list")
    _make_linked(slug, department, measure, 3)
    small = _queries(client, url)
    _make_linked(slug, department, measure, 27)
    assert _queries(client, url) == small
