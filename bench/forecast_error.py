"""How far the early warning's year-end forecast (indicators.forecast) lands from the real total,
on the generated data (demo.datagen: quarterly values of the manual per-year indicators).

Generates a plan inside a transaction rolled back at the end (nothing stays), then for every
indicator and year with four quarters, forecasts the year from its first 1, 2 and 3 quarters
(seasonal where the year before is complete, linear otherwise; and linear everywhere, to
compare) and prints the mean absolute percentage error against the year's total, and how
often the "at risk" flag after the given quarter agrees with the year's final outcome.
Run: DATABASE_URL=... .venv/bin/python bench/forecast_error.py [--scale 1]
"""

import os
import statistics
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from indicators.forecast import falls_short, forecast_year_end  # noqa: E402
from indicators.models import Indicator, IndicatorValue, Target  # noqa: E402


class Rollback(Exception):
    pass


def measure():
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(
            source=Indicator.Source.MANUAL, accumulation=Indicator.Accumulation.PER_YEAR
        )
    }
    quarters = defaultdict(dict)
    rows = IndicatorValue.objects.filter(indicator_id__in=indicators, quarter__isnull=False)
    for indicator_id, year, quarter, value in rows.values_list(
        "indicator_id", "year", "quarter", "value"
    ):
        quarters[(indicator_id, year)][quarter] = value
    targets = {
        (i, y): v
        for i, y, v in Target.objects.filter(indicator_id__in=indicators).values_list(
            "indicator_id", "year", "value"
        )
    }
    errors = {"used": defaultdict(list), "linear": defaultdict(list)}
    flags = defaultdict(lambda: [0, 0])  # after quarter q: [agreeing, all]
    for (indicator_id, year), these in quarters.items():
        if len(these) < 4:
            continue
        total = sum(these.values(), Decimal(0))
        if total == 0:
            continue
        last = quarters.get((indicator_id, year - 1))
        indicator = indicators[indicator_id]
        decrease = indicator.direction == Indicator.Direction.DECREASE
        target = targets.get((indicator_id, year))
        for reached in (1, 2, 3):
            so_far = {q: v for q, v in these.items() if q <= reached}
            value, _method = forecast_year_end(so_far, last)
            linear, _ = forecast_year_end(so_far)
            errors["used"][reached].append(abs(value - total) / abs(total))
            errors["linear"][reached].append(abs(linear - total) / abs(total))
            if target is not None:
                predicted = falls_short(value, target, decrease_is_better=decrease)
                actual = falls_short(total, target, decrease_is_better=decrease)
                flags[reached][0] += predicted == actual
                flags[reached][1] += 1
    for reached in (1, 2, 3):
        used = float(statistics.mean(errors["used"][reached])) * 100
        linear = float(statistics.mean(errors["linear"][reached])) * 100
        agree, count = flags[reached]
        print(
            f"after Q{reached}: MAPE {used:.1f} % (linear only {linear:.1f} %) over "
            f"{len(errors['used'][reached])} indicator-years; 'at risk' agrees with the year's "
            f"outcome in {agree / count * 100:.1f} % of {count}"
        )


def main():
    scale = int(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1
    try:
        with transaction.atomic():
            call_command("generate_data", scale=scale, verbosity=0)
            measure()
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
