import pytest

from tests.factories import MeasureFactory, SectionFactory

from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

# URL slug of each record type → the factory of its records.
FACTORIES = {
    "city": PartnerCityFactory,
    "organisation": PartnerOrganisationFactory,
    "agreement": AgreementFactory,
    "delegation": DelegationFactory,
    "exchange": ExchangeFactory,
    "event": EventFactory,
}
SLUGS = list(FACTORIES)
SPREADSHEET_SLUGS = ["city", "organisation", "agreement", "delegation", "event"]


@pytest.fixture
def measure(department):
    section = SectionFactory(number="6.4.2")
    return MeasureFactory(section=section, group=1, number=1, department=department)


@pytest.fixture
def record_for(department):
    """record_for(slug) makes a record of that type kept by the `department` fixture."""

    def make(slug, **kwargs):
        kwargs.setdefault("department", department)
        return FACTORIES[slug](**kwargs)

    return make
