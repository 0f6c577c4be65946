"""Paging a list loses no row and repeats none, whatever it is ordered by; bad paging, ordering
and unknown parameters are a 400 naming what is allowed (core.api.query, core.api.pagination)."""

import pytest
from django.utils import timezone

from khv_strategy.api.router import router
from tests.api.test_endpoints import BASENAMES, list_url, populate

pytestmark = pytest.mark.django_db

VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}


@pytest.fixture
def tied_data(department, other_department):
    """Rows of every kind whose `updated_at` all tie (a bulk write in one statement)."""
    populate(department, 3)
    populate(other_department, 1)
    moment = timezone.now()
    for _prefix, viewset, _basename in router.registry:
        model = viewset.serializer_class.Meta.model
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            model.objects.update(updated_at=moment)


def pull(client, url):
    """Every row of every page, following `next`."""
    rows, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
        pages += 1
        assert pages < 500
    return rows


def all_ids(client, basename):
    return {row["id"] for row in pull(client, list_url(basename) + "?page_size=500")}


@pytest.mark.parametrize("basename", BASENAMES)
def test_paging_any_ordering_gives_every_row_once(client_for, administrator, tied_data, basename):
    """Each ordering field both ways, and the default order: pages of 2 rows over rows that
    tie on the field (no id in the ordering made PostgreSQL order the ties differently from one
    page's query to the next)."""
    client = client_for(administrator)
    expected = all_ids(client, basename)
    orderings = [f"{direction}{field}" for field in VIEWSETS[basename].ordering_fields
                 for direction in ("", "-")]  # fmt: skip

    for ordering in [None, *orderings]:
        query = f"?ordering={ordering}&page_size=2" if ordering else "?page_size=2"
        ids = [row["id"] for row in pull(client, list_url(basename) + query)]

        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, (ordering, repeated)
        assert set(ids) == expected, (ordering, expected - set(ids))


def assert_bad_parameter(response, parameter, *allowed):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    message = " ".join(body["fields"][parameter])
    for name in allowed:
        assert name in message, (parameter, message)


@pytest.mark.parametrize("basename", BASENAMES)
def test_an_unknown_parameter_is_refused_naming_the_allowed_ones(
    client_for, viewer, department, basename
):
    populate(department, 1)

    response = client_for(viewer).get(list_url(basename) + "?updated_after=2020-01-01")

    assert_bad_parameter(response, "updated_after", "page_size", "ordering")


@pytest.mark.parametrize("value", ["0", "-1", "abc", "501", "1.5", "１"])
def test_a_bad_page_size_is_refused(client_for, viewer, department, value):
    populate(department, 1)

    response = client_for(viewer).get(list_url("indicatorvalue") + f"?page_size={value}")

    assert_bad_parameter(response, "page_size", "500")


@pytest.mark.parametrize("value", ["abc", "0", "-2", ""])
def test_a_bad_page_number_is_refused(client_for, viewer, department, value):
    populate(department, 1)

    response = client_for(viewer).get(list_url("measure") + f"?page={value}")

    assert_bad_parameter(response, "page", "last")


def test_a_page_past_the_last_is_not_found(client_for, viewer, department):
    populate(department, 1)

    response = client_for(viewer).get(list_url("measure") + "?page=99")

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["nonexistent", "-nonexistent", "year,bogus", ",", "value"])
def test_an_unknown_ordering_is_refused_naming_the_allowed_ones(
    client_for, viewer, department, value
):
    populate(department, 1)

    response = client_for(viewer).get(list_url("indicatorvalue") + f"?ordering={value}")

    assert_bad_parameter(response, "ordering", "year", "quarter", "updated_at", "id")


@pytest.mark.parametrize("query", ["quarter=7", "quarter=0", "year=1800", "year_from=abc"])
def test_an_out_of_range_filter_is_refused(client_for, viewer, department, query):
    populate(department, 1)

    response = client_for(viewer).get(list_url("indicatorvalue") + f"?{query}")

    assert response.status_code == 400, response.content
    assert query.split("=")[0] in response.json()["fields"]


def test_the_refusal_speaks_the_callers_language(client_for, viewer, department):
    populate(department, 1)
    client = client_for(viewer)

    russian = client.get(list_url("measure") + "?page_size=0", HTTP_ACCEPT_LANGUAGE="ru")
    english = client.get(list_url("measure") + "?page_size=0", HTTP_ACCEPT_LANGUAGE="en")

    assert "500" in russian.json()["fields"]["page_size"][0]
    assert russian.json()["fields"] != english.json()["fields"]
    assert russian.json()["message"] == english.json()["message"]


def test_the_series_takes_its_years_and_the_lists_filters(client_for, viewer, department):
    populate(department, 1)
    client = client_for(viewer)

    good = client.get(reverse_series() + "?year_from=2015&year_to=2016&page_size=5")
    bad = client.get(reverse_series() + "?years=2015")

    assert good.status_code == 200, good.content
    assert_bad_parameter(bad, "years", "year_from", "year_to")


def reverse_series():
    from django.urls import reverse

    return reverse("indicator-series-list")
