"""Partner pages without friction: the country follows the chosen city, countries in Russian
alphabetical order, agreements told apart by their cities, a plain-Russian "changed since"
with a date picker, searchable measures and filters behind a toggle on a phone."""

import re

import pytest
from django.urls import reverse

from partners.models import Delegation

from .factories import AgreementFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db


def delegation_data(department, **overrides):
    return {
        "direction": "incoming",
        "start_date": "2012-06-01",
        "end_date": "2012-06-03",
        "headcount": "7",
        "purpose": "Переговоры",
        "department": department.pk,
    } | overrides


def test_a_delegation_takes_the_country_from_its_city(client_for, editor):
    city = PartnerCityFactory(department=editor.department, name_ru="Ниигата", country="JP")
    response = client_for(editor).post(
        reverse("partners:delegation_create"),
        delegation_data(editor.department, partner_city=city.pk, country=""),
    )

    assert response.status_code == 302
    assert Delegation.objects.get().country == "JP"


def test_without_a_city_the_country_is_still_asked(client_for, editor):
    response = client_for(editor).post(
        reverse("partners:delegation_create"),
        delegation_data(editor.department, origin="Приморский край", country=""),
    )

    assert response.status_code == 400
    assert "Укажите страну или выберите город-партнёр" in response.content.decode()
    assert not Delegation.objects.exists()


def option_labels(html, select_id):
    select = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def russian_order(labels):
    return sorted(labels, key=lambda label: label.casefold().replace("ё", "е"))


@pytest.mark.parametrize(
    ("url_name", "select_id"),
    [("partners:delegation_create", "id_country"), ("partners:city_list", "id_country")],
)
def test_countries_are_in_russian_alphabetical_order(client_for, editor, url_name, select_id):
    html = client_for(editor).get(reverse(url_name)).content.decode()
    labels = [label for label in option_labels(html, select_id) if not label.startswith("—")]

    # The sister cities' countries first (COUNTRIES_FIRST), then the alphabet.
    assert labels[:2] == ["Китай", "Япония"]
    rest = labels[5:]
    assert rest == russian_order(rest)
    assert rest.index("Австралия") < rest.index("Албания")


def test_the_agreements_picker_names_the_partner_city(client_for, editor, department):
    from tests.factories import MeasureFactory

    measure = MeasureFactory(department=department)
    for city in ("Ниигата", "Виктория", "Портленд"):
        AgreementFactory(title="Соглашение о побратимских связях " * 3).partner_cities.add(
            PartnerCityFactory(name_ru=city)
        )
    html = client_for(editor).get(measure.get_absolute_url()).content.decode()
    labels = option_labels(html, "link-agreement")

    assert len(labels) == 3 and len(set(labels)) == 3
    assert all(label.split(":")[0] in ("Ниигата", "Виктория", "Портленд") for label in labels)


def test_changed_since_is_plain_russian_with_a_date_picker(client_for, viewer):
    html = client_for(viewer).get(reverse("partners:city_list")).content.decode()

    assert "ISO 8601" not in html
    assert "Изменено с даты" in html
    assert re.search(r'<input type="date" name="updated_since"', html)


def test_a_date_is_a_valid_changed_since(client_for, viewer):
    PartnerCityFactory(name_ru="Харбин")
    response = client_for(viewer).get(
        reverse("partners:city_list"), {"updated_since": "2000-01-01"}
    )

    assert response.status_code == 200
    assert "Харбин" in response.content.decode()


def test_the_filters_sit_behind_a_toggle(client_for, viewer):
    html = client_for(viewer).get(reverse("partners:city_list")).content.decode()

    assert re.search(r'<details class="[^"]*record-filters[^"]*"', html)
    assert "<summary" in html and "Фильтры" in html


def test_the_measures_select_is_searchable(client_for, editor):
    html = client_for(editor).get(reverse("partners:city_create")).content.decode()

    assert re.search(r'<select name="measures"[^>]*data-searchable', html)
    assert "partners/searchable-select.js" in html
