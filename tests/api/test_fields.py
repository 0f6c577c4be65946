"""Fields analysts ask for: a value carries its indicator's code and unit, its section and
plan; an indicator its plan; who entered and reviewed an item is a name for staff and nothing
personal for API clients (docs/api.md, "People"). Years and quarters in their real ranges."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import api_token_issue
from core.workflow import WorkflowState
from indicators.models import IndicatorValue
from tests.activities.factories import ProgressReportFactory
from tests.api.test_endpoints import list_url, populate
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory


def token_client(client, user):
    _token, key = api_token_issue(user=user, name="analytics")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


@pytest.fixture
def value(department, editor, head):
    indicator = IndicatorFactory(department=department, code="П-1", unit="ед.")
    return IndicatorValueFactory(
        indicator=indicator, year=2015, value=Decimal(7), author=editor, reviewer=head
    )


@pytest.mark.django_db
def test_a_value_carries_its_indicator_section_and_plan(client_for, viewer, value):
    row = client_for(viewer).get(list_url("indicatorvalue")).json()["results"][0]

    section = value.indicator.expected_result.section
    assert (row["indicator_code"], row["indicator_unit"]) == ("П-1", "ед.")
    assert (row["section"], row["section_number"]) == (section.pk, section.number)
    assert (row["plan"], row["plan_title"]) == (section.plan_id, section.plan.title)


@pytest.mark.django_db
def test_an_indicator_carries_its_plan(client_for, viewer, value):
    row = client_for(viewer).get(reverse("indicator-detail", args=[value.indicator_id])).json()

    section = value.indicator.expected_result.section
    assert (row["plan"], row["plan_title"]) == (section.plan_id, section.plan.title)
    assert row["section_number"] == section.number


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["indicatorvalue", "progressreport"])
def test_staff_read_who_entered_and_reviewed_an_item(client_for, viewer, editor, head, value,
                                                     basename):  # fmt: skip
    ProgressReportFactory(state=WorkflowState.APPROVED, author=editor, reviewer=head)
    client = client_for(viewer)

    row = client.get(list_url(basename)).json()["results"][0]
    detail = client.get(reverse(f"{basename}-detail", args=[row["id"]])).json()

    assert (row["author_name"], row["reviewer_name"]) == (str(editor), str(head))
    assert detail == row


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["indicatorvalue", "progressreport"])
def test_api_clients_read_nothing_personal(client, api_client_user, editor, head, value,
                                           basename):  # fmt: skip
    ProgressReportFactory(state=WorkflowState.APPROVED, author=editor, reviewer=head)
    client = token_client(client, api_client_user)

    row = client.get(list_url(basename)).json()["results"][0]
    detail = client.get(reverse(f"{basename}-detail", args=[row["id"]])).json()
    csv = client.get(list_url(basename) + "?format=csv").content.decode("utf-8-sig")

    assert row["author_name"] is None and row["reviewer_name"] is None
    assert detail == row
    assert editor.last_name not in csv and head.last_name not in csv


@pytest.mark.django_db
def test_the_editor_who_enters_a_value_reads_their_name(client_for, editor, value):
    response = client_for(editor).post(
        list_url("indicatorvalue"),
        {"indicator": value.indicator_id, "year": 2016, "value": "3"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["author_name"] == str(editor)
    assert response.json()["indicator_code"] == "П-1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes", [{"year": 2015.5}, {"year": 1800}, {"year": 2101}, {"quarter": 0}, {"quarter": 5}]
)
def test_years_and_quarters_out_of_range_are_refused(client_for, editor, value, changes):
    before = IndicatorValue.objects.count()

    response = client_for(editor).post(
        list_url("indicatorvalue"),
        {"indicator": value.indicator_id, "year": 2016, "value": "3", **changes},
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == set(changes)
    assert IndicatorValue.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["indicatorvalue", "progressreport", "indicator"])
def test_an_api_clients_list_query_count_does_not_grow(client, api_client_user, department,
                                                       basename):  # fmt: skip
    client = token_client(client, api_client_user)
    counts = []
    for size in (2, 12):
        populate(department, size)
        client.get(list_url(basename) + f"?page_size={size * 3}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(basename) + f"?page_size={size * 3}&format=json")
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
