"""Importing an amended text under a legal act: a revision of the plan."""

import datetime

import pytest
from django.core.management import call_command

from activities.models import LegalAct, Measure, MeasureWording, PlanRevision, Section
from activities.revisions import match_measures, word_diff
from activities.selectors import measure_text_on
from activities.services import ActDetails, plan_import
from tests.activities.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db

ORIGINAL = """Действующий

Об утверждении плана развития города

1.1. Концепция проекта Открытый город

Город откроется миру.

Цель
Развитие связей.

Задачи
1. Развитие сотрудничества.

Мероприятия
1. Проведение ежегодного форума городов-побратимов.
2. Обмен делегациями школьников.
3. Издание буклета о городе.

Ожидаемые результаты
- Рост числа партнёров.
"""

AMENDED = """Действующий

Об утверждении плана развития города

1.1. Концепция проекта Открытый город

Город откроется миру.

Цель
Развитие связей.

Задачи
1. Развитие сотрудничества.
2. Привлечение инвестиций.

Мероприятия
1. Обмен делегациями школьников и студентов.
2. Проведение ежегодного форума городов-побратимов.
3. Создание инвестиционного портала.

Ожидаемые результаты
- Рост числа партнёров.
"""

ACT = ActDetails(number="123", date=datetime.date(2016, 3, 1), title="О внесении изменений в план")


def import_original():
    plan_import(
        data=ORIGINAL.encode(), act=ActDetails("1", datetime.date(2008, 5, 20), "Об утверждении")
    )
    return {m.text: m for m in Measure.objects.all()}


def test_the_diff_lists_reworded_added_dropped_and_reordered_items():
    before = import_original()

    summary = plan_import(data=AMENDED.encode(), act=ACT, dry_run=True)

    changes = {(c["kind"], c["change"], c["code"]): c for c in summary.changes}
    assert set(changes) == {
        ("task", "added", "2"),
        ("measure", "renumbered", "1.1"),  # the exchange moved up
        ("measure", "reworded", "1.1"),
        ("measure", "renumbered", "1.2"),  # the forum moved down, unchanged
        ("measure", "added", "1.3"),
        ("measure", "excluded", "1.3"),  # the booklet: dropped, excluded from the act's date
    }
    reworded = changes[("measure", "reworded", "1.1")]
    assert reworded["old"] == "Обмен делегациями школьников."
    assert reworded["new"] == "Обмен делегациями школьников и студентов."
    # The preview writes nothing.
    assert {m.text: m for m in Measure.objects.all()}.keys() == before.keys()
    assert not LegalAct.objects.filter(number="123").exists()
    assert PlanRevision.objects.count() == 1  # the approval only


def test_applying_keeps_identity_and_excludes_the_dropped_measure_with_its_reports():
    before = import_original()
    exchange = before["Обмен делегациями школьников."]
    booklet = before["Издание буклета о городе."]
    ProgressReportFactory(measure=booklet)

    summary = plan_import(data=AMENDED.encode(), act=ACT)

    exchange.refresh_from_db()
    assert (exchange.code, exchange.text) == ("1.1", "Обмен делегациями школьников и студентов.")
    booklet.refresh_from_db()
    assert booklet.excluded_on == ACT.date
    assert booklet.excluded_by == summary.revision
    assert booklet.reports.count() == 1
    forum = before["Проведение ежегодного форума городов-побратимов."]
    forum.refresh_from_db()
    assert forum.code == "1.2"
    portal = Measure.objects.get(text="Создание инвестиционного портала.")
    assert portal.in_force_from == ACT.date and portal.code == "1.3"
    revision = summary.revision
    assert (revision.role, revision.act.number, revision.effective_date) == (
        PlanRevision.Role.AMENDMENT,
        "123",
        ACT.date,
    )


def test_a_dropped_measure_without_records_is_excluded_not_deleted_under_an_act():
    before = import_original()

    plan_import(data=AMENDED.encode(), act=ACT)

    booklet = Measure.objects.get(pk=before["Издание буклета о городе."].pk)
    assert booklet.excluded_on == ACT.date


def test_the_same_revision_twice_changes_nothing():
    import_original()
    plan_import(data=AMENDED.encode(), act=ACT)
    state = list(
        Measure.objects.order_by("pk").values_list("pk", "group", "number", "text", "updated_at")
    )
    counts = (
        MeasureWording.objects.count(),
        PlanRevision.objects.count(),
        LegalAct.objects.count(),
    )
    history = Measure.history.count()

    summary = plan_import(data=AMENDED.encode(), act=ACT)

    assert not summary.changed and summary.changes == []
    assert (
        list(
            Measure.objects.order_by("pk").values_list(
                "pk", "group", "number", "text", "updated_at"
            )
        )
        == state
    )
    assert (
        MeasureWording.objects.count(),
        PlanRevision.objects.count(),
        LegalAct.objects.count(),
    ) == counts
    assert Measure.history.count() == history


def test_the_wording_in_force_on_a_date():
    before = import_original()
    exchange = before["Обмен делегациями школьников."]
    plan_import(data=AMENDED.encode(), act=ACT)

    wordings = measure_text_on([exchange.pk], datetime.date(2016, 2, 29))
    assert wordings[exchange.pk] == "Обмен делегациями школьников."
    wordings = measure_text_on([exchange.pk], ACT.date)
    assert wordings[exchange.pk] == "Обмен делегациями школьников и студентов."
    section = Section.objects.get()
    on_the_eve = Measure.objects.filter(section=section).in_force_on(datetime.date(2016, 2, 29))
    on_the_day = Measure.objects.filter(section=section).in_force_on(ACT.date)
    assert "Издание буклета о городе." in {m.text for m in on_the_eve}
    assert "Создание инвестиционного портала." not in {m.text for m in on_the_eve}
    assert {m.text for m in on_the_day} == {
        "Обмен делегациями школьников и студентов.",
        "Проведение ежегодного форума городов-побратимов.",
        "Создание инвестиционного портала.",
    }


def test_a_text_without_an_act_is_a_correction_recorded_as_such():
    before = import_original()
    exchange = before["Обмен делегациями школьников."]
    corrected = ORIGINAL.replace("Обмен делегациями школьников.", "Обмен делегациями школьников!")

    summary = plan_import(data=corrected.encode())

    exchange.refresh_from_db()
    assert exchange.text == "Обмен делегациями школьников!"
    assert summary.revision.role == PlanRevision.Role.CORRECTION and summary.revision.act is None
    # A correction fixes the wording itself: no earlier wording is kept.
    assert list(exchange.wordings.values_list("text", flat=True)) == [
        "Обмен делегациями школьников!"
    ]


def test_the_user_can_correct_the_matching_in_the_preview():
    before = import_original()
    booklet = before["Издание буклета о городе."]

    # The user says the investment portal is the booklet reworded, not a new measure.
    summary = plan_import(data=AMENDED.encode(), act=ACT, matching={"1.1": {(1, 3): booklet.pk}})

    booklet.refresh_from_db()
    assert booklet.text == "Создание инвестиционного портала." and booklet.excluded_on is None
    assert summary.matches["1.1"][(1, 3)].how == "chosen"


def test_the_command_imports_under_an_act(tmp_path, capsys):
    import_original()
    path = tmp_path / "amended.txt"
    path.write_text(AMENDED, encoding="utf-8")

    call_command(
        "import_plan", str(path), "--act-number", "123", "--act-date", "2016-03-01",
        "--act-title", "О внесении изменений", "--act-kind", "administration_decree",
    )  # fmt: skip

    act = LegalAct.objects.get(number="123")
    assert act.kind == LegalAct.Kind.ADMINISTRATION_DECREE
    assert "123" in capsys.readouterr().out


def test_the_command_refuses_a_bad_act_date(tmp_path):
    path = tmp_path / "amended.txt"
    path.write_text(AMENDED, encoding="utf-8")

    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command(
            "import_plan",
            str(path),
            "--act-number",
            "1",
            "--act-date",
            "1.3.2016",
            "--act-title",
            "О",
        )
    assert not LegalAct.objects.exists()


# --- matching and the word diff on their own ----------------------------------------------


def test_matching_prefers_the_same_text_then_the_number_then_similarity():
    existing = [
        (1, 1, 1, "Проведение форума городов."),
        (2, 1, 2, "Обмен делегациями."),
        (3, 1, 3, "Издание буклета."),
    ]
    parsed = [
        (1, 1, "Обмен делегациями."),  # moved
        (1, 2, "Проведение ежегодного форума городов."),  # reworded and moved
        (1, 3, "Совсем другое мероприятие."),  # new: the booklet is dropped
    ]

    matches = match_measures(existing, parsed)

    assert {key: (m.measure_id, m.how) for key, m in matches.items()} == {
        (1, 1): (2, "text"),
        (1, 2): (1, "similar"),
        (1, 3): (None, "new"),
    }


def test_word_diff():
    assert word_diff(
        "Обмен делегациями школьников.", "Обмен делегациями школьников и студентов."
    ) == [
        ("same", "Обмен делегациями"),
        ("removed", "школьников."),
        ("added", "школьников и студентов."),
    ]
