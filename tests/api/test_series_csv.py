"""The series as CSV: one row per indicator and year, flat columns that a spreadsheet or pandas
reads as numbers, never a Python representation of a nested object."""

import csv
import io

import pytest
from django.urls import reverse

from indicators.models import Indicator
from tests.api.test_endpoints import populate

pytestmark = pytest.mark.django_db

COLUMNS = [
    "indicator", "code", "name", "unit", "kind", "direction", "accumulation", "baseline_value",
    "baseline_year", "year", "target", "original_target", "target_act_id", "target_act_kind",
    "target_act_number", "target_act_date", "target_act_title", "actual", "year_actual",
    "degree", "status", "exceeded", "period_ended", "milestone_due", "milestone_status",
]  # fmt: skip


def read(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "{" not in text and "[" not in text, text[:500]
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


@pytest.fixture
def series_data(department):
    populate(department, 3)


def test_one_indicators_series_is_a_row_per_year(client_for, viewer, series_data):
    indicator = Indicator.objects.order_by("id").first()
    url = reverse("indicator-series", args=[indicator.pk])
    as_json = client_for(viewer).get(url + "?year_from=2014&year_to=2016").json()

    columns, rows = read(client_for(viewer).get(url + "?year_from=2014&year_to=2016&format=csv"))

    assert columns == COLUMNS
    assert [int(row["year"]) for row in rows] == [2014, 2015, 2016]
    assert {row["indicator"] for row in rows} == {str(indicator.pk)}
    for row, year in zip(rows, as_json["years"], strict=True):
        assert row["target"] == (year["target"] or "")
        assert row["actual"] == (year["actual"] or "")
        assert row["status"] == year["status"]


def test_the_bulk_series_is_a_row_per_indicator_and_year(client_for, viewer, series_data):
    url = reverse("indicator-series-list") + "?year_from=2015&year_to=2016&format=csv"

    columns, rows = read(client_for(viewer).get(url))

    assert columns == COLUMNS
    pairs = [(row["indicator"], row["year"]) for row in rows]
    assert len(pairs) == len(set(pairs)) == 2 * Indicator.objects.count()
    assert all(float(row["target"]) == 100 for row in rows if row["year"] == "2015")


def test_an_empty_series_keeps_its_columns(client_for, viewer, series_data):
    url = reverse("indicator-series-list") + "?plan=999999&format=csv"

    columns, rows = read(client_for(viewer).get(url))

    assert columns == COLUMNS and rows == []
