"""The measure page: its reports block and its partners block together, and a query count that
does not grow with either."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.services import reporting_year_set_locked
from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory, SectionFactory, UserFactory
from tests.partners.factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    PartnerCityFactory,
    PartnerOrganisationFactory,
)

STATES = [
    WorkflowState.DRAFT,
    WorkflowState.SUBMITTED,
    WorkflowState.APPROVED,
    WorkflowState.RETURNED,
]


@pytest.fixture
def measure(department):
    return MeasureFactory(section=SectionFactory(number="6.4.2"), department=department)


def add_reports_and_partners(measure, count, first_year):
    """``count`` years of reports (one per state, each by its own author and reviewer) and
    ``count`` linked records of every partner kind, plus unlinked ones for the link choices."""
    department = measure.department
    for year in range(first_year, first_year + count):
        for quarter, state in enumerate(STATES, start=1):
            ProgressReportFactory(
                measure=measure,
                year=year,
                quarter=quarter,
                state=state,
                author=UserFactory(department=department),
                reviewer=UserFactory(department=department),
            )
        city = PartnerCityFactory(department=department)
        city.measures.add(measure)
        organisation = PartnerOrganisationFactory(department=department)
        organisation.measures.add(measure)
        AgreementFactory(department=department).measures.add(measure)
        DelegationFactory(
            department=department, partner_city=city, partner_organisation=organisation
        ).measures.add(measure)
        EventFactory(department=department).measures.add(measure)
        PartnerCityFactory(department=department)
        PartnerOrganisationFactory(department=department)
        AgreementFactory(department=department)


def test_the_page_shows_reports_and_partners(client_for, editor, measure):
    add_reports_and_partners(measure, 1, 2016)
    response = client_for(editor).get(measure.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="progress-reports"' in html and 'id="measure-partners"' in html
    assert len(response.context["reports"]) == len(STATES)
    assert html.count('data-report="') == len(STATES)
    assert measure.partner_cities.get().name_ru in html
    assert 'id="measure-delegations"' in html and 'id="measure-events"' in html


def test_a_viewer_sees_approved_reports_and_the_partners(client_for, viewer, measure):
    add_reports_and_partners(measure, 1, 2016)
    html = client_for(viewer).get(measure.get_absolute_url()).content.decode()
    assert html.count('data-report="') == 1
    assert measure.agreements.get().title in html


@pytest.mark.parametrize("role", ["viewer", "editor", "head", "administrator"])
def test_query_count_does_not_grow_with_reports_and_partners(
    request, client_for, administrator, measure, role
):
    """Reports come with their authors, reviewers and year lock; partner records, the
    delegations' partners and the records offered for linking come in one query per kind:
    nothing is queried per report or per record."""
    reporting_year_set_locked(year=2010, locked=True, by=administrator)
    client = client_for(request.getfixturevalue(role))
    counts = []
    for count, first_year in [(1, 2008), (6, 2010)]:
        add_reports_and_partners(measure, count, first_year)
        client.get(measure.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(measure.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
