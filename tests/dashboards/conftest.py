"""A small plan whose figures are computed by hand, and a builder of plans of any size."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Measure
from indicators.models import Indicator
from tests.factories import (
    ExpectedResultFactory,
    MeasureFactory,
    SectionFactory,
    StrategicPlanFactory,
    UserFactory,
)
from tests.indicators.factories import (
    AgreementFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
)

YEAR = 2015


def indicator_with(section, department, *, target, actual, direction="increase", **kwargs):
    indicator = IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section),
        department=department,
        direction=direction,
        **kwargs,
    )
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal(target))
    if actual is not None:
        IndicatorValueFactory(indicator=indicator, year=YEAR, value=Decimal(actual))
    return indicator


@pytest.fixture
def small_plan(department, other_department):
    """Two sections, five indicators, degrees in 2015 known by hand:

    section A: I1 120/100 = 1.20 achieved (capped 1), I2 190/200 = 0.95 at risk,
               I3 decrease 50/100 = 0.50 not achieved → mean (1 + 0.95 + 0.5) / 3 = 0.8167
    section B: I4 target 10, no value → missing, I5 9/10 = 0.90 at risk → mean 0.90
    plan: (0.8167 + 0.9) / 2 = 0.85835 → 0.8584
    I5 belongs to `other_department`; the rest to `department`.
    """
    plan = StrategicPlanFactory(title="План развития", horizon_year=2020)
    section_a = SectionFactory(plan=plan, number="1.1", title="Раздел А", position=1)
    section_b = SectionFactory(plan=plan, number="1.2", title="Раздел Б", position=2)
    indicators = [
        indicator_with(section_a, department, target=100, actual=120, code="I1"),
        indicator_with(section_a, department, target=200, actual=190, code="I2"),
        indicator_with(
            section_a, department, target=50, actual=100, direction="decrease", code="I3"
        ),
        indicator_with(section_b, department, target=10, actual=None, code="I4"),
        indicator_with(section_b, other_department, target=10, actual=9, code="I5"),
    ]
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    MeasureFactory(section=section_a, department=department, status=Measure.Status.DONE)
    MeasureFactory(
        section=section_a,
        department=department,
        status=Measure.Status.IN_PROGRESS,
        deadline=long_ago,
        text="Опоздавшее мероприятие.",
    )
    MeasureFactory(section=section_b, department=other_department, status=Measure.Status.PLANNED)
    AgreementFactory(
        department=department,
        title="Истекающее соглашение",
        signed_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=30),
    )
    AgreementFactory(
        department=department,
        title="Истёкшее соглашение",
        signed_on=today - datetime.timedelta(days=700),
        valid_until=today - datetime.timedelta(days=30),
    )
    return {"plan": plan, "sections": (section_a, section_b), "indicators": indicators}


def build_plan(*, sections, indicators_per_section, department):
    """A plan with targets, approved values (some reviewed), measures and agreements; every
    kind of row grows with `sections`, so query counts can be compared at two sizes."""
    reviewer = UserFactory(department=department)
    plan = StrategicPlanFactory(horizon_year=2020)
    today = timezone.localdate()
    for s in range(sections):
        section = SectionFactory(plan=plan, position=s)
        for n in range(indicators_per_section):
            indicator = IndicatorFactory(
                expected_result=ExpectedResultFactory(section=section),
                department=department,
                accumulation="cumulative" if n % 3 == 0 else "per_year",
            )
            for year in (2014, 2015, 2016):
                TargetFactory(indicator=indicator, year=year, value=Decimal(10 + n))
                IndicatorValueFactory(
                    indicator=indicator,
                    year=year,
                    value=Decimal(8 + n % 5),
                    reviewer=reviewer,
                    reviewed_at=timezone.now(),
                )
        # A milestone a section: its statuses come with the same queries as the numbers.
        milestone = IndicatorFactory(
            expected_result=ExpectedResultFactory(section=section),
            department=department,
            kind=Indicator.Kind.MILESTONE,
            baseline_value=None,
        )
        for year, status in ((2014, "not_done"), (2015, "partly_done"), (2016, "done")):
            TargetFactory(indicator=milestone, year=year, value=None)
            IndicatorValueFactory(
                indicator=milestone,
                year=year,
                value=None,
                milestone_status=status,
                reviewer=reviewer,
                reviewed_at=timezone.now(),
            )
        MeasureFactory(section=section, department=department, deadline=today)
        MeasureFactory(
            section=section,
            department=department,
            deadline=today - datetime.timedelta(days=10),
        )
        AgreementFactory(
            department=department,
            signed_on=today - datetime.timedelta(days=100),
            valid_until=today + datetime.timedelta(days=10),
        )
    # One computed indicator at every size: the selector runs one query per computation.
    IndicatorFactory(
        expected_result=ExpectedResultFactory(section=section),
        department=department,
        source=Indicator.Source.COMPUTED,
        computation="agreements_concluded",
    )
    return plan
