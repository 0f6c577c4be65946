"""Each model marks itself ``@watched`` (``core.cache.watched_models()``), and one forgotten mark
is a stale figure; this proves the registry covers every model the cached pages and API answers
read, so no write can leave a stale figure behind.

How: each cached page and API answer is asked twice, with the cache cold and then warm, while
the SQL is captured. What the first request runs and the second does not is exactly what the
cache saved, i.e. what its cached pieces read (the home body, section and report figures,
filter choices, navigation counts, computed indicators, API answers). Every table in those
queries' FROM and JOIN clauses is mapped to its model, which must be watched, and a write to
one of its rows must bump the data version."""

import datetime
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from activities.models import LegalAct, Measure, MeasureWording, ReportingYear, Task
from core import cache as data_cache
from core.cache import watched_models
from core.workflow import WorkflowState, workflow_approve
from dashboards.models import (
    CorrectiveAction,
    PublishedReport,
    ReasonForDeviation,
    SectionProposal,
)
from indicators.computations import REGISTRY
from indicators.models import Indicator
from khv_strategy.api.router import router
from notifications.models import ReportingCalendar
from partners.models import PartnerOrganisation
from tests.api.test_endpoints import populate
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)


def not_data(model):
    """Who is asking, not what the pages show: sessions, users and their groups and
    permissions, content types, API tokens. (A reviewer's name shown beside an approval is
    the one thing the timeout bounds instead, see ``core.cache``.)"""
    user = get_user_model()
    if model._meta.app_label in {"auth", "contenttypes", "sessions", "admin"}:
        return True
    if model in {user, ApiToken}:
        return True
    return model._meta.auto_created and user in through_ends(model)


def through_ends(through):
    """The two models an auto-created many-to-many table links."""
    return {field.related_model for field in through._meta.fields if field.is_relation}


def models_by_table():
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.proxy:
            tables[model._meta.db_table] = model
    return tables


@pytest.fixture
def data(small_plan, department, head, settings):
    """Rows of every kind the pages can show: the small plan, the API's rows (partners and
    their links to measures, reports, goals, tasks), approved values and reports, a reason
    for deviation, a closed reporting year, and one computed indicator per computation."""
    settings.API_CACHE_SECONDS = 600
    populate(department, 2)
    measure = Measure.objects.order_by("pk").first()
    measure.tasks.add(Task.objects.order_by("pk").first())
    # Its wording (the public section page shows the measures in their wording of the day).
    MeasureWording.objects.create(measure=measure, text=measure.text)
    PartnerOrganisation.objects.order_by("pk").first().measures.add(measure)
    section = small_plan["sections"][0]
    for key in REGISTRY:
        indicator = IndicatorFactory(
            expected_result=small_plan["indicators"][0].expected_result,
            department=department,
            source=Indicator.Source.COMPUTED,
            computation=key,
        )
        TargetFactory(indicator=indicator, year=YEAR, value=Decimal(1))
    # A target raised by an act: the progress reads the act beside the target.
    act = LegalAct.objects.create(number="1", date=datetime.date(YEAR, 3, 1), title="Изменения")
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal(2), act=act)
    value = IndicatorValueFactory(
        indicator=small_plan["indicators"][3],
        year=YEAR,
        value=Decimal(10),
        state=WorkflowState.SUBMITTED,
    )
    workflow_approve(item=value, by=head)
    reason = ReasonForDeviation.objects.create(
        indicator=small_plan["indicators"][2], year=YEAR, text="Рост затрат.", author=head
    )
    # An open corrective action: the dashboards' open-actions panels read it.
    CorrectiveAction.objects.create(
        reason=reason,
        text="Пересмотреть смету.",
        responsible="Иванов И. И.",
        due_on=datetime.date(YEAR + 1, 3, 1),
        author=head,
    )
    ReportingYear.objects.get_or_create(
        year=YEAR - 5, defaults={"locked": True, "locked_at": timezone.now()}
    )
    ReportingCalendar.objects.create(plan=section.plan)  # the overdue panels read it
    # A head's proposals and a published year: the report, the Word file and the public pages.
    SectionProposal.objects.create(
        section=section, year=YEAR, text="Расширить обмены.", author=head
    )
    PublishedReport.objects.create(year=YEAR, published_by=head)
    return {"section": section, "indicator": small_plan["indicators"][0]}


def cached_urls(data):
    """Every page with a cached piece, and every cached API read."""
    indicator = data["indicator"]
    urls = [
        reverse("home"),
        f"{reverse('home')}?year={YEAR}&department={indicator.department_id}",
        f"{reverse('dashboards:section_dashboard', args=[data['section'].pk])}?year={YEAR}",
        reverse("dashboards:annual_report", args=[YEAR]),
        reverse("dashboards:annual_report_xlsx", args=[YEAR]),
        reverse("dashboards:annual_report_docx", args=[YEAR]),
        reverse("public:home"),
        reverse("public:section", args=[data["section"].pk]),
        reverse("public:indicator", args=[indicator.pk]),
        reverse("public:report", args=[YEAR]),
        reverse("opendata:index"),
        reverse("indicators:indicator_list"),  # its filters' choices
        reverse("partners:agreement_list"),
        reverse("indicator-series", args=[indicator.pk]),
        reverse("indicator-series-list"),
    ]
    for _prefix, viewset, basename in router.registry:
        model = viewset.serializer_class.Meta.model
        row = model.objects.order_by("pk").first()
        assert row is not None, f"no {model.__name__} to read through the API"
        urls += [reverse(f"{basename}-list"), reverse(f"{basename}-detail", args=[row.pk])]
    return urls


def sql_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in queries]


def written_with(model):
    """The model whose writes write this table: a simple-history table gains a row only when
    its model's row is saved or deleted (the open data's versions read them)."""
    return getattr(model, "instance_type", model)


def models_read_by_the_cached_pieces(client, urls):
    """{model: [url, ...]} of the models the cache saved reading, page by page."""
    tables = models_by_table()
    read = {}
    for url in urls:
        cache.clear()  # LocMemCache: the test settings' cache, private to this process
        cold = Counter(sql_of(client, url))
        warm = Counter(sql_of(client, url))
        saved = [
            written_with(tables[table])
            for sql in (cold - warm).elements()
            for table in TABLE.findall(sql)
        ]
        data_read = {model for model in saved if not not_data(model)}
        assert data_read, f"{url}: the second request read as much data as the first"
        for model in data_read:
            read.setdefault(model, []).append(url)
    return read


def unwatched(read, watched):
    """The data models read that no write would make stale: an auto-created many-to-many
    table is covered by m2m_changed when one of its ends is watched (``relation_changed``)."""
    missing = {}
    for model, urls in read.items():
        if model._meta.auto_created:
            covered = bool(through_ends(model) & watched)

        else:
            covered = model in watched
        if not covered:
            missing[model._meta.label] = sorted(set(urls))
    return missing


@pytest.fixture
def models_read(client_for, administrator, data):
    # The administrator sees every row and every navigation count.
    return models_read_by_the_cached_pieces(client_for(administrator), cached_urls(data))


def test_every_model_the_cached_pages_read_is_watched(models_read):
    watched = set(watched_models())

    assert unwatched(models_read, watched) == {}
    # The capture is not vacuous: the figures' main tables are among what it found.
    labels = {model._meta.label for model in models_read}
    assert {
        "activities.StrategicPlan",
        "activities.Section",
        "activities.Department",
        "activities.ExpectedResult",
        "activities.Goal",
        "activities.Task",
        "activities.Measure",
        "activities.ProgressReport",
        "indicators.Indicator",
        "indicators.Target",
        "indicators.IndicatorValue",
        "dashboards.ReasonForDeviation",
        "dashboards.CorrectiveAction",
        "partners.Agreement",
        "partners.Delegation",
        "partners.Event",
        "partners.Exchange",
        "partners.PartnerCity",
        "partners.PartnerOrganisation",
    } <= labels


def test_a_model_left_out_of_the_list_is_caught(models_read):
    """The check above fails for each model the registry would miss."""
    watched = set(watched_models())
    for model in models_read:
        if model._meta.auto_created:
            continue
        assert model._meta.label in unwatched(models_read, watched - {model})


def test_a_write_to_any_model_read_bumps_the_data_version(models_read):
    """Watched is not enough: the receivers must be connected. Each model read is written
    (a row saved; a many-to-many link removed and added back) and the version must move."""
    for model in models_read:
        if model._meta.auto_created:
            field = next(
                field
                for owner in apps.get_models()
                for field in owner._meta.many_to_many
                if field.remote_field.through is model
            )
            link = model.objects.first()
            assert link is not None, f"no {model._meta.label} row to write"
            source = getattr(link, field.m2m_field_name())
            target = getattr(link, field.m2m_reverse_field_name())
            related = getattr(source, field.name)
            for write in (related.remove, related.add):
                version = data_cache.data_version()
                write(target)
                assert data_cache.data_version() > version, f"{model._meta.label}"
            continue
        row = model.objects.first()
        assert row is not None, f"no {model._meta.label} row to write"
        version = data_cache.data_version()
        row.save()
        assert data_cache.data_version() > version, model._meta.label
