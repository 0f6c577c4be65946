"""A closed reporting year: nothing dated in it is created, edited, submitted or approved."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from activities.models import ProgressReport, ReportingYear
from activities.services import (
    progress_report_create,
    progress_report_update,
    reporting_year_set_locked,
)
from core.workflow import (
    WorkflowError,
    WorkflowState,
    ensure_year_open,
    is_year_locked,
    workflow_approve,
    workflow_return,
    workflow_submit,
)
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department)


def lock(administrator, year=2016):
    return reporting_year_set_locked(year=year, locked=True, by=administrator)


def test_lock_and_unlock_are_recorded(administrator):
    year = lock(administrator)
    assert year.locked and year.locked_by == administrator and year.locked_at
    assert is_year_locked(2016) and not is_year_locked(2017)

    reporting_year_set_locked(year=2016, locked=False, by=administrator)

    assert not is_year_locked(2016)
    assert ReportingYear.objects.get().history.count() == 2


@pytest.mark.parametrize("role", ["editor", "head", "viewer"])
def test_only_administrators_lock_years(request, role):
    with pytest.raises(PermissionDenied):
        reporting_year_set_locked(year=2016, locked=True, by=request.getfixturevalue(role))
    assert not ReportingYear.objects.exists()


def test_create_is_refused_in_a_locked_year(measure, editor, administrator):
    lock(administrator)

    with translation.override("ru"), pytest.raises(WorkflowError) as error:
        progress_report_create(measure=measure, by=editor, year=2016, quarter=None, text="x",
                               percent_done=1)  # fmt: skip

    assert error.value.code == "year_locked"
    assert "2016" in error.value.messages[0]
    assert not ProgressReport.objects.exists()


def test_edit_is_refused_into_and_out_of_a_locked_year(measure, editor, administrator):
    in_locked = ProgressReportFactory(measure=measure, year=2016)
    in_open = ProgressReportFactory(measure=measure, year=2017)
    lock(administrator)

    for report, values in [(in_locked, {"percent_done": 99}), (in_open, {"year": 2016})]:
        with pytest.raises(WorkflowError) as error:
            progress_report_update(report=report, by=editor, **values)
        assert error.value.code == "year_locked"
    assert ProgressReport.objects.filter(percent_done=99).count() == 0


def test_submit_approve_and_return_are_refused_while_locked(measure, editor, head, administrator):
    draft = ProgressReportFactory(measure=measure, year=2016, quarter=1)
    submitted = ProgressReportFactory(
        measure=measure, year=2016, quarter=2, state=WorkflowState.SUBMITTED
    )
    lock(administrator)

    for transition in [
        lambda: workflow_submit(item=draft, by=editor),
        lambda: workflow_approve(item=submitted, by=head),
        lambda: workflow_return(item=submitted, by=head, comment="Исправьте"),
    ]:
        with pytest.raises(WorkflowError) as error:
            transition()
        assert error.value.code == "year_locked"

    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"draft", "submitted"}


def test_everything_works_again_after_unlock(measure, editor, head, administrator):
    report = ProgressReportFactory(measure=measure, year=2016, quarter=1)
    lock(administrator)
    reporting_year_set_locked(year=2016, locked=False, by=administrator)

    progress_report_update(report=report, by=editor, percent_done=80)
    workflow_submit(item=report, by=editor)
    workflow_approve(item=report, by=head)
    ensure_year_open(2016)

    report.refresh_from_db()
    assert (report.state, report.percent_done) == (WorkflowState.APPROVED, 80)
