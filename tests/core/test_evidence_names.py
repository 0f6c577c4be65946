"""Evidence is shown by its file's name, never by its storage path, wherever it appears."""

import pytest
from django.urls import reverse

from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

STORED = "reports/2026/evidence.pdf"


def assert_named(html):
    assert ">evidence.pdf<" in html
    assert f">{STORED}<" not in html and f" {STORED}" not in html


def test_report_pages_name_the_evidence_file(client_for, head, department):
    report = ProgressReportFactory(
        measure=MeasureFactory(department=department),
        evidence_file=STORED,
        state=WorkflowState.SUBMITTED,
    )
    client = client_for(head)

    assert_named(client.get(reverse("activities:report_detail", args=[report.pk])).content.decode())
    assert_named(
        client.get(reverse("activities:measure_detail", args=[report.measure_id])).content.decode()
    )
    assert_named(client.get(reverse("my_work")).content.decode())


def test_the_indicator_page_names_the_evidence_file(client_for, viewer, department):
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(department=department), evidence_file=STORED
    )
    html = client_for(viewer).get(value.indicator.get_absolute_url()).content.decode()

    assert_named(html)
