import dataclasses
import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.workflow import WorkflowState
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Status, indicator_progress
from tests.factories import ExpectedResultFactory, SectionFactory

from .factories import (
    AgreementFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
)

TODAY = datetime.date(2016, 6, 30)


def progress_of(indicator, years, **kwargs):
    kwargs.setdefault("today", TODAY)
    return indicator_progress(Indicator.objects.filter(pk=indicator.pk), years, **kwargs)


def year_of(indicator, year, **kwargs):
    return progress_of(indicator, [year], **kwargs).indicators[0].for_year(year)


def test_it_compares_approved_value_with_target(indicator):
    TargetFactory(indicator=indicator, year=2015, value=D(100))
    IndicatorValueFactory(indicator=indicator, year=2015, value=D(95))
    item = year_of(indicator, 2015)
    assert (item.target, item.actual, item.degree) == (D(100), D(95), D("0.9500"))
    assert item.status == Status.AT_RISK
    assert item.pending is False


def test_it_sums_quarters_into_the_year(indicator):
    TargetFactory(indicator=indicator, year=2015, value=D(100))
    for quarter, value in [(1, "20.5"), (2, "30"), (3, "25"), (4, "24.5")]:
        IndicatorValueFactory(indicator=indicator, year=2015, quarter=quarter, value=D(value))
    item = year_of(indicator, 2015)
    assert item.actual == D(100)
    assert item.quarters == 4
    assert item.status == Status.ACHIEVED


@pytest.mark.parametrize("state", [WorkflowState.DRAFT, WorkflowState.SUBMITTED, "returned"])
def test_it_counts_only_approved_values(indicator, state):
    TargetFactory(indicator=indicator, year=2015)
    IndicatorValueFactory(indicator=indicator, year=2015, quarter=1, value=D(60))
    IndicatorValueFactory(indicator=indicator, year=2015, quarter=2, value=D(40), state=state)
    assert year_of(indicator, 2015).actual == D(60)


def test_pending_values_count_when_asked_and_are_marked(indicator):
    TargetFactory(indicator=indicator, year=2015)
    IndicatorValueFactory(indicator=indicator, year=2015, quarter=1, value=D(60))
    IndicatorValueFactory(
        indicator=indicator, year=2015, quarter=2, value=D(40), state=WorkflowState.SUBMITTED
    )
    IndicatorValueFactory(
        indicator=indicator, year=2015, quarter=3, value=D(7), state=WorkflowState.DRAFT
    )
    item = year_of(indicator, 2015, include_pending=True)
    assert item.actual == D(100)
    assert item.pending is True
    assert item.status == Status.ACHIEVED


def test_missing_only_when_the_year_has_ended(indicator):
    TargetFactory(indicator=indicator, year=2015)
    TargetFactory(indicator=indicator, year=2016)
    IndicatorValueFactory(indicator=indicator, year=2015, state=WorkflowState.SUBMITTED)
    progress = progress_of(indicator, [2015, 2016, 2017]).indicators[0]
    assert progress.for_year(2015).status == Status.MISSING
    assert progress.for_year(2016).status == Status.NONE  # runs until 31 December
    assert progress.for_year(2017).status == Status.NONE  # no target


def test_cumulative_indicator_compares_running_totals(indicator):
    indicator.accumulation = Indicator.Accumulation.CUMULATIVE
    indicator.save()
    for year, target in [(2008, 10), (2009, 20), (2010, 30), (2011, 40)]:
        TargetFactory(indicator=indicator, year=year, value=D(target))
    for year, value in [(2008, 12), (2009, 7), (2011, 10)]:
        IndicatorValueFactory(indicator=indicator, year=year, value=D(value))
    # Only 2010 and 2011 asked: the running total still starts after the baseline year (2007).
    progress = progress_of(indicator, [2010, 2011]).indicators[0]
    assert progress.first_year == 2008
    year_2010, year_2011 = progress.years
    assert (year_2010.actual, year_2010.status) == (None, Status.MISSING)
    assert (year_2011.year_actual, year_2011.actual) == (D(10), D(29))
    assert year_2011.degree == D("0.7250")


def test_decrease_indicator(indicator):
    indicator.direction = Indicator.Direction.DECREASE
    indicator.save()
    TargetFactory(indicator=indicator, year=2015, value=D(50))
    IndicatorValueFactory(indicator=indicator, year=2015, value=D(40))
    item = year_of(indicator, 2015)
    assert item.degree == D("1.2500")
    assert item.capped_degree == D(1)
    assert item.exceeded


def test_computed_values_count_without_approval(computed_indicator):
    TargetFactory(indicator=computed_indicator, year=2015, value=D(2))
    AgreementFactory.create_batch(2, signed_on=datetime.date(2015, 3, 1))
    AgreementFactory(signed_on=datetime.date(2014, 12, 31))
    progress = progress_of(computed_indicator, [2014, 2015, 2017]).indicators[0]
    assert progress.for_year(2014).actual == D(1)
    assert progress.for_year(2015).actual == D(2)
    assert progress.for_year(2015).status == Status.ACHIEVED
    assert progress.for_year(2017).actual is None  # the future has no count yet


def test_roll_ups_average_capped_degrees(department, expected_result):
    other_result = ExpectedResultFactory(section=expected_result.section)
    second_section = SectionFactory(plan=expected_result.section.plan, number="6.4.3")
    third_result = ExpectedResultFactory(section=second_section)
    cases = [
        (expected_result, D(150)),  # degree 1.5 → capped 1
        (expected_result, D(80)),  # 0.8
        (other_result, D(90)),  # 0.9
        (third_result, D(50)),  # 0.5
        (third_result, None),  # missing: ignored
    ]
    indicators = []
    for result, actual in cases:
        indicator = IndicatorFactory(department=department, expected_result=result)
        TargetFactory(indicator=indicator, year=2015, value=D(100))
        if actual is not None:
            IndicatorValueFactory(indicator=indicator, year=2015, value=actual)
        indicators.append(indicator.pk)
    progress = indicator_progress(
        Indicator.objects.filter(pk__in=indicators), [2015, 2016], today=TODAY
    )
    results = {rollup.id: rollup for rollup in progress.expected_results}
    assert results[expected_result.pk].overall == D("0.9000")
    assert results[expected_result.pk].count == 2
    assert results[other_result.pk].for_year(2015).mean == D("0.9000")
    assert results[third_result.pk].for_year(2016).mean is None
    sections = {rollup.id: rollup for rollup in progress.sections}
    assert sections[expected_result.section_id].overall == D("0.9000")  # (1 + .8 + .9) / 3
    assert sections[second_section.pk].overall == D("0.5000")
    (plan,) = progress.plans
    assert plan.overall == D("0.7000")  # mean of the sections' means
    assert plan.for_year(2015).mean == D("0.7000")


def test_output_serialises_to_json(indicator):
    TargetFactory(indicator=indicator, year=2015)
    IndicatorValueFactory(indicator=indicator, year=2015)
    progress = progress_of(indicator, [2015])
    text = json.dumps(dataclasses.asdict(progress), cls=DjangoJSONEncoder)
    assert '"status": "achieved"' in text


def test_no_indicators_or_years_is_empty(indicator):
    assert progress_of(indicator, []).indicators == ()
    assert indicator_progress(Indicator.objects.none(), [2015]).indicators == ()


def _bulk_indicators(count, department, expected_result):
    """`count` indicators (manual ones and the four computations of 6.4.2, some cumulative,
    some quarterly) with targets
    and values for 2008–2020; bulk-created so the test stays fast."""
    kinds = [
        ("manual", ""),
        ("computed", "agreements_concluded"),
        ("computed", "residents_trained_abroad"),
        ("computed", "delegations_received"),
        ("computed", "social_events"),
    ]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"Q-{count}-{n}",
            name=f"Показатель {n}",
            unit="ед.",
            baseline_year=2007,
            expected_result=expected_result,
            department=department,
            source=kinds[n % len(kinds)][0],
            computation=kinds[n % len(kinds)][1],
            accumulation="cumulative" if n % 4 == 0 else "per_year",
        )
        for n in range(count)
    )
    years = range(2008, 2021)
    Target.objects.bulk_create(
        Target(indicator=i, year=year, value=D(10)) for i in indicators for year in years
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, year=year, quarter=quarter, value=D(3), state="approved")
        for i in indicators
        if i.source == "manual"
        for year in years
        for quarter in ([1, 2, 3, 4] if i.pk % 2 else [None])
    )
    return indicators


@pytest.mark.parametrize("count", [5, 500])
def test_query_count_does_not_grow_with_indicators(count, department, expected_result):
    """One query for the indicators (with their expected result, section and plan), one for
    the targets, one for all manual values summed by (indicator, year), one per computation:
    never a query per indicator or per year (the N+1 of looping over indicators)."""
    _bulk_indicators(count, department, expected_result)
    AgreementFactory(signed_on=datetime.date(2010, 1, 1))
    ExchangeFactory(year=2010)
    DelegationFactory(start_date=datetime.date(2010, 1, 1))
    EventFactory(start_date=datetime.date(2010, 1, 1), social_sphere=True)
    queryset = Indicator.objects.filter(code__startswith=f"Q-{count}-")
    with CaptureQueriesContext(connection) as queries:
        progress = indicator_progress(queryset, range(2008, 2021), today=TODAY)
    assert len(progress.indicators) == count
    # The same 7 for 5 indicators as for 500.
    assert len(queries) == 1 + 1 + 1 + 4
    manual = next(i for i in progress.indicators if i.source == "manual")
    assert manual.for_year(2010).actual in {D(3), D(12), D(9), D(36)}
