"""How the progress selector scales: 500 indicators × 13 years.

Builds the data inside a transaction that is rolled back at the end (nothing stays in the
database), then runs ``indicator_progress`` several times and prints its query count and the
median wall time. Run: DATABASE_URL=... .venv/bin/python bench/indicators_selector.py
"""

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from activities.models import Department, ExpectedResult, Section, StrategicPlan  # noqa: E402
from indicators.models import Indicator, IndicatorValue, Target  # noqa: E402
from indicators.selectors import indicator_progress  # noqa: E402
from partners.models import Agreement, Delegation, Event, Exchange  # noqa: E402

INDICATORS = 500
YEARS = range(2008, 2021)
RUNS = 7
KINDS = [
    "",
    "agreements_concluded",
    "residents_trained_abroad",
    "delegations_received",
    "events_attended",
    "social_events",
]


class Rollback(Exception):
    pass


def build():
    department = Department.objects.create(name="Бенчмарк: управление", short_name="BENCH")
    plan = StrategicPlan.objects.create(title="Бенчмарк: стратегический план", horizon_year=2020)
    results = []
    for number in range(10):
        section = Section.objects.create(plan=plan, number=f"9.{number}", title=f"Раздел {number}")
        results += ExpectedResult.objects.bulk_create(
            ExpectedResult(section=section, position=p, text=f"Результат {p}") for p in range(5)
        )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH-{n}",
            name=f"Показатель {n}",
            unit="ед.",
            baseline_year=2007,
            expected_result=results[n % len(results)],
            department=department,
            source="computed" if KINDS[n % len(KINDS)] else "manual",
            computation=KINDS[n % len(KINDS)],
            accumulation="cumulative" if n % 5 == 0 else "per_year",
        )
        for n in range(INDICATORS)
    )
    Target.objects.bulk_create(
        Target(indicator=i, year=year, value=Decimal(20 + n % 7))
        for n, i in enumerate(indicators)
        for year in YEARS
    )
    states = ["approved", "approved", "approved", "submitted", "draft"]
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=i,
            year=year,
            quarter=quarter,
            value=Decimal(5 + (n + year) % 4),
            state=states[(n + year) % len(states)],
        )
        for n, i in enumerate(indicators)
        if i.source == "manual"
        for year in YEARS
        for quarter in ([1, 2, 3, 4] if n % 3 == 0 else [None])
    )
    day = datetime.date
    Agreement.objects.bulk_create(
        Agreement(
            department=department,
            title=f"Соглашение {n}",
            kind="cooperation",
            level="international",
            signed_on=day(2008 + n % 13, 1 + n % 12, 1),
        )
        for n in range(300)
    )
    Exchange.objects.bulk_create(
        Exchange(
            department=department,
            category="students",
            headcount=1 + n % 9,
            host="Университет",
            country="JP",
            year=2008 + n % 13,
        )
        for n in range(300)
    )
    Delegation.objects.bulk_create(
        Delegation(
            department=department,
            direction="incoming" if n % 3 else "outgoing",
            origin="Харбин",
            country="CN",
            start_date=day(2008 + n % 13, 5, 1),
            end_date=day(2008 + n % 13, 5, 3),
            headcount=5,
            purpose="Визит",
        )
        for n in range(300)
    )
    Event.objects.bulk_create(
        Event(
            department=department,
            title=f"Форум {n}",
            kind="forum",
            level="international",
            start_date=day(2008 + n % 13, 9, 1),
            end_date=day(2008 + n % 13, 9, 2),
            place="Хабаровск",
            country="RU",
            social_sphere=n % 2 == 0,
        )
        for n in range(300)
    )


def measure():
    queryset = Indicator.objects.filter(code__startswith="BENCH-")
    today = datetime.date(2026, 1, 15)
    timings, counts = [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            progress = indicator_progress(queryset, YEARS, today=today)
            timings.append(time.perf_counter() - started)
        counts.add(len(queries))
    assert len(progress.indicators) == INDICATORS
    cells = INDICATORS * len(YEARS)
    print(f"indicator_progress: {INDICATORS} indicators × {len(YEARS)} years = {cells} cells")
    print(f"  queries per call: {sorted(counts)}")
    print(
        f"  wall time: median {statistics.median(timings) * 1000:.1f} ms over {RUNS} runs "
        f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f})"
    )
    print(
        f"  roll-ups: {len(progress.expected_results)} expected results, "
        f"{len(progress.sections)} sections, {len(progress.plans)} plan(s)"
    )


def main():
    try:
        with transaction.atomic():
            started = time.perf_counter()
            build()
            print(f"data built in {time.perf_counter() - started:.1f} s (rolled back afterwards)")
            measure()
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
