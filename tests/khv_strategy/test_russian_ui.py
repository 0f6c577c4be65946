"""Every word an official reads is Russian: select placeholders, empty filter choices, the error
pages under production settings (DEBUG off) and the API docs."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import MeasureFactory
from tests.partners.factories import PartnerCityFactory

pytestmark = pytest.mark.django_db

ENGLISH = ("Select an option", "---------", "Forbidden", "Not Found", "Server Error")


def assert_russian(html):
    for phrase in ENGLISH:
        assert phrase not in html, phrase


def test_the_report_form_offers_whole_year_in_russian(client_for, editor, department):
    measure = MeasureFactory(department=department)
    html = client_for(editor).get(reverse("activities:report_create", args=[measure.pk]))
    html = html.content.decode()

    assert_russian(html)
    assert '<option value="" selected>за год целиком</option>' in html


def test_the_measure_form_has_a_russian_placeholder(client_for, administrator, department):
    measure = MeasureFactory(department=department)
    html = client_for(administrator).get(reverse("activities:measure_edit", args=[measure.pk]))

    assert_russian(html.content.decode())


@pytest.mark.parametrize(
    "url_name",
    [
        "partners:city_list",
        "partners:organisation_list",
        "partners:agreement_list",
        "partners:delegation_list",
        "partners:exchange_list",
        "partners:event_list",
        "indicators:indicator_list",
    ],
)
def test_empty_filter_choices_read_in_russian(client_for, viewer, url_name):
    PartnerCityFactory()
    html = client_for(viewer).get(reverse(url_name)).content.decode()

    assert_russian(html)


def test_partner_forms_have_russian_placeholders(client_for, editor):
    for url_name in ("partners:city_create", "partners:delegation_create"):
        html = client_for(editor).get(reverse(url_name)).content.decode()
        assert_russian(html)
        assert "— выберите —" in html, url_name


def test_404_is_a_styled_russian_page(client_for, viewer):
    response = client_for(viewer).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in html
    assert "css/portal.css" in html and 'lang="ru"' in html
    assert_russian(html)


def test_403_is_a_styled_russian_page(client_for, api_client_user):
    # A bare API client has no portal pages.
    response = client_for(api_client_user).get(reverse("activities:plan_list"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in html
    assert "css/portal.css" in html
    assert_russian(html)


def test_a_csrf_failure_is_a_styled_russian_page(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    response = client.post(reverse("logout"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in html and "обновите страницу" in html
    assert "css/portal.css" in html
    assert_russian(html)


def test_500_is_a_styled_russian_page_without_a_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Внутренняя ошибка сервера" in html
    assert "css/portal.css" in html and 'lang="ru"' in html
    assert_russian(html)


@pytest.mark.parametrize("url_name", ["swagger-ui", "redoc"])
def test_the_api_docs_are_titled_in_russian(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert '<html lang="ru">' in html
    assert "<title>Документация API" in html
