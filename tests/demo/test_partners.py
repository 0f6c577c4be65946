import datetime
import io

import pytest
from django.core.management import call_command

from partners import models
from partners.models import Agreement, Delegation, PartnerCity
from tests.factories import MeasureFactory, SectionFactory

pytestmark = pytest.mark.django_db

SISTER_CITY_DATES = {
    "Ниигата": datetime.date(1965, 4, 23),
    "Портленд": datetime.date(1988, 6, 10),
    "Виктория": datetime.date(1990, 5, 25),
    "Харбин": datetime.date(1993, 6, 15),
    "Пучхон": datetime.date(2002, 1, 1),
    "Санья": None,
    "Вэйхай": datetime.date(2025, 11, 1),
}


def snapshot():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (
            models.PartnerCity,
            models.PartnerOrganisation,
            models.Agreement,
            models.Delegation,
            models.Exchange,
            models.Event,
        )
    }


def test_it_loads_the_sister_cities_and_a_second_run_changes_nothing():
    section = SectionFactory(number="6.4.2")
    for group, number in [(1, 1), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3)]:
        MeasureFactory(section=section, group=group, number=number)
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first

    sister = PartnerCity.objects.filter(status=PartnerCity.Status.SISTER)
    assert {city.name_ru: city.sister_city_since for city in sister} == SISTER_CITY_DATES
    assert PartnerCity.objects.get(name_ru="Пучхон").since_year_only
    # Every demo city is on the partner map, where it really is.
    harbin = PartnerCity.objects.get(name_ru="Харбин")
    assert (str(harbin.latitude), str(harbin.longitude)) == ("45.8038", "126.5350")
    assert not PartnerCity.objects.filter(latitude__isnull=True).exists()
    for name, signed_on in SISTER_CITY_DATES.items():
        agreements = Agreement.objects.filter(
            kind=Agreement.Kind.SISTER_CITY, partner_cities__name_ru=name
        )
        if signed_on is None:
            assert not agreements.exists()
        else:
            assert [agreement.signed_on for agreement in agreements] == [signed_on]

    today = datetime.date.today()
    assert Agreement.objects.expiring(today).exists()
    assert Agreement.objects.expired(today).exists()
    delegations = Delegation.objects.all()
    assert delegations.filter(direction="incoming").count() >= 10
    assert delegations.filter(direction="outgoing").count() >= 10
    assert all("иллюстративные" in d.notes for d in delegations)
    assert delegations.filter(measures__section=section).exists()


def test_it_skips_measure_links_when_no_plan_is_imported():
    call_command("load_demo", stdout=io.StringIO())
    assert PartnerCity.objects.count() == 8
    assert not Delegation.objects.filter(measures__isnull=False).exists()
