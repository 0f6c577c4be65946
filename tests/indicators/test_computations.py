"""Each computation against partner records counted by hand."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import computations

from .factories import AgreementFactory, DelegationFactory, EventFactory, ExchangeFactory

YEARS = [2014, 2015, 2016]


def values(key, years=YEARS):
    with CaptureQueriesContext(connection) as queries:
        result = computations.get(key).values(years)
    assert len(queries) == 1
    return result


@pytest.mark.django_db
def test_agreements_concluded_counts_by_signing_year():
    AgreementFactory(signed_on=datetime.date(2014, 12, 31))
    AgreementFactory(signed_on=datetime.date(2015, 1, 1))
    AgreementFactory(signed_on=datetime.date(2015, 11, 3), status="terminated")
    AgreementFactory(signed_on=datetime.date(2017, 1, 1))  # outside the years asked
    assert values("agreements_concluded") == {2014: D(1), 2015: D(2), 2016: D(0)}
    records = computations.get("agreements_concluded").records(2015)
    assert [a.signed_on for a in records] == [datetime.date(2015, 1, 1), datetime.date(2015, 11, 3)]


@pytest.mark.django_db
def test_residents_trained_abroad_sums_headcounts():
    ExchangeFactory(year=2015, headcount=12)
    ExchangeFactory(year=2015, headcount=3, category="teachers")
    ExchangeFactory(year=2016, headcount=1)
    assert values("residents_trained_abroad") == {2014: D(0), 2015: D(15), 2016: D(1)}
    assert computations.get("residents_trained_abroad").records(2015).count() == 2


@pytest.mark.django_db
def test_delegations_received_counts_incoming_only():
    DelegationFactory(start_date=datetime.date(2015, 2, 1))
    DelegationFactory(start_date=datetime.date(2015, 12, 30))  # ends in 2016: counts in 2015
    DelegationFactory(start_date=datetime.date(2015, 4, 1), direction="outgoing")
    DelegationFactory(start_date=datetime.date(2014, 4, 1))
    assert values("delegations_received") == {2014: D(1), 2015: D(2), 2016: D(0)}


@pytest.mark.django_db
def test_events_and_social_events():
    EventFactory(start_date=datetime.date(2015, 3, 1), social_sphere=True)
    EventFactory(start_date=datetime.date(2015, 5, 1))
    EventFactory(start_date=datetime.date(2016, 5, 1), social_sphere=True)
    assert values("events_attended") == {2014: D(0), 2015: D(2), 2016: D(1)}
    assert values("social_events") == {2014: D(0), 2015: D(1), 2016: D(1)}
    assert computations.get("social_events").records(2015).get().social_sphere


@pytest.mark.django_db
def test_no_years_asks_nothing():
    assert computations.get("social_events").values([]) == {}


def test_every_computation_has_a_label_and_known_columns():
    for key, computation in computations.REGISTRY.items():
        assert computation.key == key
        assert computation.column_labels()
