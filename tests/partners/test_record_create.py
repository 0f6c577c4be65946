import pytest
from django.urls import reverse

from partners.models import Delegation, PartnerCity

from .conftest import SLUGS
from .factories import PartnerCityFactory

pytestmark = pytest.mark.django_db


def city_data(department, **overrides):
    data = {"name_ru": "Харбин", "country": "CN", "status": "sister", "department": department.pk}
    data.update(overrides)
    return data


@pytest.mark.parametrize("slug", SLUGS)
def test_it_shows_the_form_to_editor(client_for, editor, slug):
    assert client_for(editor).get(reverse(f"partners:{slug}_create")).status_code == 200


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_viewer(client_for, viewer, slug):
    client = client_for(viewer)
    assert client.get(reverse(f"partners:{slug}_create")).status_code == 403
    assert client.post(reverse(f"partners:{slug}_create"), {}).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, slug):
    assert client_for(None).get(reverse(f"partners:{slug}_create")).status_code == 302


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_put(client_for, editor, slug):
    assert client_for(editor).put(reverse(f"partners:{slug}_create")).status_code == 405


def test_it_creates_a_city_with_history(client_for, editor, measure):
    response = client_for(editor).post(
        reverse("partners:city_create"), city_data(editor.department, measures=[measure.pk])
    )
    city = PartnerCity.objects.get()
    assert response.status_code == 302 and response.url == city.get_absolute_url()
    assert list(city.measures.all()) == [measure]
    assert city.history.first().history_user == editor


def test_it_refuses_editor_creating_for_other_department(client_for, editor, other_department):
    response = client_for(editor).post(reverse("partners:city_create"), city_data(other_department))
    assert response.status_code == 400
    assert not PartnerCity.objects.exists()


def test_it_lets_administrator_create_for_any_department(client_for, administrator, department):
    response = client_for(administrator).post(
        reverse("partners:city_create"), city_data(department)
    )
    assert response.status_code == 302
    assert PartnerCity.objects.get().department == department


def test_it_shows_russian_message_for_bad_delegation(client_for, editor):
    city = PartnerCityFactory(department=editor.department)
    response = client_for(editor).post(
        reverse("partners:delegation_create"),
        {
            "direction": "incoming",
            "partner_city": city.pk,
            "country": "CN",
            "start_date": "2012-06-05",
            "end_date": "2012-06-01",
            "headcount": "-1",
            "purpose": "Переговоры",
            "department": editor.department_id,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Дата окончания визита не может быть раньше даты начала." in page
    assert "Запись не сохранена" in page
    assert not Delegation.objects.exists()
