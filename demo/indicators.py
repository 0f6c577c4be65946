"""Demo indicators of section 6.4.2: its five expected results as indicators, one more kept
by hand for the international department, and a milestone (a status a year, not a number).

The baselines, targets and foreign-investment values are ILLUSTRATIVE, not official figures;
each indicator says so in its description. Computed values come from whatever partner records
exist. Rows are created with get_or_create on their natural keys, so a rerun changes nothing
and never overwrites what an official has edited.
"""

from decimal import Decimal

from activities.models import Department, ExpectedResult
from core.workflow import WorkflowState
from indicators.models import Indicator, IndicatorValue, MilestoneStatus, Target

NOTE = "Базовые и плановые значения — демонстрационные (иллюстративные)."
BASELINE_YEAR = 2007
YEARS = range(2008, 2021)

# position of the expected result → code, name, unit, computation ("" = manual),
# department short name, baseline, yearly increase of the target
INDICATORS = {
    1: (
        "6.4.2-1",
        "Количество заключённых соглашений о межрегиональном и международном сотрудничестве",
        "ед.",
        "agreements_concluded",
        "УМиМС",
        Decimal(2),
        Decimal("0.25"),
    ),
    2: (
        "6.4.2-2",
        "Число хабаровчан, прошедших обучение или стажировку за рубежом",
        "чел.",
        "residents_trained_abroad",
        "УМиМС",
        Decimal(40),
        Decimal(5),
    ),
    3: (
        "6.4.2-3",
        "Количество совместных мероприятий по обмену опытом в решении социальных задач",
        "ед.",
        "social_events",
        "УМиМС",
        Decimal(1),
        Decimal("0.25"),
    ),
    4: (
        "6.4.2-4",
        "Объём поступающих иностранных инвестиций",
        "млн долл. США",
        "",
        "УЭРИ",
        Decimal(150),
        Decimal(10),
    ),
    5: (
        "6.4.2-5",
        "Количество принятых делегаций из других регионов и стран",
        "ед.",
        "delegations_received",
        "УМиМС",
        Decimal(12),
        Decimal(1),
    ),
}

# Kept by hand, so that the international department's editor has values to enter (its other
# indicators are computed from the partner records). Position 3: joint events on social tasks.
MANUAL_INDICATORS = [
    (
        3,
        "6.4.2-6",
        "Число участников международных и межрегиональных мероприятий, проведённых в городе",
        "чел.",
        "УМиМС",
        Decimal(300),
        Decimal(20),
    ),
]

# Foreign investment, millions of US dollars, approved (illustrative).
INVESTMENT = {
    2008: "162.4",
    2009: "118.0",
    2010: "151.3",
    2011: "187.9",
    2012: "204.6",
    2013: "221.0",
    2014: "176.2",
    2015: "109.5",
    2016: "128.7",
}


# A milestone (qualitative indicator) of expected result 1, due by the end of MILESTONE_DUE;
# its yearly statuses, approved, with the evidence in words. ILLUSTRATIVE, like the figures.
MILESTONE = (
    1,
    "6.4.2-7",
    "Подписано соглашение о побратимских связях с городом-партнёром",
    "УМиМС",
)
MILESTONE_DUE = 2012
MILESTONE_STATUSES = {
    2010: (MilestoneStatus.NOT_DONE, "Переговоры с городом-партнёром не начаты."),
    2011: (MilestoneStatus.PARTLY_DONE, "Согласован проект соглашения, подписание не состоялось."),
    2012: (MilestoneStatus.DONE, "Соглашение подписано главами городов."),
}
ILLUSTRATIVE = "Демонстрационное значение (иллюстративное)."


def _load_milestone(results, departments):
    position, code, name, owner = MILESTONE
    result, department = results.get(position), departments.get(owner)
    if result is None or department is None:
        return 0
    indicator, was_created = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": Indicator.Kind.MILESTONE,
            "description": "Веха: статус выполнения за год вместо числа. "
            "Сроки и статусы — демонстрационные (иллюстративные).",
            "unit": "—",
            "baseline_year": BASELINE_YEAR,
            "expected_result": result,
            "department": department,
        },
    )
    # A milestone's target has no value: the row says it is due by the end of the year.
    Target.objects.get_or_create(
        indicator=indicator, year=MILESTONE_DUE, act=None, defaults={"value": None}
    )
    for year, (status, evidence) in MILESTONE_STATUSES.items():
        IndicatorValue.objects.get_or_create(
            indicator=indicator,
            year=year,
            quarter=None,
            defaults={
                "milestone_status": status,
                "state": WorkflowState.APPROVED,
                "comment": f"{evidence} {ILLUSTRATIVE}",
            },
        )
    return was_created


def load(stdout):
    results = {
        result.position: result
        for result in ExpectedResult.objects.filter(
            section__number="6.4.2", position__in=INDICATORS
        )
    }
    departments = {
        d.short_name: d for d in Department.objects.filter(short_name__in=["УМиМС", "УЭРИ"])
    }
    created = 0
    rows = [(position, *row) for position, row in INDICATORS.items()]
    rows += [
        (position, code, name, unit, "", *rest)
        for position, code, name, unit, *rest in MANUAL_INDICATORS
    ]
    for position, code, name, unit, computation, owner, baseline, step in rows:
        result, department = results.get(position), departments.get(owner)
        if result is None or department is None:
            stdout.write(f"Indicator {code} skipped: section 6.4.2 or department {owner} is absent")
            continue
        indicator, was_created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": NOTE,
                "unit": unit,
                "direction": Indicator.Direction.INCREASE,
                "baseline_value": baseline,
                "baseline_year": BASELINE_YEAR,
                "expected_result": result,
                "department": department,
                "source": Indicator.Source.COMPUTED if computation else Indicator.Source.MANUAL,
                "computation": computation,
                "accumulation": Indicator.Accumulation.PER_YEAR,
            },
        )
        created += was_created
        for year in YEARS:
            target = (baseline + step * (year - BASELINE_YEAR)).quantize(Decimal(1))
            Target.objects.get_or_create(
                indicator=indicator, year=year, act=None, defaults={"value": target}
            )
        if code == "6.4.2-4":
            for year, value in INVESTMENT.items():
                IndicatorValue.objects.get_or_create(
                    indicator=indicator,
                    year=year,
                    quarter=None,
                    defaults={
                        "value": Decimal(value),
                        "state": WorkflowState.APPROVED,
                        "comment": ILLUSTRATIVE,
                    },
                )
    created += _load_milestone(results, departments)
    stdout.write(f"Indicators: {len(results)} of 6.4.2 in place, {created} new")
