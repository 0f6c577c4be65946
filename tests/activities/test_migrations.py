"""The legal-acts migrations carry existing plans, measures and targets forward unchanged."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("activities", "0003_alter_historicalprogressreport_evidence_file_and_more"),
    ("indicators", "0003_alter_historicalindicatorvalue_evidence_file_and_more"),
]
AFTER = [("activities", "0005_original_wordings"), ("indicators", "0004_targets_set_by_acts")]


def migrate(targets):
    """Migrate to `targets`; the apps of the schema the database then has: every applied
    migration of every app, so an app not named keeps its later columns (a test of the
    partners' migration still creates sections with their `updated_at`)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    graph = executor.loader.graph
    applied = [key for key in executor.loader.applied_migrations if key in graph.nodes]
    return executor.loader.project_state(applied).apps


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_rows(apps):
    plan = apps.get_model("activities", "StrategicPlan").objects.create(
        title="План", legal_act="Об утверждении плана", status="repealed"
    )
    section = apps.get_model("activities", "Section").objects.create(
        plan=plan, number="1.1", title="Раздел"
    )
    measure = apps.get_model("activities", "Measure").objects.create(
        section=section, group=1, number=1, text="Проведение форума."
    )
    result = apps.get_model("activities", "ExpectedResult").objects.create(
        section=section, position=1, text="Рост связей."
    )
    department = apps.get_model("activities", "Department").objects.create(name="Управление")
    indicator = apps.get_model("indicators", "Indicator").objects.create(
        code="1", name="Число соглашений", unit="ед.", expected_result=result, department=department
    )
    Target = apps.get_model("indicators", "Target")
    for year, value in [(2015, "3.5"), (2016, "4")]:
        Target.objects.create(indicator=indicator, year=year, value=Decimal(value))
    return plan, measure, indicator


@pytest.mark.django_db(transaction=True)
def test_plans_measures_and_targets_survive_the_upgrade(old_apps):
    plan, measure, indicator = _old_rows(old_apps)

    apps = migrate(AFTER)

    Plan = apps.get_model("activities", "StrategicPlan")
    assert Plan.objects.get(pk=plan.pk).status == "repealed"
    # No act is invented for an existing plan.
    assert apps.get_model("activities", "LegalAct").objects.count() == 0
    assert apps.get_model("activities", "PlanRevision").objects.count() == 0
    new_measure = apps.get_model("activities", "Measure").objects.get(pk=measure.pk)
    assert new_measure.text == "Проведение форума."
    assert new_measure.excluded_on is None and new_measure.in_force_from is None
    wordings = apps.get_model("activities", "MeasureWording").objects.filter(measure=measure.pk)
    assert list(wordings.values_list("text", "valid_from")) == [("Проведение форума.", None)]
    targets = apps.get_model("indicators", "Target").objects.filter(indicator=indicator.pk)
    assert sorted(targets.values_list("year", "value", "act")) == [
        (2015, Decimal("3.5"), None),
        (2016, Decimal("4"), None),
    ]
