"""Generated data at scale, for benchmarks and load tests (``manage.py generate_data``).

Scale 1 is one large city's whole strategic plan: 40 sections with their goals, tasks, measures,
expected results and 2000 progress reports, 120 indicators with targets and quarterly values
over twelve years, 300 partner cities with their agreements, delegations, exchanges and events,
20 departments and 200 users. Scale N is N such plans, each with its own departments, users and
partners, so every count grows N-fold.

Each plan is generated from its own ``random.Random(f"{seed}:{index}")`` with fixed dates and
timestamps, so plan 3 of seed 1 is the same rows whether it was made by ``--scale 3`` or
``--scale 10``, on any machine. Every name carries the plan's prefix (``G1-003``), so plans
never collide with each other or with real data; a plan whose title exists already is skipped,
which makes the command idempotent and lets ``--scale 10`` extend an earlier ``--scale 1``.

Rows are written with ``bulk_create``: no ``save()``, no signals, no history records. Each
plan is one transaction, so an interrupted run leaves whole plans only.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.db.models.expressions import RawSQL

from accounts.models import Role, User
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    Section,
    StrategicPlan,
    Task,
)
from core.cache import bump_data_version
from core.workflow import WorkflowState
from indicators import computations
from indicators.models import Indicator, IndicatorValue, Target
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    Level,
    PartnerCity,
    PartnerOrganisation,
)

BATCH_SIZE = 2000
YEARS = range(2014, 2026)  # twelve plan years, all ended
BASELINE_YEAR = YEARS[0] - 1
# Every created/updated timestamp of generated rows, so reruns give identical rows.
STAMP = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
MICROSECOND_STEP = 7919  # a prime: the fractions spread over the second
# Django reads a password starting with "!" as unusable; a fixed one keeps rows identical.
UNUSABLE_PASSWORD = "!generated-data"
TITLE_PREFIX = "Сгенерированный стратегический план"


@dataclass(frozen=True)
class Size:
    """Per-plan counts; ``Size.scaled(fraction)`` makes the small variants the tests use."""

    sections: int = 40
    departments: int = 20
    users: int = 200
    indicators_per_result: int = 1
    partner_cities: int = 300
    organisations: int = 100
    agreements: int = 600
    delegations: int = 2500
    exchanges: int = 1000
    events: int = 1500
    progress_reports: int = 2000

    @classmethod
    def scaled(cls, fraction):
        if fraction == 1:
            return cls()
        base = cls()
        return cls(
            **{
                name: max(1, math.ceil(getattr(base, name) * fraction))
                for name in base.__dataclass_fields__
                if name != "indicators_per_result"
            }
        )


# Structure of every section: one goal, three tasks, measures in two groups, three results.
TASKS_PER_SECTION = 3
MEASURE_GROUPS = (6, 4)
RESULTS_PER_SECTION = 3

WORDS = [
    "развитие", "сотрудничество", "город", "партнёр", "регион", "программа", "инвестиции",
    "образование", "культура", "туризм", "молодёжь", "экономика", "транспорт", "экология",
    "здравоохранение", "спорт", "наука", "инновации", "связи", "обмен", "опыт", "делегация",
    "выставка", "форум", "проект", "соглашение", "предприятие", "услуги", "жители", "качество",
    "инфраструктура", "среда", "поддержка", "условия", "потенциал", "рынок", "экспорт",
    "технологии",
]  # fmt: skip
COUNTRIES = ["CN", "JP", "KR", "US", "CA", "DE", "FR", "MN", "VN", "IN", "KZ", "BY", "TH", "IT"]
UNITS = ["ед.", "чел.", "%", "млн руб.", "млн долл. США", "тыс. м²"]
STATES = [  # (state, weight) of hand-entered values and reports
    (WorkflowState.APPROVED, 85),
    (WorkflowState.SUBMITTED, 8),
    (WorkflowState.DRAFT, 5),
    (WorkflowState.RETURNED, 2),
]


def plan_prefix(seed, index):
    return f"G{seed}-{index:03d}"


def plan_title(seed, index):
    return f"{TITLE_PREFIX} {plan_prefix(seed, index)}"


def generate(*, scale, seed=1, fraction=1.0, log=print):
    """Create plans 1..scale of ``seed`` that do not exist yet; returns the indexes created."""
    size = Size.scaled(fraction)
    created = []
    for index in range(1, scale + 1):
        title = plan_title(seed, index)
        if StrategicPlan.objects.filter(title=title).exists():
            log(f"{title}: already there, skipped")
            continue
        with transaction.atomic():
            counts = PlanGenerator(seed=seed, index=index, size=size).run()
            # bulk_create sends no signals: make the dashboards' cache stale by hand.
            transaction.on_commit(bump_data_version)
        created.append(index)
        log(f"{title}: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    if created:
        analyze()
    return created


def analyze():
    """Planner statistics for the tables just filled, as after any bulk load: without them
    (autovacuum off, or not yet run) PostgreSQL plans joins over tens of thousands of rows as
    if the tables were empty, and a 50-row API page costs a sequential scan per row."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _stamp(model, objects, fields=("created_at", "updated_at")):
    """auto_now/auto_now_add fill in the clock on insert; pin them to STAMP afterwards, each
    row with microseconds of its own, as a clock's stamps have (the exports write them)."""
    ids = [obj.pk for obj in objects]
    stamp = RawSQL(
        "%s::timestamptz + (id * %s %% 1000000) * interval '1 microsecond'",
        (STAMP, MICROSECOND_STEP),
        output_field=DateTimeField(),
    )
    for start in range(0, len(ids), 10000):
        model.objects.filter(pk__in=ids[start : start + 10000]).update(
            **dict.fromkeys(fields, stamp)
        )


def _microseconds(*numbers):
    """A fraction of a second fixed by `numbers`, for a stamp that is not drawn at random (a
    draw would change every row generated after it)."""
    return datetime.timedelta(microseconds=sum(numbers) * MICROSECOND_STEP % 1_000_000)


def _link(through, rows):
    """rows: (left object, right object) pairs of a many-to-many relation."""
    left_name, right_name = (
        field.name for field in through._meta.get_fields() if field.many_to_one
    )
    _bulk(
        through,
        [through(**{f"{left_name}_id": a.pk, f"{right_name}_id": b.pk}) for a, b in rows],
    )
    return len(rows)


class PlanGenerator:
    def __init__(self, *, seed, index, size):
        self.seed, self.index, self.size = seed, index, size
        self.prefix = plan_prefix(seed, index)
        self.random = random.Random(f"{seed}:{index}")
        self.counts = {}

    # --- helpers ------------------------------------------------------------------------------
    def words(self, low, high):
        return " ".join(self.random.choice(WORDS) for _ in range(self.random.randint(low, high)))

    def sentence(self, low=6, high=14):
        return self.words(low, high).capitalize() + "."

    def state(self):
        return self.random.choices([s for s, _ in STATES], [w for _, w in STATES])[0]

    def date_in(self, year):
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.random.randrange(365))

    def workflow(self, department_id, year, quarter):
        """The workflow fields of a value or report of that department for that period."""
        state = self.state()
        head = self.heads[department_id]
        month = 12 if quarter is None else quarter * 3
        period_end = datetime.datetime(year, month, 28, 10, 0, tzinfo=datetime.UTC)
        period_end += _microseconds(year, month, department_id)
        fields = {
            "state": state,
            "author": self.random.choice(self.editors.get(department_id, [head])),
        }
        if state != WorkflowState.DRAFT:
            fields["submitted_at"] = period_end + datetime.timedelta(days=5)
        if state in {WorkflowState.APPROVED, WorkflowState.RETURNED}:
            fields["reviewer"] = head
            fields["reviewed_at"] = period_end + datetime.timedelta(days=12)
        if state == WorkflowState.RETURNED:
            fields["review_comment"] = "Уточните данные: " + self.words(4, 8) + "."
        return fields

    def measure_links(self, records, share=0.7):
        """(record, measure) pairs linking about `share` of the records to a measure each."""
        return [
            (record, self.random.choice(self.measures))
            for record in records
            if self.random.random() < share
        ]

    # --- the plan -----------------------------------------------------------------------------
    def run(self):
        self.departments()
        self.users()
        self.plan()
        self.partners()
        self.indicators()
        self.progress_reports()
        return self.counts

    def departments(self):
        self.department_list = _bulk(
            Department,
            [
                Department(
                    name=f"{self.prefix} Управление {n + 1}: {self.words(2, 4)}",
                    short_name=f"{self.prefix}-У{n + 1}",
                )
                for n in range(self.size.departments)
            ],
        )
        _stamp(Department, self.department_list, fields=("updated_at",))
        self.counts["departments"] = len(self.department_list)

    def users(self):
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role}
        users, memberships = [], []
        departments = self.department_list
        # One head per department, then 1 in 40 administrators, 55 in 200 viewers, editors.
        administrators = max(1, self.size.users // 40)
        viewers = self.size.users * 55 // 200
        for n in range(self.size.users):
            rest = n - len(departments)
            if rest < 0:
                role = Role.HEAD
            elif rest < administrators:
                role = Role.ADMINISTRATOR
            elif rest < administrators + viewers:
                role = Role.VIEWER
            else:
                role = Role.EDITOR
            department = None if role == Role.ADMINISTRATOR else departments[n % len(departments)]
            user = User(
                username=f"{self.prefix.lower()}-user{n + 1}",
                first_name=self.random.choice(["Иван", "Анна", "Пётр", "Ольга", "Сергей", "Мария"]),
                last_name=f"Сотрудник{n + 1}",
                email=f"{self.prefix.lower()}-user{n + 1}@example.org",
                password=UNUSABLE_PASSWORD,
                department=department,
                date_joined=STAMP,
            )
            users.append(user)
            memberships.append((user, groups[role]))
        _bulk(User, users)
        _link(User.groups.through, memberships)
        self.heads = {u.department_id: u for u, g in memberships if g.name == Role.HEAD}
        self.editors = {}
        for user, group in memberships:
            if group.name in {Role.EDITOR, Role.HEAD}:
                self.editors.setdefault(user.department_id, []).append(user)
        self.counts["users"] = len(users)

    def plan(self):
        size = self.size
        plan = StrategicPlan.objects.create(
            title=plan_title(self.seed, self.index),
            legal_act=f"Постановление администрации № {self.index}-{self.seed} (сгенерировано)",
            horizon_year=YEARS[-1],
            source_text="",
        )
        _stamp(StrategicPlan, [plan])
        sections = _bulk(
            Section,
            [
                Section(
                    plan=plan,
                    number=f"{1 + n // 10}.{1 + n % 10}",
                    kind="Концепция проекта",
                    title=f"Концепция проекта «{self.words(2, 5).capitalize()}»",
                    vision=" ".join(self.sentence() for _ in range(3)),
                    position=n,
                )
                for n in range(size.sections)
            ],
        )
        _stamp(Section, sections, fields=("updated_at",))
        goals = _bulk(Goal, [Goal(section=s, position=1, text=self.sentence()) for s in sections])
        _stamp(Goal, goals, fields=("updated_at",))
        tasks = _bulk(
            Task,
            [
                Task(section=s, number=t + 1, text=self.sentence())
                for s in sections
                for t in range(TASKS_PER_SECTION)
            ],
        )
        _stamp(Task, tasks, fields=("updated_at",))
        measures = []
        for section in sections:
            for group, count in enumerate(MEASURE_GROUPS, start=1):
                for number in range(1, count + 1):
                    measures.append(self.measure(section, group, number))
        _bulk(Measure, measures)
        _stamp(Measure, measures, fields=("updated_at",))
        tasks_by_section = {}
        for task in tasks:
            tasks_by_section.setdefault(task.section_id, []).append(task)
        links = []
        for measure in measures:
            options = tasks_by_section[measure.section_id]
            for task in self.random.sample(options, self.random.randint(1, 2)):
                links.append((measure, task))
        _link(Measure.tasks.through, links)
        self.results = _bulk(
            ExpectedResult,
            [
                ExpectedResult(section=s, position=r + 1, text=self.sentence(5, 10))
                for s in sections
                for r in range(RESULTS_PER_SECTION)
            ],
        )
        _stamp(ExpectedResult, self.results, fields=("updated_at",))
        self.measures = measures
        self.counts.update(
            sections=len(sections),
            tasks=len(tasks),
            measures=len(measures),
            expected_results=len(self.results),
        )

    def measure(self, section, group, number):
        start = self.random.choice(YEARS[:6])
        end = self.random.randint(start, YEARS[-1])
        status = self.random.choices(list(Measure.Status), [15, 45, 35, 5])[0]
        planned = Decimal(self.random.randint(100, 500000)) / 10
        actual = (planned * Decimal(self.random.randint(40, 110)) / 100).quantize(Decimal("0.01"))
        return Measure(
            section=section,
            group=group,
            number=number,
            text=self.sentence(8, 20),
            department=self.random.choice(self.department_list),
            period_start=start,
            period_end=end,
            status=status,
            deadline=datetime.date(end, 12, 31),
            planned_funding=planned,
            actual_funding=actual if status != Measure.Status.PLANNED else None,
        )

    # --- partners -----------------------------------------------------------------------------
    def owned(self):
        return {"department": self.random.choice(self.department_list), "notes": ""}

    def partners(self):
        size, rnd = self.size, self.random
        cities = []
        for n in range(size.partner_cities):
            sister = n % 10 == 0
            cities.append(
                PartnerCity(
                    name_ru=f"Город {self.prefix}-{n + 1}",
                    name_en=f"City {self.prefix}-{n + 1}",
                    country=rnd.choice(COUNTRIES),
                    region=f"Провинция {rnd.randint(1, 40)}",
                    sister_city_since=self.date_in(rnd.randint(1965, 2020)) if sister else None,
                    status=PartnerCity.Status.SISTER
                    if sister
                    else rnd.choice(
                        [PartnerCity.Status.PARTNER] * 9 + [PartnerCity.Status.SUSPENDED]
                    ),
                    **self.owned(),
                )
            )
        _bulk(PartnerCity, cities)
        _stamp(PartnerCity, cities)
        organisations = _bulk(
            PartnerOrganisation,
            [
                PartnerOrganisation(
                    name=f"Организация {self.prefix}-{n + 1}: {self.words(1, 3)}",
                    kind=rnd.choice(list(PartnerOrganisation.Kind)),
                    country=(city := rnd.choice(cities)).country,
                    city=city,
                    **self.owned(),
                )
                for n in range(size.organisations)
            ],
        )
        _stamp(PartnerOrganisation, organisations)
        links = {"city_measures": [], "agreement_cities": [], "agreement_orgs": []}
        links["agreement_measures"], links["event_cities"] = [], []
        for city in cities:
            if rnd.random() < 0.3:
                links["city_measures"].append((city, rnd.choice(self.measures)))

        agreements = []
        for n in range(size.agreements):
            signed = self.date_in(rnd.choice(YEARS))
            valid_until = (
                None
                if rnd.random() < 0.2
                else signed + datetime.timedelta(days=365 * rnd.randint(1, 15))
            )
            agreements.append(
                Agreement(
                    title=f"Соглашение {self.prefix}-{n + 1} о сотрудничестве: {self.words(2, 5)}",
                    kind=rnd.choice(list(Agreement.Kind)),
                    level=rnd.choice(list(Level)),
                    parties="Администрация города Хабаровска; " + self.words(2, 4),
                    signed_on=signed,
                    valid_until=valid_until,
                    status=rnd.choices(list(Agreement.Status), [80, 15, 5])[0],
                    **self.owned(),
                )
            )
        _bulk(Agreement, agreements)
        _stamp(Agreement, agreements)
        for agreement in agreements:
            for city in rnd.sample(cities, rnd.randint(1, 2)):
                links["agreement_cities"].append((agreement, city))
            if rnd.random() < 0.3:
                links["agreement_orgs"].append((agreement, rnd.choice(organisations)))
            links["agreement_measures"].append((agreement, rnd.choice(self.measures)))

        delegations = []
        for _ in range(size.delegations):
            start = self.date_in(rnd.choice(YEARS))
            incoming = rnd.random() < 0.6
            city = rnd.choice(cities) if rnd.random() < 0.85 else None
            delegations.append(
                Delegation(
                    direction=Delegation.Direction.INCOMING
                    if incoming
                    else Delegation.Direction.OUTGOING,
                    partner_city=city,
                    origin="" if city else f"Регион {rnd.randint(1, 80)}",
                    country=city.country if city else "RU",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rnd.randint(0, 6)),
                    headcount=rnd.randint(2, 30),
                    purpose=self.sentence(4, 10),
                    **self.owned(),
                )
            )
        _bulk(Delegation, delegations)
        _stamp(Delegation, delegations)
        links["delegation_measures"] = self.measure_links(delegations)

        exchanges = []
        for _ in range(size.exchanges):
            city = rnd.choice(cities)
            exchanges.append(
                Exchange(
                    category=rnd.choice(list(Exchange.Category)),
                    headcount=rnd.randint(1, 25),
                    host_city=city,
                    host_organisation=rnd.choice(organisations) if rnd.random() < 0.3 else None,
                    host=f"Принимающая сторона в г. {city.name_ru}",
                    country=city.country,
                    year=rnd.choice(YEARS),
                    description=self.sentence(4, 10),
                    **self.owned(),
                )
            )
        _bulk(Exchange, exchanges)
        _stamp(Exchange, exchanges)
        links["exchange_measures"] = self.measure_links(exchanges)

        events = []
        for n in range(size.events):
            start = self.date_in(rnd.choice(YEARS))
            events.append(
                Event(
                    title=f"{self.words(1, 3).capitalize()} — мероприятие {self.prefix}-{n + 1}",
                    kind=rnd.choice(list(Event.Kind)),
                    level=rnd.choice(list(Level)),
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rnd.randint(0, 4)),
                    place=rnd.choice(["Хабаровск", "Харбин", "Ниигата", "Пусан", "Владивосток"]),
                    country=rnd.choice(COUNTRIES),
                    participants=rnd.randint(1, 200) if rnd.random() < 0.8 else None,
                    social_sphere=rnd.random() < 0.3,
                    **self.owned(),
                )
            )
        _bulk(Event, events)
        _stamp(Event, events)
        for event in events:
            for city in rnd.sample(cities, rnd.randint(0, 2)):
                links["event_cities"].append((event, city))
        links["event_measures"] = self.measure_links(events)

        _link(PartnerCity.measures.through, links["city_measures"])
        _link(Agreement.partner_cities.through, links["agreement_cities"])
        _link(Agreement.partner_organisations.through, links["agreement_orgs"])
        _link(Agreement.measures.through, links["agreement_measures"])
        _link(Delegation.measures.through, links["delegation_measures"])
        _link(Exchange.measures.through, links["exchange_measures"])
        _link(Event.partner_cities.through, links["event_cities"])
        _link(Event.measures.through, links["event_measures"])
        self.counts.update(
            partner_cities=len(cities),
            organisations=len(organisations),
            agreements=len(agreements),
            delegations=len(delegations),
            exchanges=len(exchanges),
            events=len(events),
        )

    # --- indicators ---------------------------------------------------------------------------
    def indicators(self):
        rnd = self.random
        keys = list(computations.REGISTRY)
        indicators = []
        for n, result in enumerate(self.results):
            # Two in five are computed from partner records, cycling through the registry.
            computation = keys[(n // 5) % len(keys)] if n % 5 < 2 else ""
            indicators.append(
                Indicator(
                    code=f"{self.prefix}-{n + 1:04d}",
                    name=f"Показатель: {self.words(3, 7)}",
                    description="Сгенерированные данные.",
                    unit="ед." if computation else rnd.choice(UNITS),
                    direction=Indicator.Direction.DECREASE
                    if not computation and rnd.random() < 0.15
                    else Indicator.Direction.INCREASE,
                    baseline_value=Decimal(rnd.randint(10, 1000)),
                    baseline_year=BASELINE_YEAR,
                    expected_result=result,
                    department=rnd.choice(self.department_list),
                    source=Indicator.Source.COMPUTED if computation else Indicator.Source.MANUAL,
                    computation=computation,
                    accumulation=Indicator.Accumulation.CUMULATIVE
                    if rnd.random() < 0.1
                    else Indicator.Accumulation.PER_YEAR,
                )
            )
        _bulk(Indicator, indicators)
        _stamp(Indicator, indicators, fields=("updated_at",))
        targets, values = [], []
        for indicator in indicators:
            step = indicator.baseline_value * Decimal(rnd.randint(1, 8)) / 100
            if indicator.direction == Indicator.Direction.DECREASE:
                step = -step / 2
            for year in YEARS:
                target = (indicator.baseline_value + step * (year - BASELINE_YEAR)).quantize(
                    Decimal("0.01")
                )
                targets.append(Target(indicator=indicator, year=year, value=target))
                if indicator.source == Indicator.Source.COMPUTED:
                    continue
                department = indicator.department_id
                for quarter in (1, 2, 3, 4):
                    share = target / 4 * Decimal(rnd.randint(80, 115)) / 100
                    values.append(
                        IndicatorValue(
                            indicator=indicator,
                            year=year,
                            quarter=quarter,
                            value=share.quantize(Decimal("0.0001")),
                            comment="",
                            **self.workflow(department, year, quarter),
                        )
                    )
        _bulk(Target, targets)
        _stamp(Target, targets, fields=("updated_at",))
        _bulk(IndicatorValue, values)
        _stamp(IndicatorValue, values)
        self.counts.update(indicators=len(indicators), targets=len(targets), values=len(values))

    # --- progress reports ---------------------------------------------------------------------
    def progress_reports(self):
        rnd = self.random
        periods = [(year, quarter) for year in YEARS for quarter in (None, 1, 2, 3, 4)]
        per_measure = max(1, math.ceil(self.size.progress_reports / len(self.measures)))
        reports = []
        for measure in self.measures:
            for year, quarter in rnd.sample(periods, per_measure):
                if len(reports) == self.size.progress_reports:
                    break
                reports.append(
                    ProgressReport(
                        measure=measure,
                        year=year,
                        quarter=quarter,
                        text=self.sentence(10, 30),
                        percent_done=rnd.randint(0, 100),
                        **self.workflow(measure.department_id, year, quarter),
                    )
                )
        _bulk(ProgressReport, reports)
        _stamp(ProgressReport, reports)
        self.counts["progress_reports"] = len(reports)
