"""Fewer clicks for reports: one default reporting year everywhere, a warning outside the
measure's period, save and submit in one step, back to where the editor came from; a head's
"my work" holds what waits for them, not the editors' drafts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ProgressReport
from activities.selectors import default_reporting_year
from core.workflow import WorkflowState
from tests.activities.factories import ProgressReportFactory
from tests.factories import MeasureFactory, StrategicPlanFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PLAN_END = 2020


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department, period_start=2008, period_end=PLAN_END)


def expected_default():
    return min(timezone.localdate().year - 1, PLAN_END)


# --- one default reporting year --------------------------------------------------------------


@pytest.mark.parametrize(
    ("horizon", "today", "expected"),
    [
        (2020, datetime.date(2026, 12, 4), 2020),  # the plan ended: its last year
        (2030, datetime.date(2026, 12, 4), 2025),  # the plan runs: the last ended year
        (None, datetime.date(2026, 1, 10), 2025),  # no horizon, no plan period: last year
    ],
)
def test_the_default_reporting_year(horizon, today, expected):
    StrategicPlanFactory(horizon_year=horizon)

    assert default_reporting_year(today) == expected


def test_without_a_horizon_the_measures_periods_bound_it():
    measure = MeasureFactory(section__plan__horizon_year=None, period_end=2018)

    assert measure.section.plan.horizon_year is None
    assert default_reporting_year(datetime.date(2026, 12, 4)) == 2018


def test_home_my_work_and_the_report_form_share_the_default_year(client_for, editor, measure):
    client = client_for(editor)
    year = expected_default()

    home = client.get(reverse("home"))
    assert home.context["year"] == year
    assert f'name="year" value="{year}"' in home.content.decode()

    my_work = client.get(reverse("my_work"))
    assert my_work.context["year"] == year

    form = client.get(reverse("activities:report_create", args=[measure.pk]))
    assert f'name="year" value="{year}"' in form.content.decode()


# --- the report form -------------------------------------------------------------------------


def report_data(**overrides):
    return {"year": 2016, "quarter": "", "percent_done": 40, "text": "Подписано соглашение."} | (
        overrides
    )


def test_a_year_outside_the_measures_period_is_warned_not_accepted(client_for, editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data(year=2025))

    assert response.status_code == 400
    html = response.content.decode()
    assert "2025 — вне срока мероприятия (2008–2020)" in html
    assert 'name="confirm_year"' in html
    assert not ProgressReport.objects.exists()


def test_a_confirmed_year_outside_the_period_is_saved(client_for, editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data(year=2025, confirm_year="on"))

    assert response.status_code == 302
    assert ProgressReport.objects.get().year == 2025


def test_save_and_submit_in_one_step(client_for, editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data(submit="1"))

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.state == WorkflowState.SUBMITTED
    assert report.submitted_at is not None


def test_save_and_submit_of_a_returned_report(client_for, editor, measure):
    report = ProgressReportFactory(measure=measure, author=editor, state="returned")
    url = reverse("activities:report_edit", args=[report.pk])
    response = client_for(editor).post(url, report_data(quarter=report.quarter, submit="1"))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED


def test_the_form_offers_save_and_submit(client_for, editor, measure):
    html = client_for(editor).get(reverse("activities:report_create", args=[measure.pk]))

    assert "Сохранить и отправить" in html.content.decode()


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/my-work/", "/my-work/"), ("https://evil.example/", None), ("//evil.example/", None)],
)
def test_after_saving_the_editor_returns_where_they_came_from(
    client_for, editor, measure, next_url, lands_on
):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data(next=next_url))

    assert response.status_code == 302
    assert response["Location"] == (lands_on or measure.get_absolute_url())


def test_the_form_carries_next_from_the_link(client_for, editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    html = client_for(editor).get(url, {"next": "/my-work/"}).content.decode()

    assert 'name="next" value="/my-work/"' in html


def test_my_work_links_to_the_report_form_with_next(client_for, editor, department):
    MeasureFactory(department=department, period_start=2008, period_end=2030)
    html = client_for(editor).get(reverse("my_work")).content.decode()

    assert "/reports/new/?next=/my-work/" in html


# --- a head's "my work" ----------------------------------------------------------------------


def test_a_head_does_not_get_the_editors_drafts(client_for, editor, head, measure):
    editors = ProgressReportFactory(measure=measure, author=editor, text="Черновик исполнителя.")
    own = ProgressReportFactory(measure=measure, author=head, text="Черновик начальника.")

    response = client_for(head).get(reverse("my_work"))

    shown = list(response.context["reports_in_progress"])
    assert own in shown and editors not in shown
    assert "Черновик исполнителя." not in response.content.decode()
    assert response.context["my_work_counts"]["in_progress"] == 1


def test_an_editor_still_gets_every_draft_of_the_department(client_for, editor, head, measure):
    ProgressReportFactory(measure=measure, author=head)
    ProgressReportFactory(measure=measure, author=editor)

    response = client_for(editor).get(reverse("my_work"))

    assert len(response.context["reports_in_progress"]) == 2


def test_a_heads_rows_show_text_and_evidence(client_for, editor, head, measure):
    ProgressReportFactory(
        measure=measure,
        author=editor,
        state="submitted",
        text="Подписано соглашение с Ниигатой.",
        evidence_url="https://example.org/act",
    )
    html = client_for(head).get(reverse("my_work")).content.decode()
    section = html.split('id="awaiting-approval"')[1].split("</section>")[0]

    assert "Подписано соглашение с Ниигатой." in section
    assert "https://example.org/act" in section


def test_a_returned_row_leaves_the_waiting_list_at_once(client_for, editor, head, measure):
    report = ProgressReportFactory(measure=measure, author=editor, state="submitted")
    response = client_for(head).post(
        reverse("activities:report_return", args=[report.pk]),
        {"comment": "Добавьте акт.", "context": "my_work"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "возвращён на доработку" in html
    for button in (
        "Изменить<",
        "Отправить на согласование",
        "Согласовать<",
        "Вернуть на доработку<",
    ):
        assert button not in html
