"""The annual report and the dashboard use the approved progress reports."""

import pytest
from django.urls import reverse

from activities.models import ProgressReport
from core.workflow import WorkflowState
from tests.factories import MeasureFactory


def report(measure, *, year, quarter=None, text, state=WorkflowState.APPROVED, reviewer=None):
    return ProgressReport.objects.create(
        measure=measure, year=year, quarter=quarter, text=text, percent_done=50,
        state=state, reviewer=reviewer,
        reviewed_at="2016-01-20T10:00:00Z" if state == WorkflowState.APPROVED else None,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_report_shows_the_last_approved_report_of_the_year(client_for, head, department):
    measure = MeasureFactory(department=department, period_start=2010, period_end=2020)
    report(measure, year=2015, quarter=2, text="Второй квартал: приняли делегацию Харбина.")
    report(measure, year=2015, quarter=4, text="Итоги года: подписано соглашение.")
    report(measure, year=2015, quarter=3, text="Черновик", state=WorkflowState.DRAFT)

    html = client_for(head).get(reverse("dashboards:annual_report", args=[2015])).content.decode()

    assert "Итоги года: подписано соглашение." in html
    assert "Черновик" not in html and "Второй квартал" not in html


@pytest.mark.django_db
def test_the_dashboard_lists_approved_reports_among_the_latest_approvals(
    client_for, head, department
):
    measure = MeasureFactory(department=department)
    report(measure, year=2015, text="Отчёт", reviewer=head)

    html = client_for(head).get(reverse("home") + "?year=2015").content.decode()

    assert reverse("activities:report_detail", args=[measure.reports.get().pk]) in html
