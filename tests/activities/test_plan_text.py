"""The plan text parser: the seed, the variants real texts come in, and what it refuses."""

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from activities.plan_text import ParsedItem, PlanTextError, decode_plan_text, parse_plan_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data/plans/khabarovsk-2020-section-6.4.2.txt"

TOURISM = """\
6.4.3. Концепция проекта Развитие туризма

Хабаровск станет центром туризма на Дальнем Востоке.

Цель

Рост туристического потока в город.

Задачи

1. Развитие туристической инфраструктуры.

2. Продвижение города на рынке туризма.

Мероприятия

1. Строительство гостиниц.

2. Участие в туристических выставках.

1. Проведение фестивалей.

Ожидаемые результаты

- Рост числа туристов.

- Рост доходов от туризма.
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def shape(text):
    """The section read from text, without line numbers, which the variants shift."""
    plan = parse_plan_text(text)
    assert len(plan.sections) == 1
    section = plan.sections[0]
    items = [(item.number, item.text, item.group) for item in section.tasks + section.measures]
    return (
        section.number,
        section.kind,
        section.title,
        section.vision,
        section.goals,
        items,
        section.expected_results,
    )


def refusal(data, **kwargs):
    with pytest.raises(PlanTextError) as caught:
        parse_plan_text(data, **kwargs)
    return caught.value


def test_it_reads_the_seed():
    plan = parse_plan_text(SEED.read_bytes())

    assert plan.status == "repealed"
    assert plan.repealed_on == datetime.date(2017, 1, 31)
    assert plan.title == (
        "Об утверждении Стратегического плана устойчивого развития города Хабаровска до 2020 года"
    )
    assert plan.horizon_year == 2020
    [section] = plan.sections
    assert (section.number, section.line) == ("6.4.2", 5)
    assert section.kind == "Концепция проекта"
    assert section.title == "Расширение региональных, федеральных и международных связей"
    assert section.vision.startswith("Город Хабаровск будет интегрирован в региональные")
    assert section.vision.endswith("среди субъектов Российской Федерации.")
    assert "\n" not in section.vision
    assert section.goals == (
        "Расширение и укрепление региональных, межрегиональных и международных связей города.",
    )
    assert [(task.number, task.line) for task in section.tasks] == [(1, 15), (2, 17)]
    assert section.tasks[1].text == (
        "Участие города в краевых, межрегиональных и международных проектах и мероприятиях."
    )
    assert [(measure.group, measure.number) for measure in section.measures] == [
        (1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3),
    ]  # fmt: skip
    assert section.measures[4] == ParsedItem(
        number=1,
        text=(
            "Содействие участию хабаровских ученых, преподавателей и студентов вузов, "
            "предпринимателей во всероссийских и международных выставках, конференциях, "
            "семинарах, форумах, обмен опытом в процессе стажировки в других российских городах "
            "и зарубежных странах."
        ),
        line=29,
        group=2,
    )
    assert len(section.expected_results) == 5
    assert section.expected_results[0] == (
        "Увеличение количества заключенных соглашений о межрегиональном и международном "
        "сотрудничестве."
    )
    assert section.expected_results[-1] == (
        "Увеличение количества принятых делегаций из других регионов и стран."
    )


def test_it_reads_a_section_with_its_line_numbers():
    [section] = parse_plan_text(TOURISM).sections

    assert section.line == 1
    assert section.tasks == (
        ParsedItem(number=1, text="Развитие туристической инфраструктуры.", line=11),
        ParsedItem(number=2, text="Продвижение города на рынке туризма.", line=13),
    )
    assert [(m.number, m.group, m.line) for m in section.measures] == [
        (1, 1, 17),
        (2, 1, 19),
        (1, 2, 21),
    ]
    assert section.expected_results == ("Рост числа туристов.", "Рост доходов от туризма.")


def no_blank_lines(text):
    return "\n".join(line for line in text.splitlines() if line)


VARIANTS = {
    "numbers with a parenthesis": TOURISM.replace("1. ", "1) ").replace("2. ", "2) "),
    "headings with a colon": TOURISM.replace("Цель\n", "Цель:\n").replace("Задачи\n", "Задачи:\n"),
    "headings in capitals": TOURISM.replace("Мероприятия", "МЕРОПРИЯТИЯ").replace("Цель", "ЦЕЛЬ"),
    "other accepted heading words": TOURISM.replace("Цель\n", "Цель проекта\n").replace(
        "Мероприятия", "Основные мероприятия"
    ),
    "a heading broken over two lines": TOURISM.replace("Ожидаемые ", "Ожидаемые\n"),
    "a heading broken around a blank line": TOURISM.replace("Ожидаемые ", "Ожидаемые\n\n"),
    "a broken heading with a colon": TOURISM.replace("Ожидаемые ", "Ожидаемые\n").replace(
        "результаты\n", "результаты:\n"
    ),
    "a goal on its heading's line": TOURISM.replace("Цель\n\n", "Цель: "),
    "bullets •": TOURISM.replace("- ", "• "),
    "bullets –": TOURISM.replace("- ", "– "),
    "bullets without a space": TOURISM.replace("- ", "—"),
    "CRLF line ends": TOURISM.replace("\n", "\r\n"),
    "lone CR line ends": TOURISM.replace("\n", "\r"),
    "irregular spaces, tabs and non-breaking spaces": TOURISM.replace(" ", "  \t")
    .replace("Цель\n", "\u00a0Цель\u00a0\n")
    .replace("1. ", "\t1.\u00a0"),
    "no blank lines at all": no_blank_lines(TOURISM),
    "UTF-8 with a BOM": "\ufeff".encode() + TOURISM.encode(),
    "Windows-1251": TOURISM.encode("cp1251"),
    "UTF-16 from Word": TOURISM.encode("utf-16"),
    "a str with a BOM": "\ufeff" + TOURISM,
}


@pytest.mark.parametrize("text", VARIANTS.values(), ids=VARIANTS.keys())
def test_it_reads_the_variants_real_texts_come_in(text):
    assert shape(text) == shape(TOURISM)


@pytest.mark.parametrize(
    "data",
    [TOURISM.encode("cp1251"), TOURISM.encode("utf-16"), "\ufeff".encode() + TOURISM.encode()],
    ids=["Windows-1251", "UTF-16", "UTF-8 with a BOM"],
)
def test_it_decodes_the_text_for_keeping(data):
    assert decode_plan_text(data) == TOURISM


def test_it_joins_text_that_continues_on_the_next_lines():
    text = TOURISM.replace(
        "Хабаровск станет центром туризма на Дальнем Востоке.",
        "Хабаровск станет центром\nтуризма на Дальнем Востоке.\n\nВторой абзац.",
    ).replace("1. Строительство гостиниц.", "1. Строительство\nгостиниц\n\nи хостелов.")

    [section] = parse_plan_text(text).sections

    assert section.vision == "Хабаровск станет центром туризма на Дальнем Востоке.\n\nВторой абзац."
    assert section.measures[0].text == "Строительство гостиниц и хостелов."
    assert section.measures[1].number == 2


def test_it_keeps_a_measures_own_bullets_in_its_text():
    text = TOURISM.replace(
        "1. Строительство гостиниц.", "1. Строительство:\n- гостиниц;\n- хостелов."
    )

    [section] = parse_plan_text(text).sections

    assert section.measures[0].text == "Строительство: - гостиниц; - хостелов."


@pytest.mark.parametrize(
    "goals",
    [
        "- Рост турпотока.\n- Рост доходов.",
        "• Рост турпотока.\n\n• Рост доходов.",
        "1) Рост турпотока.\n2) Рост доходов.",
        "Рост турпотока.\n\nРост доходов.",
    ],
    ids=["dashes", "bullets", "numbers", "paragraphs"],
)
def test_it_reads_several_goals(goals):
    text = TOURISM.replace("Рост туристического потока в город.", goals)

    [section] = parse_plan_text(text).sections

    assert section.goals == ("Рост турпотока.", "Рост доходов.")


def test_it_reads_several_sections():
    second = TOURISM.replace("6.4.3. Концепция проекта Развитие туризма", "6.5 Событийный туризм")
    plan = parse_plan_text(TOURISM + "\n" + second)

    assert [(s.number, s.kind, s.title, s.line) for s in plan.sections] == [
        ("6.4.3", "Концепция проекта", "Развитие туризма", 1),
        ("6.5", "", "Событийный туризм", 29),
    ]
    assert plan.sections[1].tasks[0].line == 39


@pytest.mark.parametrize(
    "line",
    ["1. Строительство гостиниц.", "3) Строительство гостиниц.", "1.5 млн рублей на гостиницы."],
)
def test_it_does_not_take_numbered_text_for_a_section(line):
    text = TOURISM.replace("2. Участие в туристических выставках.", f"2. Участие.\n{line}")

    plan = parse_plan_text(text)

    assert [section.number for section in plan.sections] == ["6.4.3"]


@pytest.mark.parametrize(
    ("heading", "kind", "title"),
    [
        ("6.4.4. КОНЦЕПЦИЯ ПРОЕКТА: «Открытый город»", "Концепция проекта", "Открытый город"),
        ("6.4.4 Концепция проекта — Открытый город", "Концепция проекта", "Открытый город"),
        ("6.4.4. Открытый город", "", "Открытый город"),
    ],
)
def test_it_splits_the_kind_from_the_title(heading, kind, title):
    [section] = parse_plan_text(
        TOURISM.replace("6.4.3. Концепция проекта Развитие туризма", heading)
    ).sections

    assert (section.number, section.kind, section.title) == ("6.4.4", kind, title)


def test_it_reads_a_text_without_status_or_repeal_note():
    plan = parse_plan_text(TOURISM)

    assert (plan.status, plan.repealed_on, plan.title, plan.horizon_year) == ("", None, "", None)


@pytest.mark.parametrize(
    ("preamble", "status", "repealed_on", "horizon"),
    [
        ("Действующий\n\nОб утверждении плана до 2030 г.", "in_force", None, 2030),
        (
            "НЕДЕЙСТВУЮЩИЙ\nОб утверждении плана (утратил силу с 1 марта 2019 года)",
            "repealed",
            datetime.date(2019, 3, 1),
            None,
        ),
        (
            "Недействующий\n\nОб утверждении плана до 2020 года\n(утратило силу с 31.01.2017)",
            "repealed",
            datetime.date(2017, 1, 31),
            2020,
        ),
    ],
)
def test_it_reads_the_status_and_repeal_date(preamble, status, repealed_on, horizon):
    plan = parse_plan_text(f"{preamble}\n\n{TOURISM}")

    assert (plan.status, plan.repealed_on, plan.horizon_year) == (status, repealed_on, horizon)
    assert plan.title.startswith("Об утверждении плана")
    assert "утратил" not in plan.title


def test_the_message_names_the_file_the_line_and_the_expectation():
    error = refusal(TOURISM.replace("2. Продвижение", "3. Продвижение"), source_name="plan.txt")

    assert (error.line, error.source_name) == (13, "plan.txt")
    assert str(error) == (
        "plan.txt, line 13: expected item number 2 under the heading “Tasks” "
        "of section 6.4.3, found “3. Продвижение города на рынке туризма.”."
    )


def cut(start, stop=None):
    """The sample without its lines from the one that starts with start to the one with stop."""
    return TOURISM[: TOURISM.index(start)] + (TOURISM[TOURISM.index(stop) :] if stop else "")


REFUSALS = {
    "an empty file": (b"", None, "the file is empty"),
    "only whitespace": ("  \n\t\r\n\u00a0\n", None, "the file is empty"),
    "only a BOM": (b"\xef\xbb\xbf\r\n", None, "the file is empty"),
    "a PNG image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "not plain text"),
    "a ZIP archive": (b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 40, None, "not plain text"),
    "NUL bytes": (TOURISM.encode() + b"\x00", None, "not plain text"),
    "control characters": (bytes(range(1, 9)) * 10, None, "not plain text"),
    "bytes that are neither UTF-8 nor cp1251": (b"\x98" * 10, None, "not plain text"),
    "no section": ("Недействующий\n\nПросто текст.\n1. Пункт.", None, "no section like"),
    "a missing goal": (
        cut("Цель", "Задачи"),
        5,
        "expected the heading “Goal” in section 6.4.3, found “Tasks”",
    ),
    "missing tasks": (
        cut("Задачи", "Мероприятия"),
        9,
        "expected the heading “Tasks” in section 6.4.3, found “Measures”",
    ),
    "missing measures": (
        cut("Мероприятия", "Ожидаемые"),
        15,
        "expected the heading “Measures” in section 6.4.3, found “Expected results”",
    ),
    "a truncated text that stops after the measures": (
        cut("Ожидаемые"),
        21,
        "section 6.4.3 ends here, but the heading “Expected results” was expected",
    ),
    "a section with no blocks before the next section": (
        "6.4.2. Концепция проекта Связи\n\nВидение.\n\n" + TOURISM,
        3,
        "section 6.4.2 ends here, but the heading “Goal” was expected",
    ),
    "a heading with nothing under it": (
        cut("1. Развитие", "Мероприятия"),
        9,
        "nothing under the heading “Tasks” of section 6.4.3",
    ),
    "a last heading with nothing under it": (
        cut("- Рост"),
        23,
        "nothing under the heading “Expected results” of section 6.4.3",
    ),
    "a skipped number": (
        TOURISM.replace("1. Проведение", "4. Проведение"),
        21,
        "expected item number 3 under the heading “Measures” of section 6.4.3, found “4. Прове",
    ),
    "numbering that does not start at 1": (
        TOURISM.replace("1. Развитие", "2. Развитие"),
        11,
        "expected item number 1 under the heading “Tasks”",
    ),
    "restarted task numbering": (
        TOURISM.replace("2. Продвижение", "1. Продвижение"),
        13,
        "expected item number 2 under the heading “Tasks”",
    ),
    "an unnumbered task": (
        TOURISM.replace("1. Развитие", "Развитие"),
        11,
        "expected item number 1 under the heading “Tasks” of section 6.4.3, found “Развитие",
    ),
    "a repeated heading": (
        TOURISM.replace("Ожидаемые результаты", "Мероприятия"),
        23,
        "the heading “Measures” is repeated in section 6.4.3",
    ),
    "an item without text": (
        TOURISM.replace("2. Участие в туристических выставках.", "2."),
        19,
        "item 2 under the heading “Measures” of section 6.4.3 has no text",
    ),
    "duplicate sections": (TOURISM + TOURISM, 28, "section 6.4.3 appears twice"),
    "an impossible repeal date": (
        "Об утверждении плана (утратило силу с 31 февраля 2017 года)\n\n" + TOURISM,
        1,
        "“31 февраля 2017 года” is not a valid repeal date",
    ),
}


@pytest.mark.parametrize(("data", "line", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_it_refuses_what_it_cannot_read(data, line, message):
    error = refusal(data, source_name="plan.txt")

    assert error.line == line
    assert message in str(error)
    assert str(error).startswith("plan.txt, line " if line else "plan.txt: ")
    assert str(error).endswith(".")


def test_it_refuses_binary_input_without_a_file_name():
    error = refusal(b"\x89PNG\r\n\x1a\n\x00\x00")

    assert str(error).startswith("The file is not plain text")


def numbered(count, word):
    return "\n".join(f"{number}. {word} {number}." for number in range(1, count + 1))


def test_it_reads_item_numbers_above_999():
    """Numbers of four digits once ran into the item before them: 1,500 measures were read as
    999, the last holding the text of the other 501."""
    text = TOURISM.replace(
        "1. Строительство гостиниц.\n\n2. Участие в туристических выставках.\n\n"
        "1. Проведение фестивалей.",
        numbered(1500, "Мероприятие"),
    ).replace(
        "1. Развитие туристической инфраструктуры.\n\n2. Продвижение города на рынке туризма.",
        numbered(1200, "Задача"),
    )

    section = parse_plan_text(text).sections[0]

    assert [item.number for item in section.measures] == list(range(1, 1501))
    assert [item.number for item in section.tasks] == list(range(1, 1201))
    assert section.measures[999] == ParsedItem(1000, "Мероприятие 1000.", 1213 + 1000, 1)
    assert section.measures[-1].text == "Мероприятие 1500."


def test_it_refuses_an_item_number_too_large_to_keep():
    error = refusal(TOURISM.replace("1. Развитие", "40000. Развитие"), source_name="plan.txt")

    assert error.line == 11
    assert "item number 40000 under the heading “Tasks” of section 6.4.3 is too large" in str(error)
