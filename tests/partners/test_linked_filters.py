"""Filters by measure and partner city offer only the chosen value, however many there are."""

import pytest
from django.urls import reverse

from tests.factories import MeasureFactory
from tests.partners.factories import DelegationFactory, PartnerCityFactory


@pytest.mark.django_db
def test_the_city_and_measure_selects_offer_only_the_chosen_one(client_for, viewer, department):
    cities = PartnerCityFactory.create_batch(30, department=department)
    measures = MeasureFactory.create_batch(30)
    delegation = DelegationFactory(department=department, partner_city=cities[3])
    delegation.measures.add(measures[5])

    response = client_for(viewer).get(
        reverse("partners:delegation_list"),
        {"partner_city": cities[3].pk, "measure": measures[5].pk},
    )

    form = response.context["filterset"].form
    assert [value for value, _label in form.fields["partner_city"].widget.choices] == [
        "",
        cities[3].pk,
    ]
    assert [value for value, _label in form.fields["measure"].widget.choices] == [
        "",
        measures[5].pk,
    ]
    assert list(response.context["page"].object_list) == [delegation]


@pytest.mark.django_db
def test_an_unknown_city_is_still_refused(client_for, viewer):
    response = client_for(viewer).get(reverse("partners:delegation_list"), {"partner_city": 99999})

    assert response.status_code == 400
