"""The partner map (/partners/map/): the cities with coordinates and their counts, as data for
the map and as a list beside it; coordinates on the globe only."""

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MeasureFactory
from tests.partners.factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

URL = reverse("partners:city_map")


def map_data(response):
    found = re.search(
        r'<script id="partner-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def _city(department, name, latitude="45.8038", longitude="126.5350", **extra):
    return PartnerCityFactory(
        name_ru=name,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        department=department,
        **extra,
    )


@pytest.mark.django_db
def test_the_map_lists_the_cities_with_coordinates_and_their_counts(client, viewer, department):
    harbin = _city(department, "Харбин", status="sister")
    other = _city(department, "Ниигата", "37.9161", "139.0364")
    PartnerCityFactory(name_ru="Город без координат", department=department)
    for _n in range(2):
        AgreementFactory(department=department).partner_cities.add(harbin)
    for _n in range(3):
        DelegationFactory(partner_city=harbin, department=department)
    ExchangeFactory(host_city=harbin, department=department)
    EventFactory(department=department).partner_cities.add(harbin, other)
    PartnerOrganisationFactory(city=harbin, department=department)
    client.force_login(viewer)

    response = client.get(URL)

    assert response.status_code == 200
    data = map_data(response)
    assert data["world"] == "/static/vendor/world-atlas/countries-110m.json"
    assert data["home"]["name"] == "Хабаровск"
    by_name = {city["name"]: city for city in data["cities"]}
    assert set(by_name) == {"Харбин", "Ниигата"}
    assert by_name["Харбин"] == {
        "name": "Харбин",
        "url": harbin.get_absolute_url(),
        "latitude": 45.8038,
        "longitude": 126.535,
        "sister": True,
        "summary": "соглашений: 2, делегаций: 3, обменов: 1, мероприятий: 1, организаций: 1",
    }
    assert by_name["Ниигата"]["summary"].startswith("соглашений: 0, делегаций: 0")
    page = response.content.decode()
    assert f'href="{harbin.get_absolute_url()}">Харбин</a>' in page  # the list beside the map
    assert "1 город без координат не показан на карте" in page
    assert "<script>" not in page.replace('<script src="', "")  # no inline script (CSP)


@pytest.mark.django_db
def test_the_counts_take_one_query_whatever_the_number_of_cities(client, viewer, department):
    """The counts are subqueries of the one query of cities, not a query per city."""
    client.force_login(viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        return len(queries), len(map_data(response)["cities"])

    for n in range(2):
        city = _city(department, f"Город {n}")
        DelegationFactory(partner_city=city, department=department)
    small = count()
    for n in range(2, 12):
        city = _city(department, f"Город {n}")
        DelegationFactory(partner_city=city, department=department)
        AgreementFactory(department=department).partner_cities.add(city)
    large = count()

    assert (small[1], large[1]) == (2, 12)
    assert small[0] == large[0]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_api_clients_may_not_open_the_map(client, api_client_user):
    client.force_login(api_client_user)

    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_post_is_refused(client, viewer):
    client.force_login(viewer)

    assert client.post(URL).status_code == 405


# --- coordinates -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("90.5", "10", "latitude"), ("10", "-180.5", "longitude"), ("10", None, "longitude")],
)
def test_coordinates_off_the_globe_or_half_given_are_refused(
    department, latitude, longitude, field
):
    city = PartnerCityFactory.build(
        department=department,
        latitude=Decimal(latitude),
        longitude=longitude and Decimal(longitude),
    )

    with pytest.raises(ValidationError) as error:
        city.full_clean()

    assert field in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("latitude", "longitude"), [("91", "0"), ("0", "181"), ("10", None)])
def test_the_database_refuses_coordinates_off_the_globe(department, latitude, longitude):
    with pytest.raises(IntegrityError):
        PartnerCityFactory(
            department=department,
            latitude=Decimal(latitude),
            longitude=longitude and Decimal(longitude),
        )


@pytest.mark.django_db
def test_the_city_form_takes_coordinates(client, editor, department):
    measure = MeasureFactory(department=department)
    client.force_login(editor)

    response = client.post(
        reverse("partners:city_create"),
        {
            "name_ru": "Харбин",
            "name_en": "Harbin",
            "country": "CN",
            "status": "sister",
            "latitude": "45.8038",
            "longitude": "126.5350",
            "department": department.pk,
            "measures": [measure.pk],
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    client.get(URL)
    assert map_data(client.get(URL))["cities"][0]["latitude"] == 45.8038
