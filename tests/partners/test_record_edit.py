import pytest
from django.urls import reverse

from .conftest import SLUGS
from .factories import PartnerCityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_shows_the_form_to_the_owning_editor(client_for, editor, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(editor).get(reverse(f"partners:{slug}_edit", args=[record.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_viewer(client_for, viewer, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(viewer).get(reverse(f"partners:{slug}_edit", args=[record.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_editor_of_other_department(client_for, other_editor, record_for, slug):
    record = record_for(slug)
    url = reverse(f"partners:{slug}_edit", args=[record.pk])
    client = client_for(other_editor)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(None).get(reverse(f"partners:{slug}_edit", args=[record.pk])).status_code == 302
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_delete_method(client_for, editor, record_for, slug):
    record = record_for(slug)
    url = reverse(f"partners:{slug}_edit", args=[record.pk])
    assert client_for(editor).delete(url).status_code == 405


def test_it_saves_changes_and_keeps_history(client_for, editor, department):
    city = PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    response = client_for(editor).post(
        reverse("partners:city_edit", args=[city.pk]),
        {
            "name_ru": "Харбин",
            "country": "CN",
            "status": "sister",
            "region": "Хэйлунцзян",
            "department": department.pk,
        },
    )
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.region == "Хэйлунцзян"
    latest = city.history.first()
    assert latest.history_user == editor
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"region", "status"} <= changed


def test_administrator_edits_any_department(client_for, administrator, other_department):
    city = PartnerCityFactory(department=other_department)
    url = reverse("partners:city_edit", args=[city.pk])
    assert client_for(administrator).get(url).status_code == 200
