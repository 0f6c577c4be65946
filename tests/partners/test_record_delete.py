import pytest
from django.urls import reverse

from partners.models import PartnerCity

from .conftest import FACTORIES, SLUGS
from .factories import DelegationFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_it_deletes_for_the_owning_editor(client_for, editor, record_for, slug):
    record = record_for(slug)
    response = client_for(editor).post(reverse(f"partners:{slug}_delete", args=[record.pk]))
    assert response.status_code == 302
    assert not FACTORIES[slug]._meta.model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_viewer(client_for, viewer, record_for, slug):
    record = record_for(slug)
    response = client_for(viewer).post(reverse(f"partners:{slug}_delete", args=[record.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_it_refuses_editor_of_other_department(client_for, other_editor, record_for, slug):
    record = record_for(slug)
    response = client_for(other_editor).post(reverse(f"partners:{slug}_delete", args=[record.pk]))
    assert response.status_code == 403
    assert FACTORIES[slug]._meta.model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_it_rejects_get(client_for, editor, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(editor).get(reverse(f"partners:{slug}_delete", args=[record.pk])).status_code
        == 405
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_it_redirects_anonymous_to_login(client_for, record_for, slug):
    record = record_for(slug)
    assert (
        client_for(None).post(reverse(f"partners:{slug}_delete", args=[record.pk])).status_code
        == 302
    )


def test_it_refuses_deleting_a_city_in_use(client_for, editor, department):
    city = PartnerCityFactory(department=department)
    DelegationFactory(department=department, partner_city=city)
    response = client_for(editor).post(reverse("partners:city_delete", args=[city.pk]))
    assert response.status_code == 409
    assert "Запись нельзя удалить" in response.content.decode()
    assert PartnerCity.objects.filter(pk=city.pk).exists()
