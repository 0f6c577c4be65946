"""dashboards 0003 carries every reason for deviation forward: its text becomes the cause's
text, its kind «не указано»; its author, date and history are kept; no corrective action is
invented."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("dashboards", "0002_publication_and_proposals")
AFTER = ("dashboards", "0003_causes_and_corrective_actions")


def migrate(target):
    """Dashboards at ``target``, every other app at its latest: the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "dashboards"]
    executor.migrate([target])
    return executor.loader.project_state([target, *others]).apps


@pytest.mark.django_db(transaction=True)
def test_the_reasons_become_causes_of_unspecified_kind():
    apps = migrate(BEFORE)
    try:
        department = apps.get_model("activities", "Department").objects.create(name="Управление")
        plan = apps.get_model("activities", "StrategicPlan").objects.create(title="План")
        section = apps.get_model("activities", "Section").objects.create(
            plan=plan, number="1.1", title="Раздел"
        )
        result = apps.get_model("activities", "ExpectedResult").objects.create(
            section=section, position=1, text="Рост связей."
        )
        Indicator = apps.get_model("indicators", "Indicator")
        indicators = [
            Indicator.objects.create(
                code=code, name=code, unit="ед.", expected_result=result, department=department
            )
            for code in ("1", "2")
        ]
        author = apps.get_model("accounts", "User").objects.create(username="head")
        Reason = apps.get_model("dashboards", "ReasonForDeviation")
        HistoricalReason = apps.get_model("dashboards", "HistoricalReasonForDeviation")
        old = {}
        for indicator, year, text in (
            (indicators[0], 2015, "Визит перенесён партнёром."),
            (indicators[0], 2016, "Сокращение финансирования."),
            (indicators[1], 2015, "Многострочный\nтекст."),
        ):
            reason = Reason.objects.create(indicator=indicator, year=year, text=text, author=author)
            HistoricalReason.objects.create(
                id=reason.pk,
                indicator=indicator,
                year=year,
                text=text,
                author=author,
                updated_at=reason.updated_at,
                history_date=reason.updated_at,
                history_type="+",
            )
            old[reason.pk] = (indicator.pk, year, text, author.pk, reason.updated_at)

        apps = migrate(AFTER)
        Reason = apps.get_model("dashboards", "ReasonForDeviation")
        new = {
            reason.pk: (
                reason.indicator_id,
                reason.year,
                reason.text,
                reason.author_id,
                reason.updated_at,
            )
            for reason in Reason.objects.all()
        }
        kinds = set(Reason.objects.values_list("cause", flat=True))
        history = list(
            apps.get_model("dashboards", "HistoricalReasonForDeviation").objects.values_list(
                "id", "text", "cause"
            )
        )
        actions = apps.get_model("dashboards", "CorrectiveAction").objects.count()
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )

    assert new == old
    assert kinds == {"unspecified"}
    assert sorted(history) == sorted((pk, value[2], "unspecified") for pk, value in old.items())
    assert actions == 0
