import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def link(client, measure, kind, record, **extra):
    return client.post(
        reverse("partners:measure_link", args=[measure.pk]),
        {"kind": kind, "record": record.pk},
        **extra,
    )


@pytest.mark.parametrize(
    "kind,factory,related",
    [
        ("city", PartnerCityFactory, "partner_cities"),
        ("organisation", PartnerOrganisationFactory, "partner_organisations"),
        ("agreement", AgreementFactory, "agreements"),
    ],
)
def test_it_links_and_unlinks(client_for, editor, measure, kind, factory, related):
    record = factory(department=editor.department)
    client = client_for(editor)
    response = link(client, measure, kind, record, **HTMX)
    assert response.status_code == 200
    assert 'id="measure-partners"' in response.content.decode()
    assert list(getattr(measure, related).all()) == [record]
    response = client.post(
        reverse("partners:measure_unlink", args=[measure.pk]),
        {"kind": kind, "record": record.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert not getattr(measure, related).exists()


def test_it_redirects_without_htmx(client_for, editor, measure):
    city = PartnerCityFactory(department=editor.department)
    response = link(client_for(editor), measure, "city", city)
    assert response.status_code == 302 and response.url == measure.get_absolute_url()


def test_it_refuses_viewer(client_for, viewer, measure):
    city = PartnerCityFactory(department=viewer.department)
    assert link(client_for(viewer), measure, "city", city, **HTMX).status_code == 403
    assert not measure.partner_cities.exists()


def test_it_refuses_editor_of_other_department(client_for, other_editor, measure):
    city = PartnerCityFactory(department=other_editor.department)
    client = client_for(other_editor)
    assert link(client, measure, "city", city, **HTMX).status_code == 403
    response = client.post(
        reverse("partners:measure_unlink", args=[measure.pk]), {"kind": "city", "record": city.pk}
    )
    assert response.status_code == 403


def test_it_lets_administrator_link(client_for, administrator, measure):
    city = PartnerCityFactory(department=measure.department)
    assert link(client_for(administrator), measure, "city", city, **HTMX).status_code == 200


def test_it_redirects_anonymous_to_login(client_for, measure):
    city = PartnerCityFactory(department=measure.department)
    assert link(client_for(None), measure, "city", city).status_code == 302


@pytest.mark.parametrize("name", ["partners:measure_link", "partners:measure_unlink"])
def test_it_rejects_get(client_for, editor, measure, name):
    assert client_for(editor).get(reverse(name, args=[measure.pk])).status_code == 405


def test_it_refuses_unknown_record_with_a_message(client_for, editor, measure):
    response = client_for(editor).post(
        reverse("partners:measure_link", args=[measure.pk]),
        {"kind": "city", "record": 9999},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Выберите запись для привязки." in response.content.decode()


def test_measure_page_shows_partners_and_link_controls(client_for, editor, viewer, measure):
    city = PartnerCityFactory(department=editor.department, name_ru="Харбин")
    city.measures.add(measure)
    delegation = DelegationFactory(department=editor.department, partner_city=city)
    delegation.measures.add(measure)
    event = EventFactory(department=editor.department, title="Форум в Харбине")
    event.measures.add(measure)
    page = client_for(editor).get(measure.get_absolute_url()).content.decode()
    assert "Харбин" in page and "Форум в Харбине" in page
    assert delegation.get_absolute_url() in page
    assert reverse("partners:measure_unlink", args=[measure.pk]) in page
    viewer_page = client_for(viewer).get(measure.get_absolute_url()).content.decode()
    assert reverse("partners:measure_unlink", args=[measure.pk]) not in viewer_page


def _link_records(measure, department, count):
    for _ in range(count):
        city = PartnerCityFactory(department=department)
        city.measures.add(measure)
        PartnerOrganisationFactory(department=department).measures.add(measure)
        AgreementFactory(department=department).measures.add(measure)
        DelegationFactory(department=department, partner_city=city).measures.add(measure)
        EventFactory(department=department).measures.add(measure)
        # Records not yet linked fill the link controls' choices.
        PartnerCityFactory(department=department)


def test_measure_partial_makes_the_same_number_of_queries_for_3_and_30_records(
    client_for, editor, measure
):
    """Prevents an N+1 over the delegations' partners and the records offered for linking,
    both in the htmx partial and on the measure page that includes it."""
    client = client_for(editor)
    url = reverse("partners:measure_link", args=[measure.pk])

    def count():
        extra = PartnerCityFactory(department=editor.department)
        with CaptureQueriesContext(connection) as partial:
            response = client.post(url, {"kind": "city", "record": extra.pk}, **HTMX)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(measure.get_absolute_url()).status_code == 200
        return len(partial), len(page)

    _link_records(measure, editor.department, 3)
    small = count()
    _link_records(measure, editor.department, 27)
    assert count() == small


# --- one rule on every surface: a link belongs to the measure's department (Trust I, 6) -------


def test_the_record_form_cannot_link_another_departments_measure(client_for, other_editor, measure):
    from partners.models import PartnerCity

    record = PartnerCityFactory(department=other_editor.department)
    url = reverse("partners:city_edit", args=[record.pk])
    form = client_for(other_editor).get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["measures"] = [measure.pk]

    response = client_for(other_editor).post(url, data)

    assert response.status_code == 400
    assert "может только ответственное за него управление" in response.text
    assert not PartnerCity.objects.get(pk=record.pk).measures.exists()


def test_the_api_cannot_link_another_departments_measure(client_for, other_editor, measure):
    record = PartnerCityFactory(department=other_editor.department)

    response = client_for(other_editor).patch(
        reverse("partnercity-detail", args=[record.pk]),
        {"measures": [measure.pk]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "measures" in response.json()["fields"]
    assert not record.measures.exists()


def test_links_made_by_the_measures_department_survive_the_records_keeper(
    client_for, editor, other_editor, measure
):
    record = PartnerCityFactory(department=other_editor.department)
    link(client_for(editor), measure, "city", record)
    assert list(record.measures.all()) == [measure]

    response = client_for(other_editor).patch(
        reverse("partnercity-detail", args=[record.pk]),
        {"notes": "Уточнено."},
        content_type="application/json",
    )
    removed = client_for(other_editor).patch(
        reverse("partnercity-detail", args=[record.pk]),
        {"measures": []},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert removed.status_code == 400
    assert list(record.measures.all()) == [measure]
