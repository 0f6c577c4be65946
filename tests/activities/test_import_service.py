from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import ExpectedResult, Goal, Measure, Section, StrategicPlan, Task
from activities.plan_text import PlanTextError
from activities.services import plan_import
from tests.factories import DepartmentFactory

SEED = Path(__file__).resolve().parents[2] / "data" / "plans" / "khabarovsk-2020-section-6.4.2.txt"
PLAN_MODELS = [StrategicPlan, Section, Goal, Task, Measure, ExpectedResult]

TWO_SECTIONS = """Действующий

Об утверждении стратегии развития города до 2030 года

1.1. Концепция проекта Чистый город

Город станет чище.

Цель:
Снижение загрязнения.

Задачи:
1) Модернизация очистных сооружений.

Мероприятия:
1) Реконструкция очистных сооружений.
2) Строительство полигона.

Ожидаемые результаты:
• Снижение выбросов.

1.2. Концепция проекта Зелёный город

Больше парков.

Цель
Озеленение.

Задачи
1. Создание парков.

Мероприятия
1. Разбивка парка.

Ожидаемые результаты
- Рост площади парков.
"""


def row_counts():
    return {model.__name__: model.objects.count() for model in PLAN_MODELS}


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.mark.django_db
def test_it_imports_the_seed_to_the_exact_counts(seed_bytes):
    summary = plan_import(data=seed_bytes, source_name=SEED.name)

    plan = summary.plan
    assert plan.status == StrategicPlan.Status.REPEALED
    assert str(plan.repealed_on) == "2017-01-31"
    assert plan.title.startswith("Об утверждении Стратегического плана")
    assert plan.horizon_year == 2020
    section = plan.sections.get()
    assert section.number == "6.4.2"
    assert section.title == "Расширение региональных, федеральных и международных связей"
    assert section.vision.startswith("Город Хабаровск будет интегрирован")
    assert section.goals.count() == 1
    assert section.tasks.count() == 2
    assert section.expected_results.count() == 5
    groups = list(section.measures.values_list("group", "number"))
    assert groups == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3)]


@pytest.mark.django_db
def test_it_links_each_group_of_measures_to_its_task(seed_bytes):
    section = plan_import(data=seed_bytes).plan.sections.get()

    for measure in section.measures.prefetch_related("tasks"):
        assert [task.number for task in measure.tasks.all()] == [measure.group]


@pytest.mark.django_db
def test_a_second_import_changes_nothing(seed_bytes):
    plan_import(data=seed_bytes)
    before = row_counts()
    stamps = list(Measure.objects.order_by("pk").values_list("pk", "updated_at"))
    history = Measure.history.count()

    summary = plan_import(data=seed_bytes)

    assert not summary.changed
    assert row_counts() == before
    assert list(Measure.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert Measure.history.count() == history


@pytest.mark.django_db
def test_an_edited_text_updates_in_place(seed_bytes):
    plan_import(data=seed_bytes)
    measure = Measure.objects.get(group=2, number=3)
    edited = seed_bytes.decode().replace(
        "Создание условий для привлечения иностранных инвестиций",
        "Создание благоприятных условий для привлечения иностранных инвестиций",
    )

    summary = plan_import(data=edited)

    measure.refresh_from_db()
    assert measure.text.startswith("Создание благоприятных условий")
    assert summary.updated[Measure] == 1
    assert Measure.objects.count() == 7


@pytest.mark.django_db
def test_it_keeps_a_removed_measure_that_has_history_but_drops_an_untouched_one(seed_bytes):
    plan_import(data=seed_bytes)
    edited_measure = Measure.objects.get(group=2, number=3)
    edited_measure.department = DepartmentFactory()
    edited_measure.save()  # a second history record: an official has worked on it
    text = seed_bytes.decode()
    without_last_two = text.replace(
        "\n\n3. Создание условий для привлечения иностранных инвестиций в экономику города.", ""
    ).replace(
        "\n\n4. Реализация Программы сотрудничества между регионами Дальнего Востока и Восточной "
        "Сибири Российской Федерации и Северо-Востока Китайской Народной Республики (мероприятия, "
        "реализуемые на территории города Хабаровска).",
        "",
    )
    assert without_last_two != text

    summary = plan_import(data=without_last_two)

    assert Measure.objects.filter(pk=edited_measure.pk).exists()
    assert not Measure.objects.filter(group=1, number=4).exists()
    assert summary.kept == [edited_measure]
    assert summary.deleted[Measure] == 1


@pytest.mark.django_db
def test_it_imports_several_sections_from_one_file():
    summary = plan_import(data=TWO_SECTIONS.replace("\n", "\r\n").encode(), plan_title="Стратегия")

    plan = summary.plan
    assert plan.title == "Стратегия"
    assert plan.status == StrategicPlan.Status.IN_FORCE
    assert plan.repealed_on is None
    assert list(plan.sections.values_list("number", flat=True)) == ["1.1", "1.2"]
    assert plan.sections.get(number="1.1").measures.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\n  ",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "Просто письмо без разделов.".encode(),
        TWO_SECTIONS.split("Ожидаемые результаты:")[0].encode(),
    ],
    ids=["empty", "blank", "binary", "no-section", "truncated"],
)
def test_refused_input_writes_nothing(data):
    with pytest.raises(PlanTextError):
        plan_import(data=data, source_name="upload.txt")

    assert all(count == 0 for count in row_counts().values())


@pytest.mark.django_db
def test_a_refusal_after_valid_sections_rolls_back_the_whole_file():
    broken = TWO_SECTIONS.replace("Мероприятия\n1. Разбивка парка.\n", "")

    with pytest.raises(PlanTextError, match="1.2"):
        plan_import(data=broken.encode())

    assert all(count == 0 for count in row_counts().values())


@pytest.mark.django_db
def test_the_command_imports_and_reports(capsys):
    call_command("import_plan", str(SEED))

    assert Measure.objects.count() == 7
    assert "6.4.2" in Section.objects.get().number


@pytest.mark.django_db
def test_the_command_fails_with_the_line_and_expectation(tmp_path):
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes(SEED.read_bytes().split("Ожидаемые".encode())[0])

    with pytest.raises(CommandError, match=r"truncated\.txt.*(строка|line) \d+"):
        call_command("import_plan", str(truncated))
    assert StrategicPlan.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="missing.txt"):
        call_command("import_plan", str(tmp_path / "missing.txt"))
