"""The database refuses bad rows even when forms are bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from partners.models import Agreement, Delegation

from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_it_refuses_agreement_ending_before_signing(department):
    refused(
        AgreementFactory,
        department=department,
        signed_on=datetime.date(2012, 5, 1),
        valid_until=datetime.date(2012, 4, 30),
    )


def test_it_refuses_delegation_ending_before_start(department):
    refused(
        DelegationFactory,
        department=department,
        start_date=datetime.date(2012, 6, 3),
        end_date=datetime.date(2012, 6, 1),
    )


def test_it_refuses_delegation_without_people(department):
    refused(DelegationFactory, department=department, headcount=0)


def test_it_refuses_incoming_delegation_without_partner(department):
    refused(DelegationFactory, department=department, partner_city=None, origin="")


def test_it_accepts_outgoing_delegation_without_partner(department):
    delegation = DelegationFactory(
        department=department, direction=Delegation.Direction.OUTGOING, partner_city=None
    )
    assert delegation.pk


def test_it_refuses_exchange_without_host(department):
    refused(ExchangeFactory, department=department, host="")


def test_it_refuses_exchange_with_implausible_year(department):
    refused(ExchangeFactory, department=department, year=1800)


def test_it_refuses_event_ending_before_start(department):
    refused(
        EventFactory,
        department=department,
        start_date=datetime.date(2012, 9, 2),
        end_date=datetime.date(2012, 9, 1),
    )


def test_it_refuses_event_with_zero_participants(department):
    refused(EventFactory, department=department, participants=0)


def test_it_refuses_duplicate_partner_city(department):
    PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    refused(PartnerCityFactory, department=department, name_ru="Харбин", country="CN")


def test_expiring_and_expired_agreements(department):
    today = datetime.date(2024, 6, 1)
    expiring = AgreementFactory(department=department, valid_until=datetime.date(2024, 7, 1))
    expired = AgreementFactory(department=department, valid_until=datetime.date(2024, 5, 1))
    AgreementFactory(
        department=department,
        valid_until=datetime.date(2024, 5, 1),
        status=Agreement.Status.TERMINATED,
    )
    AgreementFactory(department=department, valid_until=datetime.date(2025, 7, 1))
    assert list(Agreement.objects.expiring(today)) == [expiring]
    assert list(Agreement.objects.expired(today)) == [expired]
    flags = {a.pk: (a.is_expiring, a.is_expired) for a in Agreement.objects.with_expiry(today)}
    assert flags[expiring.pk] == (True, False)
    assert flags[expired.pk] == (False, True)
