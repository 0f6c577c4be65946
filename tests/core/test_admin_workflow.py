"""In the admin, approved or submitted items and items of a closed year are read-only: a change
to approved data goes through the workflow (core.admin.WorkflowItemAdmin)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from activities.models import ReportingYear
from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.indicators.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    return client


def change_url(item):
    meta = item._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])


def value_form(value, new_value):
    return {
        "indicator": value.indicator_id,
        "year": value.year,
        "quarter": "",
        "value": new_value,
        "evidence_url": "",
        "comment": "",
    }


@pytest.mark.parametrize("state", [WorkflowState.APPROVED, WorkflowState.SUBMITTED])
def test_an_approved_or_submitted_value_is_read_only(superuser_client, state):
    value = IndicatorValueFactory(state=state, value=Decimal(5))

    page = superuser_client.get(change_url(value))
    refused = superuser_client.post(change_url(value), value_form(value, "50"))
    deleted = superuser_client.post(
        reverse("admin:indicators_indicatorvalue_delete", args=[value.pk]), {"post": "yes"}
    )

    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # shown, not editable
    assert refused.status_code == deleted.status_code == 403
    value.refresh_from_db()
    assert value.value == Decimal(5) and value.state == state


def test_a_draft_is_corrected_but_its_state_is_not_set_by_hand(superuser_client):
    value = IndicatorValueFactory(state=WorkflowState.DRAFT, value=Decimal(5))

    saved = superuser_client.post(
        change_url(value), {**value_form(value, "6"), "state": WorkflowState.APPROVED}
    )

    assert saved.status_code == 302, saved.content
    value.refresh_from_db()
    assert value.value == Decimal(6)
    assert value.state == WorkflowState.DRAFT


def test_a_draft_of_a_closed_year_is_read_only(superuser_client):
    report = ProgressReportFactory(state=WorkflowState.DRAFT, year=2016, percent_done=10)
    ReportingYear.objects.update_or_create(year=2016, defaults={"locked": True})

    page = superuser_client.get(change_url(report))
    refused = superuser_client.post(change_url(report), {"percent_done": 90})

    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.percent_done == 10


def test_there_is_no_bulk_delete_around_the_check(superuser_client):
    page = superuser_client.get(reverse("admin:activities_progressreport_changelist"))

    assert page.status_code == 200
    assert b"delete_selected" not in page.content


# --- simple-history's "revert" (Trust I, defect 3) ---------------------------------------------


def history_form_url(item, record):
    meta = item._meta
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history",
        args=[item.pk, record.history_id],
    )


def report_form(report, **changes):
    return {
        "measure": report.measure_id,
        "year": report.year,
        "quarter": report.quarter or "",
        "text": report.text,
        "percent_done": report.percent_done,
        "evidence_url": "",
    } | changes


def approved_report_with_a_draft_past(head):
    """A report entered as a draft, then approved: its history holds the draft."""
    report = ProgressReportFactory(state=WorkflowState.DRAFT, text="Черновик.", year=2016)
    report.state = WorkflowState.APPROVED
    report.text = "Согласованный текст."
    report.reviewer = head
    report.save()
    return report


@pytest.mark.parametrize("locked", [False, True])
def test_revert_cannot_turn_an_approved_report_back_into_a_draft(superuser_client, head, locked):
    report = approved_report_with_a_draft_past(head)
    if locked:
        ReportingYear.objects.create(year=2016, locked=True)
    draft_version = report.history.earliest()

    page = superuser_client.get(history_form_url(report, draft_version))
    reverted = superuser_client.post(
        history_form_url(report, draft_version), report_form(report, text="Черновик.")
    )

    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # the old version is shown, not offered
    assert reverted.status_code == 403
    report.refresh_from_db()
    assert (report.state, report.reviewer, report.text) == (
        WorkflowState.APPROVED,
        head,
        "Согласованный текст.",
    )


def test_reverting_a_draft_keeps_its_workflow_fields(superuser_client, editor):
    report = ProgressReportFactory(state=WorkflowState.DRAFT, text="Первый текст.", year=2016)
    first = report.history.earliest()
    report.text = "Второй текст."
    report.state = WorkflowState.RETURNED
    report.review_comment = "Уточните."
    report.save()

    reverted = superuser_client.post(
        history_form_url(report, first), report_form(report, text="Первый текст.")
    )

    assert reverted.status_code == 302
    report.refresh_from_db()
    assert report.text == "Первый текст."
    assert (report.state, report.review_comment) == (WorkflowState.RETURNED, "Уточните.")


# --- a closed year is read-only in the admin too ------------------------------------------------


def test_a_closed_years_reason_and_target_are_read_only(superuser_client, head):
    from dashboards.models import ReasonForDeviation
    from tests.indicators.factories import IndicatorFactory, TargetFactory

    indicator = IndicatorFactory()
    target = TargetFactory(indicator=indicator, year=2016, value=Decimal(10))
    reason = ReasonForDeviation.objects.create(
        indicator=indicator, year=2016, text="Визит перенесён.", author=head
    )
    ReportingYear.objects.create(year=2016, locked=True)

    changed = superuser_client.post(
        change_url(reason), {"indicator": indicator.pk, "year": 2016, "text": "Иначе."}
    )
    added = superuser_client.post(
        reverse("admin:dashboards_reasonfordeviation_add"),
        {"indicator": IndicatorFactory().pk, "year": 2016, "text": "Новая причина."},
    )
    target_changed = superuser_client.post(
        change_url(target), {"indicator": indicator.pk, "year": 2016, "value": "99"}
    )

    assert changed.status_code == target_changed.status_code == 403
    assert added.status_code == 200  # the form again, with the refusal
    assert "закрыт для изменений" in added.text
    assert ReasonForDeviation.objects.get().text == "Визит перенесён."
    target.refresh_from_db()
    assert target.value == Decimal(10)


# --- administrators reach the admin (Trust I, defect 9) -------------------------------------------


def test_an_administrator_by_role_opens_the_admin_and_issues_tokens(client, administrator):
    assert not administrator.is_superuser
    client.force_login(administrator)

    index = client.get(reverse("admin:index"))
    token_form = client.get(reverse("admin:accounts_apitoken_add"))
    users = client.get(reverse("admin:accounts_user_changelist"))

    assert index.status_code == token_form.status_code == users.status_code == 200
    assert "accounts/apitoken" in index.text


def test_losing_the_role_closes_the_admin(client, administrator):
    from django.contrib.auth.models import Group

    administrator.groups.remove(Group.objects.get(name="administrator"))
    administrator.refresh_from_db()
    client.force_login(administrator)

    assert administrator.is_staff is False
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's login


def test_other_roles_do_not_reach_the_admin(client, head):
    client.force_login(head)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_refuses_a_number_for_a_milestone(superuser_client):
    """The admin asks the portal's rule (indicators.services.check_kind): a milestone's draft
    is corrected with a status, never with a number."""
    from indicators.models import Indicator, MilestoneStatus
    from tests.indicators.factories import IndicatorFactory

    milestone = IndicatorFactory(kind=Indicator.Kind.MILESTONE, baseline_value=None)
    value = IndicatorValueFactory(
        indicator=milestone,
        state=WorkflowState.DRAFT,
        value=None,
        milestone_status=MilestoneStatus.PARTLY_DONE,
    )

    refused = superuser_client.post(
        change_url(value), {**value_form(value, "6"), "milestone_status": ""}
    )
    corrected = superuser_client.post(
        change_url(value), {**value_form(value, ""), "milestone_status": MilestoneStatus.DONE}
    )

    assert refused.status_code == 200
    assert "показатель — веха" in refused.content.decode()
    assert corrected.status_code == 302, corrected.content
    value.refresh_from_db()
    assert value.value is None and value.milestone_status == MilestoneStatus.DONE


def test_the_admin_keeps_a_targets_kind(superuser_client):
    """A target in the admin follows the targets form's rule (indicators.services
    .check_target_kind): a number for a numeric indicator, none for a milestone."""
    from indicators.models import Indicator, Target
    from tests.indicators.factories import IndicatorFactory

    numeric = IndicatorFactory()
    milestone = IndicatorFactory(kind=Indicator.Kind.MILESTONE, baseline_value=None)
    add = reverse("admin:indicators_target_add")

    without_number = superuser_client.post(add, {"indicator": numeric.pk, "year": 2015})
    number_for_milestone = superuser_client.post(
        add, {"indicator": milestone.pk, "year": 2015, "value": "5"}
    )
    due = superuser_client.post(add, {"indicator": milestone.pk, "year": 2016, "value": ""})

    assert without_number.status_code == number_for_milestone.status_code == 200
    assert "Введите плановое значение числом." in without_number.content.decode()
    assert "Плановое значение вехи" in number_for_milestone.content.decode()
    assert due.status_code == 302, due.content
    assert list(Target.objects.values_list("indicator", "year", "value")) == [
        (milestone.pk, 2016, None)
    ]
