import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Delegation

from .conftest import SLUGS
from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_works(client_for, viewer, record_for, slug):
    record = record_for(slug)
    response = client_for(viewer).get(record.get_absolute_url())
    assert response.status_code == 200
    # A viewer sees no edit or delete action.
    assert reverse(f"partners:{slug}_edit", args=[record.pk]) not in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_it_shows_actions_to_the_owning_editor(client_for, editor, record_for, slug):
    record = record_for(slug)
    page = client_for(editor).get(record.get_absolute_url()).content.decode()
    assert reverse(f"partners:{slug}_edit", args=[record.pk]) in page
    assert reverse(f"partners:{slug}_delete", args=[record.pk]) in page


@pytest.mark.parametrize("slug", SLUGS)
def test_it_hides_actions_from_editor_of_other_department(
    client_for, other_editor, record_for, slug
):
    record = record_for(slug)
    page = client_for(other_editor).get(record.get_absolute_url()).content.decode()
    assert reverse(f"partners:{slug}_edit", args=[record.pk]) not in page


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, record_for, slug):
    response = client_for(None).get(record_for(slug).get_absolute_url())
    assert response.status_code == 302


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_post(client_for, viewer, record_for, slug):
    assert client_for(viewer).post(record_for(slug).get_absolute_url()).status_code == 405


def test_it_returns_404_for_missing_record(client_for, viewer):
    assert client_for(viewer).get(reverse("partners:city_detail", args=[999])).status_code == 404


def _tie_records(city, department, count):
    for index in range(count):
        agreement = AgreementFactory(department=department)
        agreement.partner_cities.add(city)
        DelegationFactory(department=department, partner_city=city)
        DelegationFactory(
            department=department,
            partner_city=city,
            direction=Delegation.Direction.OUTGOING,
            partner_organisation=PartnerOrganisationFactory(department=department),
        )
        ExchangeFactory(department=department, host_city=city)
        event = EventFactory(
            department=department,
            start_date=datetime.date(2012, 1, index + 1),
            end_date=datetime.date(2012, 1, index + 1),
        )
        event.partner_cities.add(city)
        PartnerOrganisationFactory(department=department, city=city)


def test_city_page_shows_everything_tied_to_the_city(client_for, viewer, department, measure):
    city = PartnerCityFactory(department=department, name_ru="Харбин")
    city.measures.add(measure)
    incoming = DelegationFactory(department=department, partner_city=city, purpose="Приезд")
    outgoing = DelegationFactory(
        department=department,
        partner_city=city,
        direction=Delegation.Direction.OUTGOING,
        purpose="Поездка",
    )
    response = client_for(viewer).get(city.get_absolute_url())
    assert response.context["record"].incoming_delegations == [incoming]
    assert response.context["record"].outgoing_delegations == [outgoing]
    assert measure.get_absolute_url() in response.content.decode()


def test_city_page_makes_the_same_number_of_queries_for_3_and_30_ties(
    client_for, viewer, department, measure
):
    """Prevents an N+1 over the city's agreements, delegations (both ways), exchanges,
    events, organisations and measures."""
    city = PartnerCityFactory(department=department)
    client = client_for(viewer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(city.get_absolute_url()).status_code == 200
        return len(captured)

    _tie_records(city, department, 3)
    small = count()
    _tie_records(city, department, 27)
    assert count() == small
