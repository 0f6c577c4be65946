"""The generic transitions of core.workflow on progress reports."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation

from activities.models import ProgressReport
from activities.services import progress_report_create, progress_report_update
from core.workflow import (
    WorkflowError,
    WorkflowState,
    workflow_approve,
    workflow_return,
    workflow_submit,
)
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department)


@pytest.fixture
def submitted(measure, editor):
    return ProgressReportFactory(
        measure=measure, author=editor, state=WorkflowState.SUBMITTED, year=2016, quarter=1
    )


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def test_submit_moves_a_draft_to_submitted(measure, editor):
    report = ProgressReportFactory(measure=measure, author=editor)

    workflow_submit(item=report, by=editor)

    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED
    assert report.submitted_at is not None
    assert report.history.first().history_user == editor


def test_head_approves_a_submitted_report(submitted, head):
    workflow_approve(item=submitted, by=head)

    submitted.refresh_from_db()
    assert submitted.state == WorkflowState.APPROVED
    assert submitted.reviewer == head and submitted.reviewed_at is not None


def test_head_returns_with_a_comment_and_the_editor_resubmits(submitted, head, editor):
    workflow_return(item=submitted, by=head, comment="Приложите протокол.")
    assert submitted.state == WorkflowState.RETURNED
    assert submitted.review_comment == "Приложите протокол."

    workflow_submit(item=submitted, by=editor)

    assert ProgressReport.objects.get().state == WorkflowState.SUBMITTED


def test_approving_an_approved_report_is_refused(submitted, head):
    workflow_approve(item=submitted, by=head)

    with pytest.raises(WorkflowError) as error:
        workflow_approve(item=submitted, by=head)

    assert error.value.code == "wrong_state"
    assert error.value.messages == ["Отчёт уже согласован."]


def test_approving_a_returned_report_is_refused(submitted, head):
    workflow_return(item=submitted, by=head, comment="Нет подтверждения.")

    with pytest.raises(WorkflowError) as error:
        workflow_approve(item=submitted, by=head)

    assert error.value.code == "wrong_state"
    assert error.value.messages == ["Отчёт уже возвращён на доработку."]


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_returning_without_a_comment_is_refused(submitted, head, comment):
    with pytest.raises(WorkflowError) as error:
        workflow_return(item=submitted, by=head, comment=comment)

    assert error.value.code == "comment_required"
    submitted.refresh_from_db()
    assert submitted.state == WorkflowState.SUBMITTED


def test_submitting_a_submitted_report_is_refused(submitted, editor):
    with pytest.raises(WorkflowError) as error:
        workflow_submit(item=submitted, by=editor)
    assert error.value.code == "wrong_state"


def test_an_editor_cannot_approve(submitted, editor):
    with pytest.raises(PermissionDenied):
        workflow_approve(item=submitted, by=editor)
    submitted.refresh_from_db()
    assert submitted.state == WorkflowState.SUBMITTED


def test_the_head_of_another_department_cannot_approve_or_return(submitted, other_head):
    with pytest.raises(PermissionDenied):
        workflow_approve(item=submitted, by=other_head)
    with pytest.raises(PermissionDenied):
        workflow_return(item=submitted, by=other_head, comment="Чужое")


def test_an_editor_of_another_department_cannot_submit(measure, editor, other_editor):
    report = ProgressReportFactory(measure=measure, author=editor)
    with pytest.raises(PermissionDenied):
        workflow_submit(item=report, by=other_editor)


def test_an_administrator_approves_any_department(submitted, administrator):
    workflow_approve(item=submitted, by=administrator)
    assert submitted.state == WorkflowState.APPROVED


def test_an_approved_report_cannot_be_edited(submitted, head, editor):
    workflow_approve(item=submitted, by=head)

    with pytest.raises(WorkflowError) as error:
        progress_report_update(report=submitted, by=editor, percent_done=90)

    assert error.value.code == "not_editable"
    assert "уже согласован" in error.value.messages[0]
    assert ProgressReport.objects.get().percent_done == 50


def test_a_submitted_report_cannot_be_edited(submitted, editor):
    with pytest.raises(WorkflowError) as error:
        progress_report_update(report=submitted, by=editor, percent_done=90)
    assert error.value.code == "not_editable"


def test_create_refuses_a_duplicate_period(measure, editor):
    values = {"year": 2016, "quarter": None, "text": "Итоги года", "percent_done": 10}
    progress_report_create(measure=measure, by=editor, **values)

    with pytest.raises(WorkflowError.__base__) as error:
        progress_report_create(measure=measure, by=editor, **values)

    assert "уже есть отчёт" in " ".join(error.value.messages)
    assert ProgressReport.objects.count() == 1


def test_create_refuses_percent_and_quarter_out_of_range(measure, editor):
    with pytest.raises(WorkflowError.__base__) as error:
        progress_report_create(measure=measure, by=editor, year=2016, quarter=5, text="x",
                               percent_done=120)  # fmt: skip

    assert set(error.value.message_dict) == {"quarter", "percent_done"}
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_heads_acting_at_once_exactly_one_wins(department):
    """Approve and return race on the same report; the row lock lets exactly one through."""
    from accounts.models import Role
    from tests.factories import UserFactory

    heads = [UserFactory(department=department, role=Role.HEAD) for _ in range(2)]
    measure = MeasureFactory(department=department)
    for round_number in range(50):
        report = ProgressReportFactory(
            measure=measure, state=WorkflowState.SUBMITTED, year=2000 + round_number, quarter=None
        )
        barrier = threading.Barrier(2)
        outcomes = []

        def act(head, approve, report_id=report.pk, barrier=barrier, outcomes=outcomes):
            try:
                item = ProgressReport.objects.get(pk=report_id)
                barrier.wait()
                if approve:
                    workflow_approve(item=item, by=head)
                else:
                    workflow_return(item=item, by=head, comment="Уточните цифры")
                outcomes.append("won")
            except WorkflowError as error:
                outcomes.append(error.code)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=act, args=(heads[0], True)),
            threading.Thread(target=act, args=(heads[1], False)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes) == ["won", "wrong_state"], round_number
        report.refresh_from_db()
        assert report.state in {WorkflowState.APPROVED, WorkflowState.RETURNED}
        # One transition, one historical record beside the creation.
        assert report.history.count() == 2


pytestmark = pytest.mark.django_db
