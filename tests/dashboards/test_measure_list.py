"""The list of measures behind the dashboards' measure counts."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:measure_list")


def texts(response):
    return [measure.text for measure in response.context["page"].object_list]


def test_it_lists_the_late_measures(client_for, viewer, small_plan):
    response = client_for(viewer).get(URL, {"late": "on"})

    assert response.status_code == 200
    assert texts(response) == ["Опоздавшее мероприятие."]


def test_it_filters_by_status_section_and_department(
    client_for, viewer, small_plan, other_department
):
    _, section_b = small_plan["sections"]
    client = client_for(viewer)

    assert len(texts(client.get(URL, {"status": "done"}))) == 1
    assert len(texts(client.get(URL, {"section": section_b.pk}))) == 1
    assert len(texts(client.get(URL, {"department": other_department.pk}))) == 1
    assert len(texts(client.get(URL))) == 3


@pytest.mark.parametrize("params", [{"status": "lost"}, {"section": "x"}, {"department": "0"}])
def test_it_refuses_bad_filters_with_400(client_for, viewer, params):
    assert client_for(viewer).get(URL, params).status_code == 400


def test_access(client_for, viewer, api_client_user, client):
    assert client.get(URL).status_code == 302
    assert client_for(api_client_user).get(URL).status_code == 403
    assert client_for(viewer).get(URL).status_code == 200
    assert client_for(viewer).post(URL).status_code == 405
