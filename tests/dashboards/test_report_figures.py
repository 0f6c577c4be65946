"""Every figure of the annual report follows from that year's approved data, whatever the
year (Trust I, defect 7): a measure reported on is listed even outside its period, and the
status counts add up to the indicators listed."""

import pytest
from django.urls import reverse

from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import ExpectedResultFactory, MeasureFactory
from tests.indicators.factories import IndicatorFactory

from .html import elements_with

pytestmark = pytest.mark.django_db
LATE_YEAR = 2025


def report_page(client, year):
    response = client.get(reverse("dashboards:annual_report", args=[year]))
    assert response.status_code == 200
    return response.text


def test_a_measure_reported_on_after_its_period_is_listed_with_what_was_done(
    client_for, viewer, department
):
    measure = MeasureFactory(department=department, period_start=2008, period_end=2020)
    ProgressReportFactory(
        measure=measure,
        year=LATE_YEAR,
        quarter=None,
        state=WorkflowState.APPROVED,
        text="Подписан протокол о сотрудничестве.",
    )

    page = report_page(client_for(viewer), LATE_YEAR)

    assert f'data-measure="{measure.pk}"' in page
    assert "Подписан протокол о сотрудничестве." in page
    assert "В этом году мероприятия не выполнялись" not in page


def test_a_pending_report_does_not_make_a_measure_of_the_year(client_for, viewer, department):
    measure = MeasureFactory(department=department, period_start=2008, period_end=2020)
    ProgressReportFactory(measure=measure, year=LATE_YEAR, state=WorkflowState.SUBMITTED)

    page = report_page(client_for(viewer), LATE_YEAR)

    assert f'data-measure="{measure.pk}"' not in page
    assert "В этом году мероприятия не выполнялись" in page


def test_the_status_counts_add_up_to_the_indicators_listed(client_for, viewer, department):
    for _ in range(3):  # no target for the year: no status
        IndicatorFactory(department=department, expected_result=ExpectedResultFactory())

    page = report_page(client_for(viewer), LATE_YEAR)

    counts = {attrs["data-status-count"]: int(text) for attrs, text in _cells_with_counts(page)}
    assert counts["none"] == 3
    assert sum(counts.values()) == 3
    assert 'id="indicator-count">3<' in page


def _cells_with_counts(page):
    """(attributes, number) of each status count cell of the summary table."""
    found = []
    for attrs in elements_with(page, "data-status-count"):
        marker = f'data-status-count="{attrs["data-status-count"]}">'
        start = page.index(marker) + len(marker)
        found.append((attrs, page[start : page.index("<", start)]))
    return found


def test_my_work_does_not_claim_reports_when_no_measure_runs(client_for, editor, department):
    # The plan runs to 2030 (my work asks for last year), its measure ended in 2020.
    MeasureFactory(
        department=department,
        period_start=2008,
        period_end=2020,
        section__plan__horizon_year=2030,
    )

    page = client_for(editor).get(reverse("my_work")).text

    assert "По всем мероприятиям за этот год есть отчёты" not in page
    assert 'id="no-measures-running"' in page
