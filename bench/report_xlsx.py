"""How the dashboards and the annual report scale: the demo data's shape, then 100× of it.

The demo plan has one section with 5 indicators (targets 2008–2020, a value a year), 7 measures
and about a dozen agreements. This builds that shape once, measures the home dashboard's query
count, builds 99 more copies (100×: 100 sections, 500 indicators, 700 measures, 1,300
agreements, …), and measures again: the query count must not change. Then it times building the
annual report's XLSX (selector + workbook) at 100×. Everything happens inside a transaction
that is rolled back at the end, so nothing stays in the database.

Run: DATABASE_URL=... .venv/bin/python bench/report_xlsx.py
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from activities.models import Department, ExpectedResult, Measure, Section, StrategicPlan  # noqa: E402
from core.workflow import WorkflowState  # noqa: E402
from dashboards import reports, selectors  # noqa: E402
from indicators.models import Indicator, IndicatorValue, Target  # noqa: E402
from partners.models import Agreement  # noqa: E402

SCALE = 100
YEARS = range(2008, 2021)
REPORT_YEAR = 2015
RUNS = 5
# The demo's five indicators: four computed from partner records, one entered by hand.
COMPUTATIONS = [
    "agreements_concluded",
    "residents_trained_abroad",
    "social_events",
    "",
    "delegations_received",
]
MEASURES_PER_SECTION = 7
AGREEMENTS_PER_SECTION = 13


class Rollback(Exception):
    pass


def build(first, count, department, plan, reviewer):
    """`count` copies of the demo section, numbered from `first`."""
    today = timezone.localdate()
    sections = Section.objects.bulk_create(
        Section(plan=plan, number=f"9.{n}", title=f"Раздел {n}", position=n)
        for n in range(first, first + count)
    )
    results = ExpectedResult.objects.bulk_create(
        ExpectedResult(section=section, position=p, text=f"Результат {p}")
        for section in sections
        for p in range(len(COMPUTATIONS))
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH-{result.section.number}-{result.position}",
            name=f"Показатель {result.position}",
            unit="ед.",
            baseline_value=Decimal(10),
            baseline_year=2007,
            expected_result=result,
            department=department,
            source="computed" if COMPUTATIONS[result.position] else "manual",
            computation=COMPUTATIONS[result.position],
        )
        for result in results
    )
    Target.objects.bulk_create(
        Target(indicator=indicator, year=year, value=Decimal(10 + year % 7))
        for indicator in indicators
        for year in YEARS
    )
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            year=year,
            value=Decimal(8 + year % 5),
            state=WorkflowState.APPROVED,
            reviewer=reviewer,
            reviewed_at=now,
        )
        for indicator in indicators
        if not indicator.computation
        for year in YEARS
    )
    Measure.objects.bulk_create(
        Measure(
            section=section,
            number=n + 1,
            text=f"Мероприятие {n + 1}",
            department=department,
            status=["planned", "in_progress", "done"][n % 3],
            period_start=2008,
            period_end=2020,
            deadline=datetime.date(2020, 12, 31),
        )
        for section in sections
        for n in range(MEASURES_PER_SECTION)
    )
    Agreement.objects.bulk_create(
        Agreement(
            department=department,
            title=f"Соглашение {section.number}-{n}",
            kind="cooperation",
            level="international",
            signed_on=datetime.date(2008 + n % 13, 3, 1),
            valid_until=today + datetime.timedelta(days=30 * (n - 6)),
        )
        for section in sections
        for n in range(AGREEMENTS_PER_SECTION)
    )


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def counts(client, section_id):
    return {
        "home": page_queries(client, f"/?year={REPORT_YEAR}"),
        "section": page_queries(client, f"/dashboards/sections/{section_id}/?year={REPORT_YEAR}"),
        "report": page_queries(client, f"/dashboards/report/{REPORT_YEAR}/"),
        "xlsx": page_queries(client, f"/dashboards/report/{REPORT_YEAR}.xlsx"),
    }


def main():
    try:
        with transaction.atomic():
            department = Department.objects.create(name="Бенчмарк: управление", short_name="BEN")
            plan = StrategicPlan.objects.create(title="Бенчмарк: план", horizon_year=2020)
            user = User.objects.create_superuser("bench-dashboards", "bench@example.com", "x")
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)

            build(0, 1, department, plan, user)
            first_section = Section.objects.get(plan=plan, number="9.0").pk
            at_1 = counts(client, first_section)

            started = time.perf_counter()
            build(1, SCALE - 1, department, plan, user)
            built_in = time.perf_counter() - started
            at_100 = counts(client, first_section)

            timings, selector_timings, home_timings = [], [], []
            for _ in range(RUNS):
                started = time.perf_counter()
                report = selectors.annual_report(year=REPORT_YEAR)
                selected = time.perf_counter()
                data = reports.annual_report_xlsx(report)
                timings.append(time.perf_counter() - started)
                selector_timings.append(selected - started)
                started = time.perf_counter()
                page_queries(client, f"/?year={REPORT_YEAR}")
                home_timings.append(time.perf_counter() - started)
            rows = sum(len(section.rows) for section in report.sections)

            print(f"data: {SCALE}× the demo section built in {built_in:.1f} s (rolled back)")
            print(f"  {Section.objects.filter(plan=plan).count()} sections, {rows} indicators,")
            print(
                f"  {len(report.measures)} measures in the report, {len(data) / 1024:.0f} KiB XLSX"
            )
            print(f"queries at 1×:   {at_1}")
            print(f"queries at 100×: {at_100}")
            print("  same at both sizes: " + ("yes" if at_1 == at_100 else "NO"))
            print(
                f"XLSX report for {REPORT_YEAR} (selector + workbook): median "
                f"{statistics.median(timings) * 1000:.0f} ms over {RUNS} runs "
                f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})"
            )
            print(
                "  of which the selector: median "
                f"{statistics.median(selector_timings) * 1000:.0f} ms"
            )
            print(
                "home dashboard page at 100×: median "
                f"{statistics.median(home_timings) * 1000:.0f} ms"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
