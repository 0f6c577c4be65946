"""Four eyes: nobody approves or returns an item they entered themselves, administrators
included — in the workflow engine, so the pages, the htmx fragments and the API all refuse it
with the same reason (design.md, "Who sees what")."""

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import ProgressReport
from activities.services import progress_report_create
from core.workflow import (
    WorkflowError,
    WorkflowState,
    workflow_approve,
    workflow_return,
    workflow_submit,
)
from indicators import services as indicator_services
from indicators.models import IndicatorValue
from tests.factories import ExpectedResultFactory, MeasureFactory
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
OWN_REPORT_RU = "Вы сами внесли этот отчёт"
OWN_REPORT_EN = "You entered this report yourself"
OWN_VALUE_RU = "Вы сами внесли это значение"


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department, period_start=2008, period_end=2020)


def own_report(measure, author):
    """A report the author wrote and submitted."""
    report = progress_report_create(
        measure=measure, by=author, year=2016, quarter=None, text="Сделано.", percent_done=50
    )
    return workflow_submit(item=report, by=author)


def own_value(department, author):
    indicator = IndicatorFactory(
        department=department, expected_result=ExpectedResultFactory(), baseline_year=2007
    )
    value = indicator_services.value_create(
        indicator=indicator, by=author, year=2016, quarter=None, value=5
    )
    return workflow_submit(item=value, by=author)


@pytest.mark.parametrize("role", ["head", "administrator"])
@pytest.mark.parametrize("transition", ["approve", "return"])
def test_the_engine_refuses_ones_own_report(request, measure, role, transition):
    author = request.getfixturevalue(role)
    report = own_report(measure, author)

    with translation.override("ru"), pytest.raises(WorkflowError) as error:
        if transition == "approve":
            workflow_approve(item=report, by=author)
        else:
            workflow_return(item=report, by=author, comment="Сам себе.")

    assert error.value.code == "own_item"
    assert OWN_REPORT_RU in error.value.messages[0]
    stored = ProgressReport.objects.get()
    assert stored.state == WorkflowState.SUBMITTED and stored.reviewer is None


def test_another_head_or_an_administrator_approves_it(measure, head, administrator):
    report = own_report(measure, head)

    workflow_approve(item=report, by=administrator)

    assert ProgressReport.objects.get().reviewer == administrator


def test_the_report_page_refuses_and_offers_no_approve_button(client_for, measure, head):
    report = own_report(measure, head)
    client = client_for(head)

    page = client.get(reverse("activities:measure_detail", args=[measure.pk]))
    plain = client.post(reverse("activities:report_approve", args=[report.pk]))
    fragment = client.post(reverse("activities:report_approve", args=[report.pk]), **HTMX)
    returned = client.post(
        reverse("activities:report_return", args=[report.pk]), {"comment": "Нет."}, **HTMX
    )

    assert page.status_code == 200
    assert reverse("activities:report_approve", args=[report.pk]) not in page.text
    assert plain.status_code == fragment.status_code == returned.status_code == 403
    for response in (plain, fragment, returned):
        assert OWN_REPORT_RU in response.text
    assert ProgressReport.objects.get().state == WorkflowState.SUBMITTED


def test_the_api_refuses_in_both_languages(client_for, measure, head):
    report = own_report(measure, head)
    client = client_for(head)

    response = client.post(
        reverse("progressreport-approve", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert OWN_REPORT_RU in body["message"]["ru"]
    assert OWN_REPORT_EN in body["message"]["en"]
    assert ProgressReport.objects.get().state == WorkflowState.SUBMITTED


def test_values_follow_the_same_rule(client_for, department, head, administrator):
    value = own_value(department, head)
    client = client_for(head)

    page = client.post(reverse("indicators:value_approve", args=[value.pk]), **HTMX)
    api = client.post(reverse("indicatorvalue-approve", args=[value.pk]))

    assert page.status_code == api.status_code == 403
    assert OWN_VALUE_RU in page.text
    assert OWN_VALUE_RU in api.json()["message"]["ru"]
    assert IndicatorValue.objects.get().state == WorkflowState.SUBMITTED

    workflow_approve(item=value, by=administrator)
    assert IndicatorValue.objects.get().state == WorkflowState.APPROVED
