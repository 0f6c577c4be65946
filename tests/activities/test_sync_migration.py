"""The sync migration gives the plan's structure an `updated_at` and a history: every existing
row keeps its columns and is stamped with the moment of the migration (never NULL, never earlier
than a change a client could have missed), and no tombstone is invented."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.activities.test_migrations import migrate

BEFORE = [("activities", "0005_original_wordings"), ("indicators", "0006_milestones")]
AFTER = [("activities", "0006_structure_sync"), ("indicators", "0007_indicator_history")]
STRUCTURE = ["Department", "StrategicPlan", "Section", "Goal", "Task", "ExpectedResult"]


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def columns(apps, app_label, name):
    model = apps.get_model(app_label, name)
    return list(model.objects.order_by("pk").values())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_stamped_with_the_migrations_moment_and_keep_everything(old_apps):
    get = old_apps.get_model
    department = get("activities", "Department").objects.create(name="Управление", short_name="У")
    plan = get("activities", "StrategicPlan").objects.create(title="План", source_text="Текст")
    section = get("activities", "Section").objects.create(
        plan=plan, number="1.1", title="Раздел", vision="Видение", position=3
    )
    get("activities", "Section").objects.create(plan=plan, parent=section, number="1.1.1")
    get("activities", "Goal").objects.create(section=section, position=1, text="Цель.")
    get("activities", "Task").objects.create(section=section, number=1, text="Задача.")
    result = get("activities", "ExpectedResult").objects.create(
        section=section, position=1, text="Результат."
    )
    get("indicators", "Indicator").objects.create(
        code="1", name="Число", unit="ед.", expected_result=result, department=department
    )
    before = {name: columns(old_apps, "activities", name) for name in STRUCTURE}
    before_indicators = columns(old_apps, "indicators", "Indicator")
    plan_stamp = before["StrategicPlan"][0]["updated_at"]
    started = timezone.now()

    apps = migrate(AFTER)

    finished = timezone.now()
    for name in STRUCTURE:
        after = columns(apps, "activities", name)
        assert len(after) == len(before[name]), name
        for old, new in zip(before[name], after, strict=True):
            stamp, old_stamp = new.pop("updated_at"), old.pop("updated_at", None)
            assert new == old, name
            if name == "StrategicPlan":  # it had its updated_at already: unchanged
                assert stamp == old_stamp == plan_stamp
            else:
                assert started <= stamp <= finished, name
        # Histories start empty: no row was deleted, so no tombstone is made up.
        assert apps.get_model("activities", f"Historical{name}").objects.count() == 0
    assert columns(apps, "indicators", "Indicator") == before_indicators
    assert apps.get_model("indicators", "HistoricalIndicator").objects.count() == 0
