"""Early warning on hand-made quarters: the year-end forecast, seasonal and linear, and the
"at risk" flag on the indicator page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.workflow import WorkflowState
from indicators.forecast import LINEAR, SEASONAL, forecast, forecast_year_end
from indicators.models import Indicator
from indicators.selectors import year_end_forecasts
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

D = Decimal


def test_linear_without_history():
    assert forecast_year_end({1: D(10), 2: D(20)}) == (D(60), LINEAR)
    assert forecast_year_end({1: D(25)}, {1: D(5), 2: D(5)}) == (
        D(100),
        LINEAR,
    )  # last year incomplete


def test_seasonal_from_last_years_share():
    # Last year the first half brought 20 of 100: this year's 30 by June points to 150.
    last_year = {1: D(5), 2: D(15), 3: D(40), 4: D(40)}
    assert forecast_year_end({1: D(10), 2: D(20)}, last_year) == (D(150), SEASONAL)
    value, method = forecast_year_end({1: D(10), 2: D(20), 3: D(60)}, last_year)
    assert (round(value, 2), method) == (D("150.00"), SEASONAL)


def test_nothing_to_forecast():
    assert forecast_year_end({}) is None
    assert forecast_year_end({1: D(1), 2: D(1), 3: D(1), 4: D(1)}) == (D(4), LINEAR)


def test_at_risk_by_direction():
    assert forecast({1: D(10)}, None, target=D(50), decrease_is_better=False).at_risk
    assert not forecast({1: D(15)}, None, target=D(50), decrease_is_better=False).at_risk
    assert forecast({1: D(15)}, None, target=D(50), decrease_is_better=True).at_risk
    assert not forecast({1: D(10)}, None, target=None, decrease_is_better=False).at_risk


@pytest.fixture
def slow_start(department):
    """Target 100 for 2026; 10 and 10 in the first half (linear: 40, at risk); last year's first
    half brought 10 % of its year (seasonal: 200, on track)."""
    indicator = IndicatorFactory(department=department, code="6.4.2-7", name="Иностранные туристы")
    TargetFactory(indicator=indicator, year=2026, value=D(100))
    for quarter, value in ((1, 10), (2, 10)):
        IndicatorValueFactory(indicator=indicator, year=2026, quarter=quarter, value=D(value))
    return indicator


@pytest.mark.django_db
def test_the_selector_seasonal_or_linear(slow_start):
    [found] = year_end_forecasts([slow_start], 2026).values()
    assert (found.method, found.value, found.at_risk) == (LINEAR, D(40), True)
    for quarter, value in ((1, 5), (2, 5), (3, 40), (4, 50)):
        IndicatorValueFactory(indicator=slow_start, year=2025, quarter=quarter, value=D(value))
    [found] = year_end_forecasts([slow_start], 2026).values()
    assert (found.method, found.value, found.at_risk) == (SEASONAL, D(200), False)


@pytest.mark.django_db
def test_pending_quarters_and_cumulative_indicators_are_not_forecast(slow_start, department):
    IndicatorValueFactory(
        indicator=slow_start, year=2026, quarter=3, value=D(500), state=WorkflowState.SUBMITTED
    )
    assert year_end_forecasts([slow_start], 2026)[slow_start.pk].value == D(40)
    slow_start.accumulation = Indicator.Accumulation.CUMULATIVE
    assert year_end_forecasts([slow_start], 2026) == {}


@pytest.mark.django_db
def test_the_indicator_page_flags_the_risk(client_for, viewer, slow_start):
    url = reverse("indicators:indicator_detail", args=[slow_start.pk])
    with time_machine.travel(datetime.datetime(2026, 7, 10, 12, tzinfo=datetime.UTC), tick=False):
        page = client_for(viewer).get(url).content.decode()
    start = page.index('id="forecast"')
    block = page[start : page.index("</div>", start)]
    assert 'data-at-risk="true"' in block and "Риск недостижения целевого значения" in block
    assert "Прогноз на конец 2026 года по 2 кв." in block and "40" in block and "100" in block
    assert "Линейный" in block

    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert 'id="forecast"' not in client_for(viewer).get(url).content.decode()


@pytest.mark.django_db
def test_the_section_dashboard_flags_the_risk_this_year_only(client_for, viewer, slow_start):
    section = slow_start.expected_result.section
    url = reverse("dashboards:section_dashboard", args=[section.pk])
    with time_machine.travel(datetime.datetime(2026, 7, 10, 12, tzinfo=datetime.UTC), tick=False):
        page = client_for(viewer).get(url, {"year": 2026}).content.decode()
        last_year = client_for(viewer).get(url, {"year": 2025}).content.decode()
    row = page[page.index(f'data-indicator="{slow_start.code}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-at-risk="true"' in row and "риск недостижения" in row
    assert "40,00" in row or "40.00" in row
    assert 'data-at-risk="true"' not in last_year
