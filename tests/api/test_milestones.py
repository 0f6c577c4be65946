"""Milestones over the API: the indicator's kind, a value's status, the series without numbers,
and the write path refusing the other kind's input. Every answer is checked against the schema
(tests/api/conftest.py), which must document the new fields with their enums."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.api.schema import schema_document
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

pytestmark = pytest.mark.django_db


def component(name):
    return schema_document()["components"]["schemas"][name]


@pytest.fixture
def milestone(department):
    indicator = IndicatorFactory(
        department=department, kind="milestone", unit="—", baseline_value=None, baseline_year=2007
    )
    TargetFactory(indicator=indicator, year=2015, value=None)
    return indicator


@pytest.fixture
def numeric(department):
    indicator = IndicatorFactory(department=department, baseline_year=2007)
    TargetFactory(indicator=indicator, year=2015, value=Decimal(100))
    return indicator


def test_the_schema_documents_the_kind_and_the_status_with_their_enums():
    assert component("IndicatorKindEnum")["enum"] == ["numeric", "milestone"]
    value = component("IndicatorValue")["properties"]
    status_schema = value["milestone_status"]
    enums = [
        component(ref["$ref"].rsplit("/", 1)[1]).get("enum")
        for ref in status_schema.get("oneOf", [status_schema])
        if "$ref" in ref
    ]
    assert ["done", "partly_done", "not_done"] in enums
    assert value["value"].get("nullable") or "null" in str(value["value"])
    year = component("YearSeries")["properties"]
    assert year["milestone_due"]["type"] == "boolean"
    assert "milestone_status" in component("YearSeries")["required"]


def test_a_milestone_reads_as_its_status_in_values_and_series(client_for, viewer, milestone):
    IndicatorValueFactory(indicator=milestone, year=2015, value=None, milestone_status="done")
    client = client_for(viewer)

    indicator = client.get(reverse("indicator-detail", args=[milestone.pk])).json()
    values = client.get(reverse("indicatorvalue-list"), {"indicator": milestone.pk}).json()
    series = client.get(
        reverse("indicator-series", args=[milestone.pk]), {"year_from": 2015, "year_to": 2015}
    ).json()

    assert indicator["kind"] == "milestone"
    (value,) = values["results"]
    assert (value["value"], value["milestone_status"]) == (None, "done")
    (year,) = series["years"]
    assert series["kind"] == "milestone"
    assert (year["target"], year["actual"], year["degree"]) == (None, None, None)
    assert (year["milestone_due"], year["milestone_status"], year["status"]) == (
        True,
        "done",
        "achieved",
    )


def post_value(client, indicator, **body):
    return client.post(
        reverse("indicatorvalue-list"),
        {"indicator": indicator.pk, "year": 2015, **body},
        content_type="application/json",
    )


def test_an_editor_enters_a_status_for_a_milestone(client_for, editor, milestone):
    response = post_value(client_for(editor), milestone, milestone_status="partly_done")

    assert response.status_code == 201, response.content
    assert (response.json()["value"], response.json()["milestone_status"]) == (None, "partly_done")
    assert IndicatorValue.objects.get().milestone_status == "partly_done"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("milestone", {"value": "5"}),
        ("milestone", {"value": "5", "milestone_status": "done"}),
        ("milestone", {"milestone_status": "almost"}),
        ("milestone", {"milestone_status": "done", "quarter": 2}),
        ("numeric", {"value": "5", "milestone_status": "done"}),
        ("numeric", {"milestone_status": "done"}),
    ],
)
def test_the_other_kinds_input_is_refused_and_nothing_written(
    client_for, editor, milestone, numeric, kind, body
):
    indicator = milestone if kind == "milestone" else numeric

    response = post_value(client_for(editor), indicator, **body)

    assert response.status_code == 400, response.content
    assert not IndicatorValue.objects.exists()
