"""Causes of deviation and corrective actions (issue 18, step 5): a head records the cause
(internal or external, its kind, a text) and corrective actions of a year at risk or not
achieved; they appear in the annual report (page, XLSX, Word) and are tracked to done on the
dashboards."""

import datetime
from decimal import Decimal
from io import BytesIO

import docx
import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import Cause, CorrectiveAction, ReasonForDeviation
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db
D = datetime.date
REPORT = reverse("dashboards:annual_report", args=[YEAR])
GOOD_ACTION = {
    "text": "Провести переговоры с новыми партнёрами.",
    "responsible": "Петров П. П.",
    "responsible_position": "заместитель начальника управления",
    "due_on": "2016-06-30",
    "status": "planned",
}


def frozen(day):
    """Time stands at noon (Khabarovsk) of ``day``."""
    moment = datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


def cause_url(indicator, year=YEAR):
    return reverse("dashboards:reason_for_deviation_save", args=[year, indicator.pk])


def action_url(indicator, year=YEAR):
    return reverse("dashboards:corrective_action_add", args=[year, indicator.pk])


def done_url(action):
    return reverse("dashboards:corrective_action_done", args=[action.pk])


@pytest.fixture
def not_achieved(small_plan):
    return small_plan["indicators"][2]  # I3, of `department`: 0.50


@pytest.fixture
def achieved(small_plan):
    return small_plan["indicators"][0]  # I1: 1.20


@pytest.fixture
def cause(not_achieved, head):
    return ReasonForDeviation.objects.create(
        indicator=not_achieved,
        year=YEAR,
        cause=Cause.EXTERNAL_PARTNERS,
        text="Партнёр отказался от визита.",
        author=head,
    )


def make_action(cause, author, **fields):
    values = {
        "reason": cause,
        "text": "Найти нового партнёра.",
        "responsible": "Сидорова А. В.",
        "responsible_position": "начальник отдела",
        "due_on": D(2016, 3, 1),
        "author": author,
    }
    return CorrectiveAction.objects.create(**(values | fields))


# --- the cause -----------------------------------------------------------------------------------


def test_the_head_records_the_kind_and_text_of_the_cause(client_for, head, not_achieved):
    response = client_for(head).post(
        cause_url(not_achieved), {"cause": "external_sanctions", "text": "Ограничения."}
    )

    assert response.status_code == 302
    reason = ReasonForDeviation.objects.get()
    assert (reason.cause, reason.cause_group, reason.text) == (
        "external_sanctions",
        "external",
        "Ограничения.",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Без вида причины."}, "Выберите вид причины из списка."),
        ({"cause": "unspecified", "text": "Не указано."}, "Выберите вид причины из списка."),
        ({"cause": "weather", "text": "Неизвестный вид."}, "Выберите вид причины из списка."),
    ],
)
def test_a_cause_without_a_valid_kind_is_refused(client_for, head, not_achieved, data, message):
    response = client_for(head).post(cause_url(not_achieved), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReasonForDeviation.objects.exists()


@pytest.mark.parametrize("index", [0, 3])  # I1 achieved, I4 without an approved value
def test_no_cause_for_a_year_neither_at_risk_nor_missed(client_for, head, small_plan, index):
    indicator = small_plan["indicators"][index]

    response = client_for(head).post(
        cause_url(indicator), {"cause": "internal_staff", "text": "Нехватка кадров."}
    )

    assert response.status_code == 400
    assert "только за год, в котором показатель под угрозой" in response.content.decode()
    assert not ReasonForDeviation.objects.exists()


def test_an_at_risk_year_takes_a_cause(client_for, head, small_plan):
    at_risk = small_plan["indicators"][1]  # I2: 0.95

    response = client_for(head).post(
        cause_url(at_risk), {"cause": "internal_staff", "text": "Нехватка кадров."}
    )

    assert response.status_code == 302
    assert ReasonForDeviation.objects.get().indicator == at_risk


def test_the_forecast_at_risk_opens_the_year_under_way(client_for, head, department):
    """The year under way: no approved yearly value, but the forecast from the quarters misses
    the target (20 in two quarters → 40 against 100)."""
    indicator = IndicatorFactory(department=department, code="T1")
    TargetFactory(indicator=indicator, year=2026, value=Decimal(100))
    for quarter in (1, 2):
        IndicatorValueFactory(indicator=indicator, year=2026, quarter=quarter, value=Decimal(10))

    with frozen(D(2026, 7, 10)):
        response = client_for(head).post(
            cause_url(indicator, 2026), {"cause": "external_economy", "text": "Спад."}
        )

    assert response.status_code == 302
    assert ReasonForDeviation.objects.get().year == 2026


# --- corrective actions ---------------------------------------------------------------------------


def test_the_head_adds_a_corrective_action(client_for, head, cause, not_achieved):
    response = client_for(head).post(action_url(not_achieved), GOOD_ACTION)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#indicator-{not_achieved.pk}")
    action = CorrectiveAction.objects.get()
    assert (action.reason, action.text, action.responsible, action.due_on, action.status) == (
        cause,
        GOOD_ACTION["text"],
        "Петров П. П.",
        D(2016, 6, 30),
        "planned",
    )
    assert action.responsible_position == "заместитель начальника управления"
    assert action.done_on is None and action.author == head
    assert action.history.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": ""}, "Опишите корректирующее мероприятие."),
        ({"text": "   "}, "Опишите корректирующее мероприятие."),
        ({"responsible": ""}, "Укажите ответственное лицо."),
        ({"due_on": ""}, "Укажите срок исполнения."),
        ({"due_on": "31.02.2016"}, "Введите срок исполнения в виде ДД.ММ.ГГГГ."),
        ({"due_on": "2305-01-01"}, "Срок исполнения должен быть в пределах с 01.01.2015 по"),
        ({"due_on": "2014-12-31"}, "Срок исполнения должен быть в пределах с 01.01.2015 по"),
        ({"status": "done"}, "Новое мероприятие может быть только запланированным"),
    ],
)
def test_bad_action_input_is_refused_and_nothing_is_written(
    client_for, head, cause, not_achieved, change, message
):
    response = client_for(head).post(action_url(not_achieved), GOOD_ACTION | change)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_no_action_before_the_cause(client_for, head, not_achieved):
    response = client_for(head).post(action_url(not_achieved), GOOD_ACTION)

    assert response.status_code == 400
    assert "Сначала укажите причину отклонения" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_no_action_for_an_achieved_year(client_for, head, achieved):
    """A reason written before the rule (an old row) does not open an achieved year."""
    ReasonForDeviation.objects.create(indicator=achieved, year=YEAR, text="Старое.", author=head)

    response = client_for(head).post(action_url(achieved), GOOD_ACTION)

    assert response.status_code == 400
    assert "только за год, в котором показатель под угрозой" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_a_closed_year_takes_no_action(client_for, head, cause, not_achieved):
    from activities.models import ReportingYear

    ReportingYear.objects.create(year=YEAR, locked=True)

    response = client_for(head).post(action_url(not_achieved), GOOD_ACTION)

    assert response.status_code == 400
    assert f"Отчётный год {YEAR} закрыт для изменений" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


@pytest.mark.parametrize("role", ["editor", "other_head", "viewer", "other_editor"])
def test_only_the_departments_head_adds_actions(request, client_for, cause, not_achieved, role):
    response = client_for(request.getfixturevalue(role)).post(action_url(not_achieved), GOOD_ACTION)

    assert response.status_code == 403
    assert not CorrectiveAction.objects.exists()


def test_an_api_client_and_an_anonymous_user_add_nothing(
    client, client_for, api_client_user, cause, not_achieved
):
    anonymous = client.post(action_url(not_achieved), GOOD_ACTION)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    api = client_for(api_client_user).post(action_url(not_achieved), GOOD_ACTION)
    assert api.status_code == 403
    assert not CorrectiveAction.objects.exists()


def test_get_is_not_allowed(client_for, head, cause, not_achieved):
    assert client_for(head).get(action_url(not_achieved)).status_code == 405


# --- marking done ---------------------------------------------------------------------------------


def test_the_head_marks_an_action_done_and_history_keeps_it(client_for, head, cause):
    action = make_action(cause, head)
    section_page = reverse(
        "dashboards:section_dashboard", args=[cause.indicator.expected_result.section.pk]
    )

    with frozen(D(2016, 2, 20)):
        response = client_for(head).post(done_url(action), {"next": section_page})

    assert response.status_code == 302 and response["Location"] == section_page
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", D(2016, 2, 20))
    history = list(action.history.order_by("history_id"))
    assert [(h.status, h.history_user) for h in history] == [("planned", None), ("done", head)]


def test_a_done_day_can_be_given_but_not_in_the_future(client_for, head, cause):
    action = make_action(cause, head)
    client = client_for(head)

    with frozen(D(2016, 2, 20)):
        future = client.post(done_url(action), {"done_on": "2016-02-21"})
        before = client.post(done_url(action), {"done_on": "2014-12-31"})
        assert CorrectiveAction.objects.get().status == "planned"
        given = client.post(done_url(action), {"done_on": "2016-02-10"})

    assert future.status_code == before.status_code == 400
    assert "Дата исполнения не может быть в будущем." in future.content.decode()
    assert "Дата исполнения не может быть раньше 01.01.2015." in before.content.decode()
    assert given.status_code == 302
    assert CorrectiveAction.objects.get().done_on == D(2016, 2, 10)


def test_a_foreign_next_is_not_followed(client_for, head, cause):
    action = make_action(cause, head)

    response = client_for(head).post(done_url(action), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == f"{REPORT}#indicator-{cause.indicator_id}"


@pytest.mark.parametrize("role", ["editor", "other_head", "viewer", "other_editor"])
def test_only_the_departments_head_marks_done(request, client_for, head, cause, role):
    action = make_action(cause, head)

    response = client_for(request.getfixturevalue(role)).post(done_url(action))

    assert response.status_code == 403
    assert CorrectiveAction.objects.get().status == "planned"


def test_an_administrator_marks_done_an_anonymous_user_does_not(
    client, client_for, administrator, head, cause
):
    action = make_action(cause, head)

    anonymous = client.post(done_url(action))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert CorrectiveAction.objects.get().status == "planned"
    assert client_for(administrator).post(done_url(action)).status_code == 302
    assert CorrectiveAction.objects.get().status == "done"


def test_an_unknown_action_is_not_found(client_for, head):
    url = reverse("dashboards:corrective_action_done", args=[999999])
    assert client_for(head).post(url).status_code == 404


# --- the annual report ----------------------------------------------------------------------------


@pytest.fixture
def recorded(cause, head):
    make_action(cause, head, text="Найти нового партнёра.", due_on=D(2016, 3, 1))
    make_action(
        cause,
        head,
        text="Провести форум.",
        responsible="Иванов И. И.",
        responsible_position="",
        due_on=D(2016, 9, 1),
        status="done",
        done_on=D(2016, 8, 15),
    )
    return cause


def test_the_report_page_shows_the_cause_and_the_actions(client_for, viewer, recorded):
    html = client_for(viewer).get(REPORT).content.decode()
    row = html[html.index(f'id="indicator-{recorded.indicator_id}"') :]
    row = row[: row.index("</tr>")]

    assert "действия (бездействие) партнёров и контрагентов (внешние факторы)" in row
    assert "Партнёр отказался от визита." in row
    assert "Найти нового партнёра." in row and "Сидорова А. В., начальник отдела" in row
    assert "01.03.2016" in row and "запланировано" in row
    assert "Провести форум." in row and "выполнено 15.08.2016" in row
    assert "Отметить выполненным" not in row  # a viewer marks nothing


def test_the_xlsx_has_the_cause_and_a_sheet_of_actions(client_for, viewer, recorded):
    content = client_for(viewer).get(reverse("dashboards:annual_report_xlsx", args=[YEAR]))
    workbook = load_workbook(BytesIO(content.content))

    indicators = list(workbook["Показатели"].iter_rows(values_only=True))
    column = indicators[0].index("Вид причины")
    by_code = {row[1]: row for row in indicators[1:]}
    assert (
        by_code["I3"][column] == "действия (бездействие) партнёров и контрагентов (внешние факторы)"
    )
    assert by_code["I3"][11] == "Партнёр отказался от визита."
    assert by_code["I1"][column] is None

    rows = list(workbook["Корректирующие мероприятия"].iter_rows(values_only=True))
    assert rows[0] == (
        "Раздел",
        "Код",
        "Целевой показатель",
        "Вид причины",
        "Корректирующее мероприятие",
        "Ответственное лицо",
        "Должность",
        "Срок исполнения",
        "Статус",
        "Дата исполнения",
    )
    assert [row[1:] for row in rows[1:]] == [
        (
            "I3",
            recorded.indicator.name,
            "действия (бездействие) партнёров и контрагентов (внешние факторы)",
            "Найти нового партнёра.",
            "Сидорова А. В.",
            "начальник отдела",
            datetime.datetime(2016, 3, 1),
            "запланировано",
            None,
        ),
        (
            "I3",
            recorded.indicator.name,
            "действия (бездействие) партнёров и контрагентов (внешние факторы)",
            "Провести форум.",
            "Иванов И. И.",
            None,
            datetime.datetime(2016, 9, 1),
            "выполнено",
            datetime.datetime(2016, 8, 15),
        ),
    ]


def test_the_word_report_has_the_cause_and_the_actions(client_for, viewer, recorded):
    response = client_for(viewer).get(reverse("dashboards:annual_report_docx", args=[YEAR]))
    document = docx.Document(BytesIO(response.content))

    indicator_table = next(t for t in document.tables if t.rows[0].cells[0].text == "№")
    cells = {row.cells[1].text.split(" ", 1)[0]: row.cells for row in indicator_table.rows[1:]}
    assert cells["I3"][9].text == (
        "действия (бездействие) партнёров и контрагентов (внешние факторы). "
        "Партнёр отказался от визита."
    )
    actions = next(
        t for t in document.tables if t.rows[0].cells[1].text == "Корректирующее мероприятие"
    )
    assert [[cell.text for cell in row.cells] for row in actions.rows] == [
        ["Целевой показатель", "Корректирующее мероприятие", "Ответственное лицо"]
        + ["Срок исполнения", "Статус"],
        ["I3", "Найти нового партнёра.", "Сидорова А. В., начальник отдела"]
        + ["01.03.2016", "запланировано"],
        ["I3", "Провести форум.", "Иванов И. И.", "01.09.2016", "выполнено 15.08.2016"],
    ]
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert "Корректирующие мероприятия" in paragraphs  # the table's title


# --- tracked to done on the dashboards ------------------------------------------------------------


def panel(html):
    start = html.index('id="open-actions"')
    end = html.find('id="', html.index("</ul>", start))
    return html[start:end]


def test_an_overdue_action_is_on_the_dashboards_with_its_days(client_for, head, cause):
    overdue = make_action(cause, head, text="Просроченное мероприятие.", due_on=D(2016, 3, 1))
    soon = make_action(cause, head, text="Скоро срок.", due_on=D(2016, 3, 15))
    make_action(cause, head, text="Выполненное.", status="done", done_on=D(2016, 2, 1))
    section = cause.indicator.expected_result.section
    client = client_for(head)

    with frozen(D(2016, 3, 11)):
        home = panel(client.get(reverse("home"), {"year": YEAR}).content.decode())
        page = panel(
            client.get(
                reverse("dashboards:section_dashboard", args=[section.pk]), {"year": YEAR}
            ).content.decode()
        )

    for html in (home, page):
        assert 'id="open-actions-total" data-count="2"' in html
        assert 'id="open-actions-overdue" data-count="1"' in html
        overdue_item = html[html.index(f'data-action="{overdue.pk}"') :]
        assert 'data-standing="overdue"' in overdue_item[:80]
        assert 'data-days-overdue="10"' in overdue_item and "просрочено на 10 дней" in html
        soon_item = html[html.index(f'data-action="{soon.pk}"') :]
        assert 'data-days-left="4"' in soon_item and "осталось 4 дня" in soon_item
        assert "Выполненное." not in html
        assert f'data-mark-done="{overdue.pk}"' in html  # the head may mark it done
    assert html.index("Просроченное мероприятие.") < html.index("Скоро срок.")


def test_a_viewer_sees_the_open_actions_but_no_button(client_for, viewer, head, cause):
    action = make_action(cause, head)

    html = panel(client_for(viewer).get(reverse("home"), {"year": YEAR}).content.decode())

    assert f'data-action="{action.pk}"' in html
    assert "data-mark-done" not in html


def test_marked_done_from_the_dashboard_it_leaves_the_list(client_for, head, cause):
    action = make_action(cause, head)
    client = client_for(head)
    home = reverse("home") + f"?year={YEAR}"
    assert f'data-action="{action.pk}"' in panel(client.get(home).content.decode())

    response = client.post(done_url(action), {"next": home})
    assert response.status_code == 302 and response["Location"] == home

    html = client.get(home).content.decode()
    assert f'data-action="{action.pk}"' not in panel(html)
    assert "Корректирующее мероприятие отмечено как выполненное." in html


def test_the_home_dashboard_counts_the_forecast_at_risk_per_section(
    client_for, viewer, department, small_plan
):
    """This year's forecast: one indicator of section A at risk (40 against 100), one on track
    (linear 120 against 100)."""
    section_a = small_plan["sections"][0]
    expected_result = small_plan["indicators"][0].expected_result
    for code, quarter_value in (("R1", 10), ("R2", 30)):
        indicator = IndicatorFactory(
            department=department, code=code, expected_result=expected_result
        )
        TargetFactory(indicator=indicator, year=2026, value=Decimal(100))
        for quarter in (1, 2):
            IndicatorValueFactory(
                indicator=indicator, year=2026, quarter=quarter, value=Decimal(quarter_value)
            )
    client = client_for(viewer)

    with frozen(D(2026, 7, 10)):
        # Whichever year the page shows (the default: the last ended one), the forecast is of
        # the year under way.
        html = client.get(reverse("home")).content.decode()
    with frozen(D(2027, 3, 1)):
        next_year = client.get(reverse("home"), {"year": 2026}).content.decode()

    row = html[html.index(f'data-section="{section_a.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-forecast-at-risk="1"' in row and "1 под угрозой по прогнозу" in row
    assert "недостижения планового значения 2026 года по прогнозу" in row
    assert html.count("data-forecast-at-risk=") == 1  # section B has none
    assert 'id="forecast-at-risk"' in html
    assert "data-forecast-at-risk" not in next_year  # 2027 has no quarter yet


def test_a_closed_year_is_not_marked_done(client_for, head, cause):
    """A closed reporting year is read-only everywhere: its actions too."""
    from activities.models import ReportingYear

    action = make_action(cause, head)
    ReportingYear.objects.create(year=YEAR, locked=True)

    response = client_for(head).post(done_url(action))

    assert response.status_code == 400
    assert f"Отчётный год {YEAR} закрыт для изменений" in response.content.decode()
    assert CorrectiveAction.objects.get().status == "planned"


# --- changing and deleting an action --------------------------------------------------------------


def edit_url(action):
    return reverse("dashboards:corrective_action_edit", args=[action.pk])


def delete_url(action):
    return reverse("dashboards:corrective_action_delete", args=[action.pk])


def test_the_head_changes_an_action_and_history_keeps_both(client_for, head, cause):
    action = make_action(cause, head)
    client = client_for(head)

    form = client.get(edit_url(action))
    changed = client.post(
        edit_url(action), GOOD_ACTION | {"due_on": "2016-09-30", "status": "in_progress"}
    )

    assert form.status_code == 200 and "Найти нового партнёра." in form.content.decode()
    assert changed.status_code == 302
    assert changed["Location"] == f"{REPORT}#indicator-{cause.indicator_id}"
    action.refresh_from_db()
    assert (action.text, action.responsible, action.due_on, action.status) == (
        GOOD_ACTION["text"], "Петров П. П.", D(2016, 9, 30), "in_progress",
    )  # fmt: skip
    history = list(action.history.order_by("history_id"))
    assert [(h.text, h.history_user) for h in history] == [
        ("Найти нового партнёра.", None),
        (GOOD_ACTION["text"], head),
    ]


@pytest.mark.parametrize(
    "data,message",
    [
        ({"text": ""}, "Опишите корректирующее мероприятие."),
        ({"due_on": "2030-01-01"}, "Срок исполнения должен быть в пределах"),
        ({"due_on": "31.02.2016"}, "Введите срок исполнения в виде ДД.ММ.ГГГГ."),
        ({"status": "done"}, "Выполненным мероприятие отмечается кнопкой «Отметить выполненным»."),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_written(client_for, head, cause, data, message):
    action = make_action(cause, head)

    response = client_for(head).post(edit_url(action), GOOD_ACTION | data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert CorrectiveAction.objects.get().text == "Найти нового партнёра."
    assert action.history.count() == 1


def test_a_done_action_is_kept_as_it_was(client_for, head, cause):
    action = make_action(cause, head, status="done", done_on=D(2016, 1, 20))
    client = client_for(head)

    changed = client.post(edit_url(action), GOOD_ACTION)
    deleted = client.post(delete_url(action))

    assert changed.status_code == deleted.status_code == 409
    assert "Выполненное мероприятие не изменяется и не удаляется." in changed.content.decode()
    assert CorrectiveAction.objects.get().text == "Найти нового партнёра."


def test_the_head_deletes_an_action_and_history_keeps_it(client_for, head, cause):
    action = make_action(cause, head)

    response = client_for(head).post(delete_url(action))

    assert response.status_code == 302
    assert not CorrectiveAction.objects.exists()
    assert [(h.history_type, h.history_user) for h in action.history.order_by("history_id")] == [
        ("+", None),
        ("-", head),
    ]


@pytest.mark.parametrize("role", ["editor", "other_head", "viewer", "other_editor"])
def test_only_the_departments_head_changes_or_deletes(request, client_for, head, cause, role):
    action = make_action(cause, head)
    client = client_for(request.getfixturevalue(role))

    assert client.get(edit_url(action)).status_code == 403
    assert client.post(edit_url(action), GOOD_ACTION).status_code == 403
    assert client.post(delete_url(action)).status_code == 403
    assert CorrectiveAction.objects.get().text == "Найти нового партнёра."


def test_a_closed_years_action_is_not_changed_or_deleted(client_for, head, cause):
    from activities.models import ReportingYear

    action = make_action(cause, head)
    ReportingYear.objects.create(year=YEAR, locked=True)
    client = client_for(head)

    changed = client.post(edit_url(action), GOOD_ACTION)
    deleted = client.post(delete_url(action))

    assert changed.status_code == deleted.status_code == 400
    assert f"Отчётный год {YEAR} закрыт для изменений" in changed.content.decode()
    assert CorrectiveAction.objects.get().text == "Найти нового партнёра."


def test_the_report_offers_the_change_to_its_writers_only(client_for, head, viewer, cause):
    action = make_action(cause, head)

    mine = client_for(head).get(REPORT).content.decode()
    theirs = client_for(viewer).get(REPORT).content.decode()

    assert edit_url(action) in mine and edit_url(action) not in theirs
