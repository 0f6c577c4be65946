"""The fast list (values_list rows, core.api.fast_list) gives exactly the serializer's
JSON, for every endpoint of the router."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Measure, ProgressReport
from core.api.viewsets import ValuesListMixin
from indicators.models import Indicator, IndicatorValue
from khv_strategy.api.router import router
from partners.models import Agreement, PartnerCity
from tests.api.test_endpoints import BASENAMES, list_url, populate

VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}


@pytest.fixture
def rich_data(department):
    """populate() plus the cases that differ between instances and raw values: files, nulls,
    several many-to-many ids in a non-id order, decimals with many places."""
    populate(department, 4)
    ProgressReport.objects.filter(pk=ProgressReport.objects.first().pk).update(
        evidence_file="reports/2015/справка о ходе.pdf"
    )
    IndicatorValue.objects.filter(pk=IndicatorValue.objects.first().pk).update(
        evidence_file="values/2015/evidence.xlsx"
    )
    Agreement.objects.filter(pk=Agreement.objects.last().pk).update(document="agreements/a.pdf")
    Indicator.objects.filter(pk=Indicator.objects.first().pk).update(
        baseline_value=None, baseline_year=None
    )
    Indicator.objects.filter(pk=Indicator.objects.last().pk).update(
        baseline_value=Decimal("12.3456")
    )
    Measure.objects.filter(pk=Measure.objects.first().pk).update(
        planned_funding=Decimal("1500.5"), actual_funding=None, deadline=None
    )
    # Many ids per row, whose Meta.ordering (name, section/number) is not the id order.
    agreement = Agreement.objects.first()
    agreement.partner_cities.set(PartnerCity.objects.all())
    agreement.measures.set(Measure.objects.all())
    for number, city in enumerate(PartnerCity.objects.order_by("id")):
        PartnerCity.objects.filter(pk=city.pk).update(name_ru=f"Яр-{9 - number}")


def both(client, url):
    fast = client.get(url)
    ValuesListMixin.fast_list = False
    try:
        slow = client.get(url)
    finally:
        ValuesListMixin.fast_list = True
    assert fast.status_code == slow.status_code == 200, (fast.content, slow.content)
    return fast, slow


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
def test_every_endpoint_has_a_fast_list(basename):
    viewset = VIEWSETS[basename]()
    viewset.action = "list"
    viewset.request = None
    viewset.format_kwarg = None

    assert viewset.fast_list_spec() is not None


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
@pytest.mark.parametrize("query", ["", "?ordering=-id&page_size=3", "?page=last&page_size=2"])
def test_the_fast_list_is_the_serializers_json(client_for, administrator, rich_data, basename,
                                               query):  # fmt: skip
    fast, slow = both(client_for(administrator), list_url(basename) + query)

    assert fast.json()["results"], "no rows to compare"
    assert fast.content == slow.content
    # A list's validators come from the data version (core.api.conditional), not its rows: the
    # same for both paths (Last-Modified is left out within the second of the last write).
    assert fast["ETag"] == slow["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["agreement", "progressreport", "measure", "indicator"])
def test_the_fast_csv_is_the_serializers_csv(client_for, viewer, rich_data, basename):
    fast, slow = both(client_for(viewer), list_url(basename) + "?format=csv")

    assert fast.content == slow.content
    assert list(csv.DictReader(io.StringIO(fast.content.decode("utf-8-sig"))))


@pytest.mark.django_db
@pytest.mark.parametrize("basename", BASENAMES)
def test_the_fast_list_is_two_queries_of_data(client_for, administrator, rich_data, basename):
    """The count and the page; the many-to-many ids come with the rows."""
    client = client_for(administrator)
    client.get(list_url(basename))
    ValuesListMixin.fast_list = False
    try:
        with CaptureQueriesContext(connection) as slow:
            client.get(list_url(basename))
    finally:
        ValuesListMixin.fast_list = True
    with CaptureQueriesContext(connection) as fast:
        client.get(list_url(basename))

    assert len(fast) <= len(slow)
    counts = [query["sql"] for query in fast if "COUNT(" in query["sql"]]
    assert counts and not any("ARRAY(" in sql for sql in counts), counts
