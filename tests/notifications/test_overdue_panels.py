"""What is overdue and for whom, on the home dashboard, the section dashboard and "my work";
with time frozen after the due date (1 February) and the approval deadline (11 February)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.dashboards.html import elements_with
from tests.factories import ExpectedResultFactory, MeasureFactory, SectionFactory
from tests.indicators.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db
KHABAROVSK = datetime.timezone(datetime.timedelta(hours=10))


def at(day):
    return time_machine.travel(datetime.datetime(2026, 2, day, 12, tzinfo=KHABAROVSK), tick=False)


@pytest.fixture
def owed(department, other_department):
    section = SectionFactory()
    MeasureFactory(section=section, department=department)  # no report for 2025
    MeasureFactory(section=section, department=department)
    submitted = MeasureFactory(section=section, department=other_department)
    ProgressReportFactory(measure=submitted, year=2025, quarter=None, state=WorkflowState.SUBMITTED)
    indicator = IndicatorFactory(
        department=department, expected_result=ExpectedResultFactory(section=section)
    )
    TargetFactory(indicator=indicator, year=2025)
    return section


def rows(page):
    return {int(row["data-department"]): row for row in elements_with(page, "data-department")}


def panel(page):
    start = page.index('id="overdue"')
    return page[start : page.index("</table>", start) if "</table>" in page[start:] else None]


def test_before_the_due_date_nothing_is_overdue(client_for, head, owed):
    with at(1):
        page = client_for(head).get(reverse("home"), {"year": 2025}).content.decode()
    assert 'id="overdue-total">0<' in page and "Просроченной отчётности нет." in page


def test_the_home_dashboard_says_who_owes_what(
    client_for, head, owed, department, other_department
):
    with at(5):
        page = client_for(head).get(reverse("home"), {"year": 2025}).content.decode()
    part = panel(page)
    assert 'id="overdue-total">3<' in part
    assert "отчётов: 2, значений: 1" in part and 'data-days="4"' in part
    # The other department submitted in time; its head has until 11 February to approve.
    assert str(other_department) not in part

    with at(12):
        page = client_for(head).get(reverse("home"), {"year": 2025}).content.decode()
    part = panel(page)
    assert 'id="overdue-total">4<' in part and str(other_department) in part
    assert 'data-days="1"' in part  # the approval is a day late


def test_the_section_dashboard_and_my_work(client_for, editor, viewer, owed, department):
    with at(12):
        section_page = client_for(editor).get(
            reverse("dashboards:section_dashboard", args=[owed.pk]), {"year": 2025}
        )
        assert 'id="overdue-total">4<' in section_page.content.decode()
        mine = client_for(editor).get(reverse("my_work")).content.decode()
        # The editor's own department only: two reports and one value.
        assert 'id="overdue-total">3<' in mine and "отчётов: 2, значений: 1" in mine
        assert 'id="overdue"' not in client_for(viewer).get(reverse("my_work")).content.decode()
