"""The public portal and open data (design.md, "Publication"): anyone reads the plan; figures
leave the portal only for published years and only from approved items; no staff names, no
comments; pages are cached by proxies (Cache-Control: public, ETag)."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.workflow import WorkflowState
from dashboards.models import PublishedReport
from tests.activities.factories import ProgressReportFactory
from tests.dashboards.conftest import build_plan
from tests.factories import (
    ExpectedResultFactory,
    GoalFactory,
    MeasureFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
)
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

YEAR = 2015
# Numbers no other figure of the fixture makes: pending values carry them.
PENDING_NUMBERS = {
    WorkflowState.DRAFT: Decimal("7771"),
    WorkflowState.SUBMITTED: Decimal("7772"),
    WorkflowState.RETURNED: Decimal("7773"),
}
APPROVED_NUMBER = Decimal("4321")


@pytest.fixture
def plan(department, editor, head):
    section = SectionFactory(number="6.4.2", title="Расширение межрегиональных связей")
    GoalFactory(section=section, text="Цель: укрепление связей.")
    TaskFactory(section=section, text="Задача: развитие побратимства.")
    measure = MeasureFactory(section=section, department=department, text="Обмен делегациями.")
    result = ExpectedResultFactory(section=section, text="Рост числа соглашений.")
    indicator = IndicatorFactory(
        expected_result=result, department=department, name="Число соглашений", unit="ед."
    )
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal("5000"))
    TargetFactory(indicator=indicator, year=YEAR + 1, value=Decimal("5001"))
    reviewed = {"author": editor, "reviewer": head}
    IndicatorValueFactory(
        indicator=indicator,
        year=YEAR,
        value=APPROVED_NUMBER,
        comment="Комментарий-сотрудника",
        **reviewed,
    )
    # Pending values of the same indicator in the next year, and of a second indicator in YEAR.
    second = IndicatorFactory(expected_result=result, department=department, name="Второй")
    TargetFactory(indicator=second, year=YEAR, value=Decimal("10"))
    for quarter, (state, number) in enumerate(PENDING_NUMBERS.items(), start=1):
        IndicatorValueFactory(
            indicator=second,
            year=YEAR,
            quarter=quarter,
            state=state,
            value=number,
            author=editor,
        )
    ProgressReportFactory(
        measure=measure,
        year=YEAR,
        quarter=None,
        state=WorkflowState.APPROVED,
        text="Принята делегация Ниигаты.",
        review_comment="",
        **reviewed,
    )
    ProgressReportFactory(
        measure=measure,
        year=YEAR,
        quarter=1,
        state=WorkflowState.SUBMITTED,
        text="Черновая-запись-отчёта.",
        author=editor,
    )
    return {"section": section, "indicator": indicator, "second": second, "measure": measure}


def publish(year=YEAR):
    PublishedReport.objects.create(year=year, published_by=UserFactory(last_name="Публикатор"))


def text_of(response):
    """The page's text with the spaces that group digits ("5 000") taken out."""
    return re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3})", "", response.content.decode())


def public_urls(plan):
    return [
        reverse("public:home"),
        reverse("public:section", args=[plan["section"].pk]),
        reverse("public:indicator", args=[plan["indicator"].pk]),
        reverse("public:indicator", args=[plan["second"].pk]),
        reverse("public:report_list"),
    ]


def opendata_files(client):
    """Every file the open data register leads to: {url: bytes}, read the way a consumer
    would — the register, each passport, the structure and data files it names, and the JSON
    beside each."""
    files = {}
    registry = client.get(reverse("opendata:registry", args=["csv"]))
    assert registry.status_code == 200
    files["list.csv"] = registry.content
    rows = list(csv.DictReader(io.StringIO(registry.content.decode())))
    assert rows[0]["property"] == "standardversion"
    for row in rows[1:]:
        passport = client.get(row["value"])
        assert passport.status_code == 200, row
        files[row["value"]] = passport.content
        properties = dict(csv.reader(io.StringIO(passport.content.decode())))
        for key, url in properties.items():
            if key.startswith(("data-", "structure-")):
                for variant in (url, url.removesuffix(".csv") + ".json"):
                    response = client.get(variant)
                    assert response.status_code == 200, variant
                    files[variant] = response.content
    return files


@pytest.mark.django_db
def test_the_portal_is_off_unless_the_setting_turns_it_on(client, plan, settings):
    settings.PUBLIC_PORTAL = False
    for url in [*public_urls(plan), reverse("opendata:index"), "/opendata/list.csv"]:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_anyone_reads_the_plan_text(client, plan):
    page = text_of(client.get(reverse("public:section", args=[plan["section"].pk])))
    for text in (
        "Цель: укрепление связей.",
        "Задача: развитие побратимства.",
        "Обмен делегациями.",
        "Рост числа соглашений.",
        "Число соглашений",
    ):
        assert text in page
    home = text_of(client.get(reverse("public:home")))
    assert "6.4.2 Расширение межрегиональных связей" in home


@pytest.mark.django_db
def test_figures_appear_only_for_a_published_year(client, plan):
    url = reverse("public:indicator", args=[plan["indicator"].pk])
    before = text_of(client.get(url))
    assert "4321" not in before and "5000" in before  # the target is the plan's, always public
    assert "отчёт за этот год не опубликован" in before
    assert client.get(reverse("public:report", args=[YEAR])).status_code == 404

    publish()
    after = text_of(client.get(url))
    assert "4321" in after
    report = client.get(reverse("public:report", args=[YEAR]))
    assert report.status_code == 200
    assert "4321" in text_of(report) and "Принята делегация Ниигаты." in text_of(report)


@pytest.mark.django_db
def test_nothing_pending_no_staff_name_and_no_comment_leaves(client, plan, editor, head):
    publish()
    publish(YEAR + 1)
    pages = {url: text_of(client.get(url)) for url in public_urls(plan)}
    pages["report"] = text_of(client.get(reverse("public:report", args=[YEAR])))
    pages |= {url: content.decode() for url, content in opendata_files(client).items()}
    forbidden = [
        *(str(number) for number in PENDING_NUMBERS.values()),
        "Черновая-запись-отчёта.",
        "Комментарий-сотрудника",
        editor.last_name,
        head.last_name,
        "Публикатор",
    ]
    for url, content in pages.items():
        for text in forbidden:
            assert text not in content, (url, text)
    assert any("4321" in content for content in pages.values())


# Whole-year items of a published year, each alone in its place: the one a page or a file would
# show if the approved-only rule slipped (a pending quarter of an approved year is summed away).
PENDING_ANNUAL = {
    WorkflowState.DRAFT: Decimal("8881"),
    WorkflowState.SUBMITTED: Decimal("8882"),
    WorkflowState.RETURNED: Decimal("8883"),
}


@pytest.mark.django_db
def test_no_pending_item_appears_on_any_public_page_or_open_data_file(client, plan, editor):
    section = plan["section"]
    result = ExpectedResultFactory(section=section, text="Итоги года.")
    indicators = []
    for state, number in PENDING_ANNUAL.items():
        indicator = IndicatorFactory(
            expected_result=result, department=plan["measure"].department, name=f"Ожид-{state}"
        )
        TargetFactory(indicator=indicator, year=YEAR, value=Decimal("10"))
        IndicatorValueFactory(
            indicator=indicator, year=YEAR, state=state, value=number, author=editor
        )
        measure = MeasureFactory(section=section, department=plan["measure"].department)
        ProgressReportFactory(
            measure=measure,
            year=YEAR,
            quarter=None,
            state=state,
            text=f"Отчёт-в-состоянии-{state}.",
            author=editor,
        )
        indicators.append(indicator)
    publish()

    urls = [
        *public_urls(plan),
        *(reverse("public:indicator", args=[i.pk]) for i in indicators),
        reverse("public:report", args=[YEAR]),
        reverse("opendata:index"),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = text_of(response)
    pages |= {url: content.decode() for url, content in opendata_files(client).items()}
    forbidden = [
        *(str(number) for number in PENDING_ANNUAL.values()),
        *(f"Отчёт-в-состоянии-{state}." for state in PENDING_ANNUAL),
    ]
    leaks = [(url, text) for url, content in pages.items() for text in forbidden if text in content]
    assert leaks == []
    # The pending items' indicators and measures are listed, their figures are not.
    assert "Ожид-draft" in pages[reverse("public:report", args=[YEAR])]


@pytest.mark.django_db
def test_pages_are_public_cacheable_and_revalidate(client, plan, head):
    publish()
    url = reverse("public:indicator", args=[plan["indicator"].pk])
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    assert "private" not in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    # A newly approved value of a published year changes the page and its ETag.
    value = IndicatorValueFactory(
        indicator=plan["indicator"],
        year=YEAR + 1,
        value=Decimal("999"),
        state=WorkflowState.APPROVED,
    )
    publish(YEAR + 1)
    second = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    assert "999" in text_of(second)
    value.delete()


@pytest.mark.django_db
def test_every_open_data_file_reads_back(client, plan):
    publish()
    files = opendata_files(client)
    data_files = {url: body for url, body in files.items() if "/data-" in url}
    assert len(data_files) == 8  # four data sets, CSV and JSON
    for url, body in files.items():
        if not url.endswith(".csv") or "/structure-" not in url:
            continue
        fields = [row["field name"] for row in csv.DictReader(io.StringIO(body.decode()))]
        assert all(row for row in fields)
        folder = url.rsplit("/", 1)[0]
        data_csv = next(u for u in data_files if u.startswith(folder) and u.endswith(".csv"))
        data_json = data_csv.removesuffix(".csv") + ".json"
        rows = list(csv.DictReader(io.StringIO(data_files[data_csv].decode())))
        records = json.loads(data_files[data_json])
        assert list(rows[0]) == fields if rows else True
        assert len(rows) == len(records)
        assert [list(record) for record in records] == [fields] * len(records)
    indicators = next(
        u for u in data_files if "strategy-indicators/data-" in u and u.endswith(".csv")
    )
    rows = list(csv.DictReader(io.StringIO(data_files[indicators].decode())))
    published = [
        row for row in rows if row["code"] == plan["indicator"].code and row["year"] == str(YEAR)
    ]
    assert published[0]["actual"] == "4321" and published[0]["target"] == "5000"
    unpublished = [row for row in rows if row["year"] == str(YEAR + 1)]
    assert unpublished and all(row["actual"] == "" for row in unpublished)


@pytest.mark.django_db
def test_a_passport_names_the_current_version_and_an_old_one_is_gone(client, plan):
    passport = client.get("/opendata/strategy-indicators/meta.csv")
    properties = dict(csv.reader(io.StringIO(passport.content.decode())))
    assert properties["standardversion"] == "http://opendata.gosmonitor.ru/standard/3.0"
    assert properties["identifier"] == "strategy-indicators"
    assert properties["publishername"] == "Администрация города Хабаровска"
    data_key = next(key for key in properties if key.startswith("data-"))
    stale = properties[data_key].replace(
        re.search(r"data-(\d{8}T\d{4})", data_key).group(1), "20000101T0000"
    )
    assert client.get(stale).status_code == 404
    assert client.get("/opendata/no-such-set/meta.csv").status_code == 404


# --- publishing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_head_publishes_and_withdraws_a_year(client, head, plan):
    client.force_login(head)
    url = reverse("dashboards:annual_report_publish", args=[YEAR])
    response = client.post(url)
    assert response.status_code == 302
    assert PublishedReport.objects.get(year=YEAR).published_by == head
    client.post(url)  # again: nothing changes
    assert PublishedReport.objects.count() == 1
    page = text_of(client.get(reverse("dashboards:annual_report", args=[YEAR])))
    assert 'id="published-badge"' in page
    client.post(url, {"withdraw": "1"})
    assert not PublishedReport.objects.exists()
    assert client.get(reverse("public:report", args=[YEAR])).status_code == 404


@pytest.mark.django_db
def test_a_future_year_is_refused_and_nothing_written(client, head):
    client.force_login(head)
    response = client.post(reverse("dashboards:annual_report_publish", args=[2099]))
    assert response.status_code == 400
    assert "только отчёт за уже начавшийся год" in text_of(response)
    assert not PublishedReport.objects.exists()


@pytest.mark.django_db
def test_an_editor_and_a_viewer_cannot_publish(client, editor, viewer):
    for user in (editor, viewer):
        client.force_login(user)
        assert (
            client.post(reverse("dashboards:annual_report_publish", args=[YEAR])).status_code == 403
        )
    assert not PublishedReport.objects.exists()


# --- query counts -------------------------------------------------------------------------------


def _queries(client, url):
    from django.core.cache import cache

    cache.clear()  # the cold path: a hit reads nothing
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_public_pages_cost_the_same_queries_at_two_sizes(client, department):
    counts = []
    for sections in (1, 4):
        plan = build_plan(
            sections=sections, indicators_per_section=sections + 1, department=department
        )
        section = plan.sections.order_by("position").last()
        indicator = section.expected_results.last().indicators.get()
        PublishedReport.objects.get_or_create(year=YEAR, defaults={"published_by": UserFactory()})
        urls = [
            reverse("public:home"),
            reverse("public:section", args=[section.pk]),
            reverse("public:indicator", args=[indicator.pk]),
            reverse("public:report", args=[YEAR]),
            reverse("opendata:index"),
        ]
        counts.append([_queries(client, url) for url in urls])
        # the data files, by their current version
        files = opendata_files(client)
        assert files
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_target_raised_by_an_act_shows_both_targets_publicly(client, plan):
    import datetime

    from activities.models import LegalAct

    act = LegalAct.objects.create(
        kind=LegalAct.Kind.DUMA_DECISION,
        number="пример-9",
        date=datetime.date(YEAR, 3, 1),
        title="О внесении изменений",
    )
    TargetFactory(indicator=plan["indicator"], year=YEAR, value=Decimal("6000"), act=act)
    publish()
    page = text_of(client.get(reverse("public:indicator", args=[plan["indicator"].pk])))
    row = page[page.index(f'data-year="{YEAR}"') :]
    assert "5000" in row and "6000" in row and "пример-9" in row
    rows = list(
        csv.DictReader(
            io.StringIO(
                opendata_files(client)[
                    next(
                        url
                        for url in opendata_files(client)
                        if "strategy-indicators/data-" in url and url.endswith(".csv")
                    )
                ].decode()
            )
        )
    )
    mine = next(r for r in rows if r["code"] == plan["indicator"].code and r["year"] == str(YEAR))
    assert (mine["original_target"], mine["target"]) == ("5000", "6000")
    assert "пример-9" in mine["target_act"]


@pytest.mark.django_db
def test_open_data_csv_never_carries_a_live_formula(client, plan):
    """A text a spreadsheet would run is shown as typed in the CSV (core.spreadsheets); the
    JSON beside it keeps the text as entered."""
    formula = '=HYPERLINK("http://evil.example","Отчёт")'
    plan["measure"].text = formula
    plan["measure"].save()
    publish()
    files = opendata_files(client)
    measures_csv = next(
        url for url in files if "strategy-measures/data-" in url and url.endswith(".csv")
    )
    cells = [cell for row in csv.reader(io.StringIO(files[measures_csv].decode())) for cell in row]
    assert "'" + formula in cells
    assert formula not in cells
    records = json.loads(files[measures_csv.removesuffix(".csv") + ".json"])
    assert formula in [value for record in records for value in record.values()]


@pytest.mark.django_db
def test_a_page_kept_in_the_process_is_the_data_versions(client, plan, monkeypatch):
    """The public pages are kept in each app server's memory too (core.cache.cached_in_process):
    the next request reads only the data version from the shared cache. A change of the data
    is a new version, so no server serves the old page; and the copies are bounded."""
    from collections import OrderedDict

    from django.core.cache import cache

    from core import cache as data_cache

    monkeypatch.setattr(data_cache, "_in_process", OrderedDict())
    publish()
    url = reverse("public:indicator", args=[plan["indicator"].pk])
    first = client.get(url)
    kept = list(data_cache._in_process)
    assert len(kept) == 1 and cache.get(kept[0]) is not None

    # The shared copy gone (evicted, expired): the process's own copy answers, the same bytes.
    for key in kept:
        cache.delete(key)
    assert client.get(url).content == first.content

    # A newly approved value of a published year: a new version, a new page everywhere.
    IndicatorValueFactory(
        indicator=plan["indicator"], year=YEAR + 1, value=Decimal("777"),
        state=WorkflowState.APPROVED,
    )  # fmt: skip
    publish(YEAR + 1)
    assert "777" in text_of(client.get(url))

    monkeypatch.setattr(data_cache, "IN_PROCESS_ENTRIES", 2)
    for path in public_urls(plan):
        client.get(path)
    assert len(data_cache._in_process) <= 2
