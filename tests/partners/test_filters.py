"""Each filter of each FilterSet narrows the list to the matching records."""

import datetime

import pytest

from partners import filters, selectors
from partners.models import Delegation

from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

pytestmark = pytest.mark.django_db


def filtered(filterset_class, queryset, **data):
    filterset = filterset_class(data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_city_filters(department, other_department, measure):
    harbin = PartnerCityFactory(
        department=department,
        name_ru="Харбин",
        country="CN",
        status="sister",
        sister_city_since=datetime.date(1993, 6, 15),
    )
    harbin.measures.add(measure)
    niigata = PartnerCityFactory(
        department=other_department, name_ru="Ниигата", name_en="Niigata", country="JP"
    )
    qs = selectors.city_list()
    assert filtered(filters.PartnerCityFilter, qs, q="нии") == {niigata}
    assert filtered(filters.PartnerCityFilter, qs, q="niig") == {niigata}
    assert filtered(filters.PartnerCityFilter, qs, country="CN") == {harbin}
    assert filtered(filters.PartnerCityFilter, qs, status="sister") == {harbin}
    assert filtered(filters.PartnerCityFilter, qs, year=1993) == {harbin}
    assert filtered(filters.PartnerCityFilter, qs, department=other_department.pk) == {niigata}
    assert filtered(filters.PartnerCityFilter, qs, measure=measure.pk) == {harbin}


def test_organisation_filters(department, other_department, measure):
    city = PartnerCityFactory(department=department)
    university = PartnerOrganisationFactory(
        department=department, name="Харбинский университет", city=city, country="CN"
    )
    university.measures.add(measure)
    chamber = PartnerOrganisationFactory(
        department=other_department, name="Палата", kind="business", country="JP"
    )
    qs = selectors.organisation_list()
    assert filtered(filters.PartnerOrganisationFilter, qs, q="харбин") == {university}
    assert filtered(filters.PartnerOrganisationFilter, qs, kind="business") == {chamber}
    assert filtered(filters.PartnerOrganisationFilter, qs, country="CN") == {university}
    assert filtered(filters.PartnerOrganisationFilter, qs, partner_city=city.pk) == {university}
    assert filtered(filters.PartnerOrganisationFilter, qs, department=other_department.pk) == {
        chamber
    }
    assert filtered(filters.PartnerOrganisationFilter, qs, measure=measure.pk) == {university}


def test_agreement_filters(department, other_department, measure):
    today = datetime.date.today()
    harbin = PartnerCityFactory(department=department, country="CN")
    niigata = PartnerCityFactory(department=department, country="JP")
    sister = AgreementFactory(
        department=department,
        title="О побратимстве",
        kind="sister_city",
        signed_on=datetime.date(1993, 6, 15),
        valid_until=today + datetime.timedelta(days=10),
    )
    sister.partner_cities.add(harbin)
    sister.measures.add(measure)
    memo = AgreementFactory(
        department=other_department,
        title="Меморандум",
        kind="memorandum",
        level="regional",
        status="terminated",
        signed_on=datetime.date(2010, 1, 1),
        valid_until=datetime.date(2011, 1, 1),
    )
    memo.partner_cities.add(niigata, harbin)
    old = AgreementFactory(
        department=department,
        title="Старое",
        signed_on=datetime.date(2010, 2, 1),
        valid_until=datetime.date(2011, 1, 1),
    )
    qs = selectors.agreement_list()
    f = filters.AgreementFilter
    assert filtered(f, qs, q="побратим") == {sister}
    assert filtered(f, qs, kind="memorandum") == {memo}
    assert filtered(f, qs, level="regional") == {memo}
    assert filtered(f, qs, status="terminated") == {memo}
    assert filtered(f, qs, year=2010) == {memo, old}
    assert filtered(f, qs, country="JP") == {memo}
    assert filtered(f, qs, country="CN") == {sister, memo}
    assert filtered(f, qs, partner_city=harbin.pk) == {sister, memo}
    assert filtered(f, qs, department=other_department.pk) == {memo}
    assert filtered(f, qs, measure=measure.pk) == {sister}
    assert filtered(f, qs, expiry="expiring") == {sister}
    assert filtered(f, qs, expiry="expired") == {old}


def test_delegation_filters(department, other_department, measure):
    harbin = PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    incoming = DelegationFactory(
        department=department, partner_city=harbin, purpose="Переговоры о туризме"
    )
    incoming.measures.add(measure)
    outgoing = DelegationFactory(
        department=other_department,
        direction=Delegation.Direction.OUTGOING,
        partner_city=None,
        country="JP",
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2015, 3, 2),
    )
    qs = selectors.delegation_list()
    f = filters.DelegationFilter
    assert filtered(f, qs, q="туризм") == {incoming}
    assert filtered(f, qs, q="харбин") == {incoming}
    assert filtered(f, qs, direction="outgoing") == {outgoing}
    assert filtered(f, qs, country="JP") == {outgoing}
    assert filtered(f, qs, year=2015) == {outgoing}
    assert filtered(f, qs, partner_city=harbin.pk) == {incoming}
    assert filtered(f, qs, department=other_department.pk) == {outgoing}
    assert filtered(f, qs, measure=measure.pk) == {incoming}


def test_exchange_filters(department, other_department, measure):
    harbin = PartnerCityFactory(department=department)
    students = ExchangeFactory(department=department, host_city=harbin, description="Стажировка")
    students.measures.add(measure)
    teachers = ExchangeFactory(
        department=other_department, category="teachers", country="JP", year=2014
    )
    qs = selectors.exchange_list()
    f = filters.ExchangeFilter
    assert filtered(f, qs, q="стажир") == {students}
    assert filtered(f, qs, category="teachers") == {teachers}
    assert filtered(f, qs, country="JP") == {teachers}
    assert filtered(f, qs, year=2014) == {teachers}
    assert filtered(f, qs, partner_city=harbin.pk) == {students}
    assert filtered(f, qs, department=other_department.pk) == {teachers}
    assert filtered(f, qs, measure=measure.pk) == {students}


def test_event_filters(department, other_department, measure):
    harbin = PartnerCityFactory(department=department)
    festival = EventFactory(
        department=department,
        title="Фестиваль льда",
        kind="festival",
        country="CN",
        start_date=datetime.date(2014, 1, 5),
        end_date=datetime.date(2014, 1, 7),
    )
    festival.partner_cities.add(harbin)
    festival.measures.add(measure)
    seminar = EventFactory(
        department=other_department, kind="seminar", level="regional", social_sphere=True
    )
    qs = selectors.event_list()
    f = filters.EventFilter
    assert filtered(f, qs, q="льда") == {festival}
    assert filtered(f, qs, kind="seminar") == {seminar}
    assert filtered(f, qs, level="regional") == {seminar}
    assert filtered(f, qs, country="CN") == {festival}
    assert filtered(f, qs, year=2014) == {festival}
    assert filtered(f, qs, partner_city=harbin.pk) == {festival}
    assert filtered(f, qs, social_sphere=True) == {seminar}
    assert filtered(f, qs, department=other_department.pk) == {seminar}
    assert filtered(f, qs, measure=measure.pk) == {festival}
