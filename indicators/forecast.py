"""Early warning: the year-end value of an indicator forecast from the quarters reported so far,
and whether it falls short of the year's target before the year ends.

The forecast scales what the quarters so far add up to by the share of last year's total those
same quarters reached (a city's figures are seasonal: a slow first quarter is no alarm if last
year's was slow too); without a complete last year it is linear (four quarters' worth of their
average). Quarterly values are each quarter's own figure; they sum to the year (per-year
indicators; running totals of cumulative ones are not forecast).
"""

from dataclasses import dataclass
from decimal import Decimal

QUARTERS = (1, 2, 3, 4)
SEASONAL = "seasonal"
LINEAR = "linear"


@dataclass(frozen=True)
class Forecast:
    so_far: Decimal
    quarters: int  # the last quarter reported
    value: Decimal  # the year-end forecast
    method: str  # SEASONAL or LINEAR
    target: Decimal | None
    at_risk: bool


def forecast_year_end(quarters, last_year=None):
    """(value, method) from ``quarters`` ({quarter: value} of this year so far) and
    ``last_year`` ({quarter: value}, all four for the seasonal forecast). None without a
    quarter to go on."""
    if not quarters:
        return None
    reached = max(quarters)
    so_far = sum(quarters.values(), Decimal(0))
    if reached == 4:
        return so_far, LINEAR  # the year is reported: nothing left to forecast
    if last_year and all(q in last_year for q in QUARTERS):
        total = sum(last_year.values(), Decimal(0))
        share = sum((last_year[q] for q in QUARTERS if q <= reached), Decimal(0))
        if total > 0 and share > 0:
            return so_far * total / share, SEASONAL
    return so_far * 4 / reached, LINEAR


def falls_short(value, target, *, decrease_is_better):
    """Would ``value`` at the year's end miss ``target``?"""
    if target is None:
        return False
    return value > target if decrease_is_better else value < target


def forecast(quarters, last_year, *, target, decrease_is_better):
    found = forecast_year_end(quarters, last_year)
    if found is None:
        return None
    value, method = found
    return Forecast(
        so_far=sum(quarters.values(), Decimal(0)),
        quarters=max(quarters),
        value=value,
        method=method,
        target=target,
        at_risk=falls_short(value, target, decrease_is_better=decrease_is_better),
    )
