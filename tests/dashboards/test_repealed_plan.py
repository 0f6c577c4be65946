"""Step 1 of the amendments issue: every page of a repealed plan says so, with the date — the
plan's own pages (tests/activities/test_revision_pages.py) and those of its indicators and
sections elsewhere: the indicator page, the section dashboard, the public section and
indicator pages. A plan in force says nothing."""

import datetime

import pytest
from django.urls import reverse

from activities.models import StrategicPlan
from tests.factories import ExpectedResultFactory, SectionFactory, StrategicPlanFactory
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
NOTICE = "План утратил силу 31.01.2017."


@pytest.fixture
def pages(department):
    plan = StrategicPlanFactory(horizon_year=2020)
    section = SectionFactory(plan=plan, number="6.4.2")
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section), department=department
    )
    return [
        indicator.get_absolute_url(),
        reverse("dashboards:section_dashboard", args=[section.pk]) + "?year=2015",
        reverse("public:section", args=[section.pk]),
        reverse("public:indicator", args=[indicator.pk]),
    ]


def test_the_pages_of_a_repealed_plan_show_its_status_and_date(client_for, viewer, pages):
    client = client_for(viewer)
    for url in pages:
        assert NOTICE not in client.get(url).content.decode(), url

    # Saved, not updated in bulk: the public pages' cache learns of a change by the save.
    plan = StrategicPlan.objects.get()
    plan.status, plan.repealed_on = "repealed", datetime.date(2017, 1, 31)
    plan.save()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTICE in response.content.decode(), url
