"""The Russian methodology's formulas and every edge case, one row each."""

from decimal import Decimal as D

import pytest

from indicators.selectors import Status, assess

INC, DEC = "increase", "decrease"


@pytest.mark.parametrize(
    ("direction", "target", "actual", "ended", "degree", "capped", "status", "exceeded"),
    [
        # increase: actual / target
        (INC, D(100), D(100), True, D("1.0000"), D(1), Status.ACHIEVED, False),
        (INC, D(100), D(120), True, D("1.2000"), D(1), Status.ACHIEVED, True),
        (INC, D(100), D(95), True, D("0.9500"), D("0.95"), Status.AT_RISK, False),
        (INC, D(100), D(90), True, D("0.9000"), D("0.9"), Status.AT_RISK, False),
        (INC, D(100), D("89.99"), True, D("0.8999"), D("0.8999"), Status.NOT_ACHIEVED, False),
        (INC, D(100), D(0), True, D(0), D(0), Status.NOT_ACHIEVED, False),
        # rounding decides the colour as shown: 0.89996 is shown as 90.0 % and is at risk
        (INC, D(100000), D("89996"), True, D("0.9000"), D("0.9"), Status.AT_RISK, False),
        # decrease: target / actual
        (DEC, D(50), D(40), True, D("1.2500"), D(1), Status.ACHIEVED, True),
        (DEC, D(50), D(50), True, D("1.0000"), D(1), Status.ACHIEVED, False),
        (DEC, D(50), D(54), True, D("0.9259"), D("0.9259"), Status.AT_RISK, False),
        (DEC, D(50), D(100), True, D("0.5000"), D("0.5"), Status.NOT_ACHIEVED, False),
        # target 0 with increase: any non-negative actual meets it; degree undefined, counts 1
        (INC, D(0), D(5), True, None, D(1), Status.ACHIEVED, True),
        (INC, D(0), D(0), True, None, D(1), Status.ACHIEVED, False),
        # actual 0 with decrease: 0 ≤ target meets it
        (DEC, D(10), D(0), True, None, D(1), Status.ACHIEVED, True),
        (DEC, D(0), D(0), True, None, D(1), Status.ACHIEVED, False),
        # decrease with target 0 and a positive actual: degree 0
        (DEC, D(0), D(5), True, D(0), D(0), Status.NOT_ACHIEVED, False),
        # negative values: the ratios mean nothing → no degree, no status
        (INC, D(-10), D(-5), True, None, None, Status.NONE, False),
        (INC, D(10), D(-5), True, None, None, Status.NONE, False),
        (DEC, D(-10), D(5), True, None, None, Status.NONE, False),
        # no target → no status, whether or not the year has ended
        (INC, None, D(5), True, None, None, Status.NONE, False),
        (INC, None, None, True, None, None, Status.NONE, False),
        # no value: missing once the year has ended, no status while it runs
        (INC, D(100), None, True, None, None, Status.MISSING, False),
        (INC, D(100), None, False, None, None, Status.NONE, False),
        (DEC, D(100), None, True, None, None, Status.MISSING, False),
        # a running year with a value is assessed like any other
        (INC, D(100), D(50), False, D("0.5000"), D("0.5"), Status.NOT_ACHIEVED, False),
    ],
)
def test_assess(direction, target, actual, ended, degree, capped, status, exceeded):
    result = assess(target=target, actual=actual, direction=direction, period_ended=ended)
    assert result.degree == degree
    assert result.capped_degree == capped
    assert result.status == status
    assert result.exceeded is exceeded
    if degree is not None:
        assert result.degree.as_tuple().exponent == -4
