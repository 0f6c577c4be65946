"""Demo partner data: Khabarovsk's real sister cities, and an illustrative set of ties.

The sister cities and their agreement dates come from ../shared/reference/sister-cities.md
(the city administration's international pages and regional press). Everything else —
delegations, exchanges, events, cooperation agreements, organisations — is illustrative and
says so in its notes. Rows are found by natural keys, so a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from activities.models import Department, Measure
from partners.models import (
    Agreement,
    Delegation,
    Event,
    Exchange,
    Level,
    PartnerCity,
    PartnerOrganisation,
)

ILLUSTRATIVE = "Демонстрационные данные (иллюстративные)."
SOURCE = (
    "Источник: международный раздел сайта администрации г. Хабаровска "
    "(«Города-побратимы»), региональная пресса."
)

# name_ru, name_en, country, region, agreement date, only the year known, note
SISTER_CITIES = [
    ("Ниигата", "Niigata", "JP", "префектура Ниигата", datetime.date(1965, 4, 23), False, ""),
    ("Портленд", "Portland", "US", "штат Орегон", datetime.date(1988, 6, 10), False, ""),
    (
        "Виктория",
        "Victoria",
        "CA",
        "провинция Британская Колумбия",
        datetime.date(1990, 5, 25),
        False,
        "",
    ),
    ("Харбин", "Harbin", "CN", "провинция Хэйлунцзян", datetime.date(1993, 6, 15), False, ""),
    (
        "Пучхон",
        "Bucheon",
        "KR",
        "провинция Кёнгидо",
        datetime.date(2002, 1, 1),
        True,
        "Известен только год подписания соглашения (2002); дата записана как 1 января.",
    ),
    (
        "Санья",
        "Sanya",
        "CN",
        "провинция Хайнань",
        None,
        False,
        "Дата установления побратимских связей не найдена в источниках.",
    ),
    (
        "Вэйхай",
        "Weihai",
        "CN",
        "провинция Шаньдун",
        datetime.date(2025, 11, 1),
        False,
        "Соглашение об установлении побратимских связей подписано в ноябре 2025 года; "
        "точный день не указан в источниках, записано 1 ноября.",
    ),
]

# Long-standing ties without a sister-city agreement.
PARTNER_CITIES = [("Мусасино", "Musashino", "JP", "префектура Токио")]

# The cities' real coordinates (city centres, WGS 84): the partner map. The same table is in
# partners/migrations/0004_sister_city_coordinates.py for databases made before the map.
COORDINATES = {
    "Ниигата": (Decimal("37.9161"), Decimal("139.0364")),
    "Портленд": (Decimal("45.5152"), Decimal("-122.6784")),
    "Виктория": (Decimal("48.4284"), Decimal("-123.3656")),
    "Харбин": (Decimal("45.8038"), Decimal("126.5350")),
    "Пучхон": (Decimal("37.5034"), Decimal("126.7660")),
    "Санья": (Decimal("18.2528"), Decimal("109.5119")),
    "Вэйхай": (Decimal("37.5131"), Decimal("122.1204")),
    "Мусасино": (Decimal("35.7178"), Decimal("139.5661")),
}

# name, kind, country, city (name_ru)
ORGANISATIONS = [
    ("Харбинский политехнический университет", PartnerOrganisation.Kind.UNIVERSITY, "CN", "Харбин"),
    ("Торгово-промышленная палата Ниигаты", PartnerOrganisation.Kind.BUSINESS, "JP", "Ниигата"),
    (
        "Ассоциация городов-побратимов Портленд — Хабаровск",
        PartnerOrganisation.Kind.NGO,
        "US",
        "Портленд",
    ),
    ("Университет Виктории", PartnerOrganisation.Kind.UNIVERSITY, "CA", "Виктория"),
]

# (group, number) of the 6.4.2 measures each kind of record serves.
MEASURES = {
    "intermunicipal": [(1, 1)],
    "education": [(1, 3), (2, 1)],
    "china_programme": [(1, 4)],
    "events": [(2, 1)],
    "social": [(2, 2)],
    "investment": [(2, 3)],
}

PURPOSES = {
    Delegation.Direction.INCOMING: [
        (
            "Переговоры о межмуниципальном сотрудничестве и плане совместных мероприятий",
            "intermunicipal",
        ),
        ("Участие в праздновании Дня города Хабаровска", "intermunicipal"),
        ("Презентация инвестиционных проектов и встречи с предпринимателями", "investment"),
        ("Обмен опытом в сфере социальной защиты и здравоохранения", "social"),
    ],
    Delegation.Direction.OUTGOING: [
        (
            "Рабочий визит по программе сотрудничества регионов Дальнего Востока России "
            "и Северо-Востока КНР",
            "china_programme",
        ),
        ("Участие в торгово-экономической выставке", "investment"),
        ("Визит делегации мэрии по приглашению города-побратима", "intermunicipal"),
    ],
}


def _department():
    return Department.objects.filter(short_name="УМиМС").order_by("pk").first()


def _measures(key):
    wanted = MEASURES[key]
    return [
        measure
        for measure in Measure.objects.filter(section__number="6.4.2")
        if (measure.group, measure.number) in wanted
    ]


def _link(record, key):
    measures = _measures(key)
    if measures:
        record.measures.add(*measures)


def _cities(department):
    rows = [
        (name_ru, name_en, country, region, PartnerCity.Status.SISTER, since, year_only, note)
        for name_ru, name_en, country, region, since, year_only, note in SISTER_CITIES
    ] + [
        (
            name_ru,
            name_en,
            country,
            region,
            PartnerCity.Status.PARTNER,
            None,
            False,
            "Давние партнёрские связи; дата соглашения не указана.",
        )
        for name_ru, name_en, country, region in PARTNER_CITIES
    ]
    cities = {}
    for name_ru, name_en, country, region, status, since, year_only, note in rows:
        city, created = PartnerCity.objects.get_or_create(
            name_ru=name_ru,
            country=country,
            defaults={
                "name_en": name_en,
                "region": region,
                "status": status,
                "sister_city_since": since,
                "since_year_only": year_only,
                "latitude": COORDINATES[name_ru][0],
                "longitude": COORDINATES[name_ru][1],
                "department": department,
                "notes": " ".join(part for part in (note, SOURCE) if part),
            },
        )
        if created:
            _link(city, "intermunicipal")
        cities[name_ru] = city
    return cities


def _sister_city_agreements(cities, department):
    for name_ru, _name_en, _country, _region, since, _year_only, note in SISTER_CITIES:
        if since is None:
            continue
        agreement, created = Agreement.objects.get_or_create(
            title=f"Соглашение об установлении побратимских связей между городами "
            f"Хабаровск и {name_ru}",
            signed_on=since,
            defaults={
                "kind": Agreement.Kind.SISTER_CITY,
                "level": Level.INTERNATIONAL,
                "status": Agreement.Status.IN_FORCE,
                "parties": f"Администрация города Хабаровска; администрация города {name_ru}",
                "department": department,
                "notes": " ".join(part for part in (note, SOURCE) if part),
            },
        )
        if created:
            agreement.partner_cities.add(cities[name_ru])
            _link(agreement, "intermunicipal")


def _cooperation_agreements(cities, organisations, department, today):
    # title, kind, level, signed on, valid until, partner cities, organisations, measures key
    rows = [
        (
            "Соглашение о торгово-экономическом и гуманитарном сотрудничестве с г. Харбином",
            Agreement.Kind.COOPERATION,
            Level.INTERNATIONAL,
            datetime.date(2009, 9, 14),
            today + datetime.timedelta(days=45),
            ["Харбин"],
            [],
            "china_programme",
        ),
        (
            "Меморандум о сотрудничестве в области образования",
            Agreement.Kind.MEMORANDUM,
            Level.INTERNATIONAL,
            datetime.date(2011, 5, 19),
            today + datetime.timedelta(days=80),
            ["Харбин"],
            ["Харбинский политехнический университет"],
            "education",
        ),
        (
            "Программа молодёжных обменов Хабаровск — Ниигата на 2012–2016 годы",
            Agreement.Kind.PROGRAMME,
            Level.MUNICIPAL,
            datetime.date(2012, 3, 2),
            datetime.date(2016, 12, 31),
            ["Ниигата"],
            [],
            "education",
        ),
        (
            "Протокол о намерениях по развитию деловых связей с Ниигатой",
            Agreement.Kind.PROTOCOL,
            Level.INTERNATIONAL,
            datetime.date(2013, 10, 8),
            today - datetime.timedelta(days=20),
            ["Ниигата"],
            ["Торгово-промышленная палата Ниигаты"],
            "investment",
        ),
        (
            "Соглашение о межрегиональном сотрудничестве с г. Владивостоком",
            Agreement.Kind.COOPERATION,
            Level.INTERREGIONAL,
            datetime.date(2010, 7, 1),
            None,
            [],
            [],
            "intermunicipal",
        ),
        (
            "Меморандум о сотрудничестве в социальной сфере с г. Портлендом",
            Agreement.Kind.MEMORANDUM,
            Level.INTERNATIONAL,
            datetime.date(2014, 6, 10),
            datetime.date(2019, 6, 10),
            ["Портленд"],
            ["Ассоциация городов-побратимов Портленд — Хабаровск"],
            "social",
        ),
        (
            "Соглашение о сотрудничестве в сфере туризма с г. Пучхоном",
            Agreement.Kind.COOPERATION,
            Level.INTERNATIONAL,
            datetime.date(2016, 4, 21),
            today + datetime.timedelta(days=400),
            ["Пучхон"],
            [],
            "intermunicipal",
        ),
    ]
    for title, kind, level, signed_on, valid_until, city_names, org_names, key in rows:
        agreement, created = Agreement.objects.get_or_create(
            title=title,
            signed_on=signed_on,
            defaults={
                "kind": kind,
                "level": level,
                "valid_until": valid_until,
                "status": Agreement.Status.IN_FORCE,
                "department": department,
                "notes": ILLUSTRATIVE,
            },
        )
        if created:
            agreement.partner_cities.add(*[cities[name] for name in city_names])
            agreement.partner_organisations.add(*[organisations[name] for name in org_names])
            _link(agreement, key)


def _organisations(cities, department):
    organisations = {}
    for name, kind, country, city_name in ORGANISATIONS:
        organisations[name], _ = PartnerOrganisation.objects.get_or_create(
            name=name,
            country=country,
            defaults={
                "kind": kind,
                "city": cities[city_name],
                "department": department,
                "notes": ILLUSTRATIVE,
            },
        )
    return organisations


def _delegations(cities, department):
    visiting = ["Харбин", "Ниигата", "Пучхон", "Портленд", "Виктория", "Санья", "Мусасино"]
    count = 0
    for year in range(2008, 2017):
        for index in range(4):
            direction = (
                Delegation.Direction.INCOMING if index % 2 == 0 else Delegation.Direction.OUTGOING
            )
            city = cities[visiting[(year + index) % len(visiting)]]
            purposes = PURPOSES[direction]
            purpose, key = purposes[(year + index) % len(purposes)]
            start = datetime.date(year, 2 + index * 3, 10 + index)
            delegation, created = Delegation.objects.get_or_create(
                direction=direction,
                start_date=start,
                partner_city=city,
                defaults={
                    "country": city.country,
                    "end_date": start + datetime.timedelta(days=3 + index % 2),
                    "headcount": 4 + (year + index * 5) % 9,
                    "purpose": purpose,
                    "department": department,
                    "notes": ILLUSTRATIVE,
                },
            )
            if created:
                _link(delegation, key)
            count += 1
    # Delegations from other Russian regions have no partner record: the origin names them.
    for year, origin in [(2010, "Приморский край, г. Владивосток"), (2014, "Сахалинская область")]:
        delegation, created = Delegation.objects.get_or_create(
            direction=Delegation.Direction.INCOMING,
            start_date=datetime.date(year, 9, 15),
            origin=origin,
            defaults={
                "country": "RU",
                "end_date": datetime.date(year, 9, 17),
                "headcount": 6,
                "purpose": "Обмен опытом межмуниципального сотрудничества",
                "department": department,
                "notes": ILLUSTRATIVE,
            },
        )
        if created:
            _link(delegation, "intermunicipal")
        count += 1
    return count


def _exchanges(cities, organisations, department):
    rows = []
    for year in range(2008, 2017):
        rows.append(
            (
                year,
                Exchange.Category.STUDENTS,
                8 + year % 7,
                "Харбин",
                "Харбинский политехнический университет",
            )
        )
        rows.append(
            (
                year,
                Exchange.Category.TEACHERS if year % 2 else Exchange.Category.SPECIALISTS,
                2 + year % 4,
                "Ниигата",
                None,
            )
        )
    for year, category, headcount, city_name, organisation_name in rows:
        exchange, created = Exchange.objects.get_or_create(
            year=year,
            category=category,
            host_city=cities[city_name],
            defaults={
                "headcount": headcount,
                "host_organisation": organisations.get(organisation_name),
                "country": cities[city_name].country,
                "description": "Обучение и стажировка хабаровчан у партнёров",
                "department": department,
                "notes": ILLUSTRATIVE,
            },
        )
        if created:
            _link(exchange, "education")
    return len(rows)


def _events(cities, department):
    rows = []
    for year in range(2008, 2017):
        rows.append(
            (
                f"Международный фестиваль снежных и ледовых скульптур в Харбине, {year}",
                Event.Kind.FESTIVAL,
                Level.INTERNATIONAL,
                datetime.date(year, 1, 5),
                "Харбин",
                "CN",
                ["Харбин"],
                False,
                "events",
            )
        )
    for year in (2008, 2010, 2012, 2014, 2016):
        rows.append(
            (
                f"Встреча мэров городов Сибири и Дальнего Востока России и мэров городов "
                f"западного побережья Японии, {year}",
                Event.Kind.MEETING,
                Level.INTERNATIONAL,
                datetime.date(year, 8, 20),
                "Ниигата" if year % 4 else "Хабаровск",
                "JP" if year % 4 else "RU",
                ["Ниигата"],
                False,
                "events",
            )
        )
    for year in (2011, 2013, 2015):
        rows.append(
            (
                f"Семинар «Социальная поддержка пожилых людей: опыт городов-побратимов», {year}",
                Event.Kind.SEMINAR,
                Level.INTERNATIONAL,
                datetime.date(year, 10, 12),
                "Хабаровск",
                "RU",
                ["Портленд", "Ниигата"],
                True,
                "social",
            )
        )
    for title, kind, level, start, place, country, city_names, social, key in rows:
        event, created = Event.objects.get_or_create(
            title=title,
            start_date=start,
            defaults={
                "kind": kind,
                "level": level,
                "end_date": start + datetime.timedelta(days=2),
                "place": place,
                "country": country,
                "participants": 5 + start.year % 6,
                "social_sphere": social,
                "department": department,
                "notes": ILLUSTRATIVE,
            },
        )
        if created:
            event.partner_cities.add(*[cities[name] for name in city_names])
            _link(event, key)
    return len(rows)


def load(stdout):
    department = _department()
    if department is None:
        stdout.write("Partners: the department УМиМС is missing; run demo.plan first.")
        return
    today = timezone.localdate()
    cities = _cities(department)
    organisations = _organisations(cities, department)
    _sister_city_agreements(cities, department)
    _cooperation_agreements(cities, organisations, department, today)
    delegations = _delegations(cities, department)
    exchanges = _exchanges(cities, organisations, department)
    events = _events(cities, department)
    stdout.write(
        f"Partners: {len(cities)} cities, {len(organisations)} organisations, "
        f"{delegations} delegations, {exchanges} exchanges, {events} events"
    )
