"""In the admin, approved or submitted items and items of a closed year are read-only: a change
to approved data goes through the workflow (khv_strategy.admin.WorkflowItemAdmin)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from activities.models import ReportingYear
from khv_strategy.workflow import WorkflowState
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
