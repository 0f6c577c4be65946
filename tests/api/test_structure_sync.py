"""The plan's structure (departments, plans, sections, goals, tasks, expected results) syncs as
every other resource does (docs/api.md, the recipe): `updated_at` in its rows, `updated_since`,
the cursor by `updated_at`, and tombstones in `/api/v1/deletions/` — also for rows the plan
import rewords or drops, rows deleted by a queryset and rows deleted with their plan."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tokens import api_token_issue
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Section,
    StrategicPlan,
    Task,
)
from activities.services import ActDetails, plan_import
from khv_strategy.api.deletions import tombstone_sources
from khv_strategy.api.router import router
from tests.activities.test_import_service import TWO_SECTIONS
from tests.api.test_deletions import tombstones
from tests.api.test_endpoints import list_url, populate
from tests.api.test_paging import pull
from tests.factories import (
    DepartmentFactory,
    ExpectedResultFactory,
    GoalFactory,
    SectionFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

# basename: (resource, model)
STRUCTURE = {
    "department": ("departments", Department),
    "strategicplan": ("plans", StrategicPlan),
    "section": ("sections", Section),
    "goal": ("goals", Goal),
    "task": ("tasks", Task),
    "expectedresult": ("expected-results", ExpectedResult),
}


def moment(value):
    return quote(value.isoformat())


@pytest.fixture
def api_client(client, api_client_user):
    _token, key = api_token_issue(user=api_client_user, name="sync")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def test_every_resource_has_updated_at_updated_since_and_tombstones():
    """One rule for every list of /api/v1/: a resource added later without them fails here."""
    sources = {resource for resource, _history, _department in tombstone_sources(router.registry)}
    for prefix, viewset, _basename in router.registry:
        model = viewset.serializer_class.Meta.model
        assert any(f.name == "updated_at" for f in model._meta.concrete_fields), prefix
        assert "updated_at" in viewset.serializer_class.Meta.fields, prefix
        assert "updated_at" in viewset.ordering_fields, prefix
        assert "updated_since" in viewset.filterset_class.base_filters, prefix
        assert prefix in sources, prefix


@pytest.mark.parametrize("basename", STRUCTURE)
def test_updated_since_lists_the_rows_changed_since(api_client, department, basename):
    populate(department, 2)
    structure_of_one_plan()
    DepartmentFactory()
    _resource, model = STRUCTURE[basename]
    changed = model.objects.order_by("pk").first()
    unchanged = model.objects.exclude(pk=changed.pk).values_list("pk", flat=True)
    assert unchanged
    cutoff = timezone.now()
    changed.save()

    rows = pull(api_client, f"{list_url(basename)}?updated_since={moment(cutoff)}")

    assert [row["id"] for row in rows] == [changed.pk]
    assert datetime.datetime.fromisoformat(rows[0]["updated_at"]) >= cutoff
    everything = pull(api_client, f"{list_url(basename)}?pagination=cursor&page_size=1")
    assert {row["id"] for row in everything} == {changed.pk, *unchanged}
    # The cursor's default order is updated_at then id: the changed row comes last.
    assert everything[-1]["id"] == changed.pk


@pytest.mark.parametrize("basename", STRUCTURE)
def test_the_list_orders_by_updated_at(api_client, department, basename):
    populate(department, 2)
    _resource, model = STRUCTURE[basename]
    model.objects.order_by("-pk").first().save()

    rows = pull(api_client, f"{list_url(basename)}?ordering=-updated_at&page_size=1")

    stamps = [datetime.datetime.fromisoformat(row["updated_at"]) for row in rows]
    assert len(rows) == model.objects.count() and stamps == sorted(stamps, reverse=True)
    assert rows[0]["id"] == model.objects.order_by("-pk").first().pk


def structure_of_one_plan():
    section = SectionFactory()
    child = SectionFactory(plan=section.plan, parent=section)
    rows = {
        "plans": section.plan.pk,
        "sections": {section.pk, child.pk},
        "goals": {GoalFactory(section=section).pk, GoalFactory(section=child).pk},
        "tasks": {TaskFactory(section=section).pk, TaskFactory(section=child).pk},
        "expected-results": {ExpectedResultFactory(section=child).pk},
    }
    return section.plan, rows


@pytest.mark.parametrize("basename", STRUCTURE)
def test_a_deleted_row_leaves_a_tombstone(api_client, basename):
    resource, model = STRUCTURE[basename]
    structure_of_one_plan()
    DepartmentFactory()
    row = model.objects.order_by("-pk").first()
    pk = row.pk
    before = timezone.now()
    row.delete()

    seen = tombstones(api_client, f"?since={moment(before)}&resource={resource}")

    assert (resource, pk) in seen


def test_a_plan_deleted_leaves_the_tombstones_of_its_whole_structure(api_client):
    plan, rows = structure_of_one_plan()
    before = timezone.now()
    plan.delete()

    seen = tombstones(api_client, f"?since={moment(before)}&page_size=500")

    expected = {("plans", rows["plans"])}
    for resource in ("sections", "goals", "tasks", "expected-results"):
        expected |= {(resource, pk) for pk in rows[resource]}
    assert seen == expected


def test_a_queryset_delete_leaves_a_tombstone_per_row(api_client):
    """What the admin's "delete selected" does: QuerySet.delete sends each row's signals."""
    _plan, rows = structure_of_one_plan()
    before = timezone.now()
    Goal.objects.filter(pk__in=rows["goals"]).delete()
    Task.objects.filter(pk__in=rows["tasks"]).delete()

    seen = tombstones(api_client, f"?since={moment(before)}")

    assert seen == {("goals", pk) for pk in rows["goals"]} | {("tasks", pk) for pk in rows["tasks"]}


# --- the plan import -------------------------------------------------------------------------

FIRST_TEXT = TWO_SECTIONS.replace(
    "1) Модернизация очистных сооружений.\n",
    "1) Модернизация очистных сооружений.\n2) Строительство коллектора.\n",
).replace("• Снижение выбросов.\n", "• Снижение выбросов.\n• Чистые реки.\n")
# The goal of 1.1 reworded; its second task and second expected result dropped.
SECOND_TEXT = TWO_SECTIONS.replace("Снижение загрязнения.", "Снижение загрязнения воздуха.")


AMENDING_ACT = ActDetails(
    number="12-р", date=datetime.date(2025, 3, 1), title="О внесении изменений"
)


@pytest.mark.parametrize("act", [None, AMENDING_ACT], ids=["correction", "amendment"])
def test_the_plan_import_rewording_and_dropping_rows_shows_in_the_sync(api_client, act):
    plan = plan_import(data=FIRST_TEXT.encode()).plan
    section = plan.sections.get(number="1.1")
    goal = section.goals.get()
    other_goal = Goal.objects.exclude(pk=goal.pk).get()
    dropped_task = section.tasks.get(number=2)
    dropped_result = section.expected_results.get(position=2)
    stamps = {
        model: dict(model.objects.values_list("pk", "updated_at"))
        for model in (Section, Goal, Task, ExpectedResult)
    }
    cutoff = timezone.now()

    summary = plan_import(data=SECOND_TEXT.encode(), act=act)

    assert summary.updated[Goal] == 1 and summary.deleted[Task] == 1
    assert summary.deleted[ExpectedResult] == 1
    goal.refresh_from_db()
    assert goal.updated_at > stamps[Goal][goal.pk] and goal.updated_at >= cutoff
    other_goal.refresh_from_db()
    assert other_goal.updated_at == stamps[Goal][other_goal.pk]
    since = moment(cutoff)
    changed = {
        basename: [
            row["id"] for row in pull(api_client, f"{list_url(basename)}?updated_since={since}")
        ]
        for basename in ("section", "goal", "task", "expectedresult")
    }
    assert changed == {"section": [], "goal": [goal.pk], "task": [], "expectedresult": []}
    assert tombstones(api_client, f"?since={since}") == {
        ("tasks", dropped_task.pk),
        ("expected-results", dropped_result.pk),
    }


def test_a_second_identical_import_touches_no_row():
    plan_import(data=FIRST_TEXT.encode())
    before = {
        model: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (StrategicPlan, Section, Goal, Task, ExpectedResult)
    }
    histories = {model: model.history.count() for model in before}

    plan_import(data=FIRST_TEXT.encode())

    for model, stamps in before.items():
        assert list(model.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
        assert model.history.count() == histories[model]


# --- the recipe --------------------------------------------------------------------------------


def pull_all(client, basename, since=None):
    url = f"{list_url(basename)}?pagination=cursor&page_size=2"
    if since is not None:
        url += f"&updated_since={moment(since)}"
    return {row["id"]: row for row in pull(client, url)}


def test_an_incremental_sync_of_the_structure_ends_with_a_full_pulls_copy(api_client, department):
    """docs/api.md's recipe over the plan's structure: a full pull, then rows changed, added
    and deleted (one by one and with their plan), then `updated_since` and the deletions since
    the first pull's start: the copy is exactly what a new full pull gives."""
    populate(department, 3)
    _plan, doomed = structure_of_one_plan()
    spare_department = DepartmentFactory()
    started = timezone.now()
    copy = {basename: pull_all(api_client, basename) for basename in STRUCTURE}
    assert all(copy.values())

    # Change one row of each resource, delete another, add one.
    department.short_name = "УМиМС"
    department.save()
    spare_department.delete()
    DepartmentFactory()
    plan = StrategicPlan.objects.exclude(pk=doomed["plans"]).first()
    plan.legal_act = "Решение Думы № 1"
    plan.save()
    section = Section.objects.filter(plan=plan).first()
    section.title = "Новое название"
    section.save()
    SectionFactory(plan=plan)
    for model, factory, key in (
        (Goal, GoalFactory, "position"),
        (Task, TaskFactory, "number"),
        (ExpectedResult, ExpectedResultFactory, "position"),
    ):
        edited = model.objects.filter(section=section).order_by("pk").first()
        edited.text = "Изменённый текст."
        edited.save()
        factory(section=section, **{key: 99})
    Goal.objects.filter(pk__in=doomed["goals"]).first().delete()
    StrategicPlan.objects.get(pk=doomed["plans"]).delete()

    started_again = timezone.now()
    for basename, (resource, _model) in STRUCTURE.items():
        for pk, row in pull_all(api_client, basename, since=started).items():
            copy[basename][pk] = row
        deleted = tombstones(
            api_client, f"?since={moment(started)}&resource={resource}&page_size=500"
        )
        for _resource, pk in deleted:
            copy[basename].pop(pk, None)

    fresh = {basename: pull_all(api_client, basename) for basename in STRUCTURE}
    assert copy == fresh
    assert doomed["plans"] not in fresh["strategicplan"]
    assert not set(fresh["goal"]) & doomed["goals"]
    assert fresh["department"][department.pk]["short_name"] == "УМиМС"
    # Nothing changed since the second pull's start: the next pull is empty.
    for basename in STRUCTURE:
        assert pull_all(api_client, basename, since=started_again) == {}


def test_the_deletions_feed_costs_the_same_queries_at_two_sizes(api_client):
    # The token's first use is recorded (one more query), not a cost of the list.
    assert api_client.get("/api/v1/deletions/?page_size=1").status_code == 200
    counts = []
    for size in (2, 8):
        for _ in range(size):
            plan, _rows = structure_of_one_plan()
            plan.delete()
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/deletions/?page_size=500").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
