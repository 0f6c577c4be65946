"""search/migrations/0002: the GIN indexes of the search lose their pending lists — what was
pending is merged into the index, nothing lost — and new rows go straight into the index."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search import selectors
from search.kinds import BY_SLUG
from tests.activities.test_migrations import migrate

BEFORE = [("search", "0001_trigram_and_search_indexes")]
AFTER = [("search", "0002_gin_indexes_without_pending_list")]
INDEXES = ["activities_strategicplan_search_fts", "activities_strategicplan_title_search_trgm"]


def pending_pages(index):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT pending_pages FROM pgstatginindex(%s::regclass)", [index])
        return cursor.fetchone()[0]


def options(index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [index])
        return cursor.fetchone()[0]


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_what_was_pending_is_merged_and_still_found(old_apps):
    Plan = old_apps.get_model("activities", "StrategicPlan")
    old = [Plan.objects.create(title=f"Программа побратимских связей {n}") for n in range(3)]
    for index in INDEXES:
        assert options(index) is None
        assert pending_pages(index) > 0, index

    migrate(AFTER)

    for index in INDEXES:
        assert options(index) == ["fastupdate=off"], index
        assert pending_pages(index) == 0, index
    new = Plan.objects.create(title="Программа побратимских связей 4")
    assert pending_pages(INDEXES[0]) == 0  # written into the index at once
    found = selectors._candidates([BY_SLUG["plan"]], "побратимские связи")
    assert found == {"plan": {obj.pk for obj in [*old, new]}}
