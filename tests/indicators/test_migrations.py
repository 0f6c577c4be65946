"""The milestones migration carries existing indicators, targets and values forward: every
indicator becomes numeric, every value keeps its number and gets no status."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.activities.test_migrations import migrate

BEFORE = [("indicators", "0005_value_sync_index")]
AFTER = [("indicators", "0006_milestones")]


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_indicators_become_numeric_and_keep_their_targets_and_values(old_apps):
    plan = old_apps.get_model("activities", "StrategicPlan").objects.create(title="План")
    section = old_apps.get_model("activities", "Section").objects.create(
        plan=plan, number="1.1", title="Раздел"
    )
    result = old_apps.get_model("activities", "ExpectedResult").objects.create(
        section=section, position=1, text="Рост связей."
    )
    department = old_apps.get_model("activities", "Department").objects.create(name="Управление")
    Indicator = old_apps.get_model("indicators", "Indicator")
    indicator = Indicator.objects.create(
        code="1", name="Число соглашений", unit="ед.", expected_result=result, department=department
    )
    old_apps.get_model("indicators", "Target").objects.create(
        indicator=indicator, year=2015, value=Decimal("3.5")
    )
    Value = old_apps.get_model("indicators", "IndicatorValue")
    Value.objects.create(indicator=indicator, year=2015, value=Decimal("4.25"), state="approved")
    Value.objects.create(indicator=indicator, year=2016, quarter=2, value=Decimal(0))

    apps = migrate(AFTER)

    assert list(apps.get_model("indicators", "Indicator").objects.values_list("pk", "kind")) == [
        (indicator.pk, "numeric")
    ]
    targets = apps.get_model("indicators", "Target").objects.values_list("year", "value")
    assert list(targets) == [(2015, Decimal("3.5"))]
    values = apps.get_model("indicators", "IndicatorValue").objects.order_by("year")
    assert list(values.values_list("year", "quarter", "value", "milestone_status", "state")) == [
        (2015, None, Decimal("4.25"), "", "approved"),
        (2016, 2, Decimal(0), "", "draft"),
    ]
