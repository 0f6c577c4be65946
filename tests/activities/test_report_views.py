"""Report, measure, my-work and history pages: who may do what, and what they see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Measure, ProgressReport
from activities.services import reporting_year_set_locked
from core.workflow import WorkflowState, workflow_approve, workflow_submit
from tests.activities.factories import ProgressReportFactory
from tests.factories import ExpectedResultFactory, MeasureFactory, SectionFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measure(department):
    return MeasureFactory(department=department)


def report_data(**overrides):
    return {"year": 2016, "quarter": "", "percent_done": 40, "text": "Подписано соглашение."} | (
        overrides
    )


# --- creating and editing --------------------------------------------------------------------


def test_an_editor_creates_a_draft(client_for, editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data())

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.state, report.author, report.quarter) == ("draft", editor, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"percent_done": 120}, "Процент выполнения должен быть от 0 до 100."),
        ({"quarter": 5}, "Квартал — число от 1 до 4"),
    ],
)
def test_create_refuses_bad_input_in_russian(client_for, editor, measure, data, message):
    url = reverse("activities:report_create", args=[measure.pk])
    response = client_for(editor).post(url, report_data(**data))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_create_refuses_a_duplicate_period(client_for, editor, measure):
    ProgressReportFactory(measure=measure, year=2016, quarter=None)
    url = reverse("activities:report_create", args=[measure.pk])

    response = client_for(editor).post(url, report_data())

    assert response.status_code == 400
    assert "уже есть отчёт" in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_create_refuses_a_locked_year(client_for, editor, administrator, measure):
    reporting_year_set_locked(year=2016, locked=True, by=administrator)
    url = reverse("activities:report_create", args=[measure.pk])

    response = client_for(editor).post(url, report_data())

    assert response.status_code == 400
    assert "Отчётный год 2016 закрыт для изменений" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_editor_of_another_department_cannot_create(client_for, other_editor, measure):
    url = reverse("activities:report_create", args=[measure.pk])
    assert client_for(other_editor).get(url).status_code == 403
    assert client_for(other_editor).post(url, report_data()).status_code == 403
    assert not ProgressReport.objects.exists()


def test_editing_an_approved_report_is_refused_with_a_message(client_for, editor, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.APPROVED)
    url = reverse("activities:report_edit", args=[report.pk])
    client = client_for(editor)

    for response in [client.get(url), client.post(url, report_data(percent_done=99))]:
        assert response.status_code == 409
        assert "Отчёт уже согласован" in response.content.decode()
    assert ProgressReport.objects.get().percent_done == 50


def test_an_editor_fixes_a_returned_report(client_for, editor, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.RETURNED, quarter=2)
    url = reverse("activities:report_edit", args=[report.pk])

    response = client_for(editor).post(url, report_data(quarter=2, percent_done=75))

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.percent_done, report.state) == (75, "returned")


# --- transitions through the pages ---------------------------------------------------------------


def test_submit_rejects_get(client_for, editor, measure):
    report = ProgressReportFactory(measure=measure)
    assert (
        client_for(editor).get(reverse("activities:report_submit", args=[report.pk])).status_code
        == 405
    )


def test_head_approves_in_place_with_htmx(client_for, head, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED)
    url = reverse("activities:report_approve", args=[report.pk])

    response = client_for(head).post(url, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<tr") and 'data-state="approved"' in html
    assert "<html" not in html


def test_approving_twice_answers_409_with_the_reason(client_for, head, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.APPROVED)
    url = reverse("activities:report_approve", args=[report.pk])

    response = client_for(head).post(url, **HTMX)

    assert response.status_code == 409
    assert "Отчёт уже согласован" in response.content.decode()


def test_return_without_comment_answers_400(client_for, head, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED)
    url = reverse("activities:report_return", args=[report.pk])

    response = client_for(head).post(url, {"comment": "  "}, **HTMX)

    assert response.status_code == 400
    assert ProgressReport.objects.get().state == "submitted"


@pytest.mark.parametrize("role", ["editor", "other_head", "viewer"])
def test_only_the_departments_head_approves(request, client_for, measure, role):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED)
    client = client_for(request.getfixturevalue(role))

    assert client.post(reverse("activities:report_approve", args=[report.pk])).status_code == 403
    assert ProgressReport.objects.get().state == "submitted"


def test_a_plain_form_post_redirects_back(client_for, head, measure):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED)
    url = reverse("activities:report_return", args=[report.pk])

    response = client_for(head).post(url, {"comment": "Нет протокола", "next": "/my-work/"})

    assert response.status_code == 302 and response.url == "/my-work/"
    assert ProgressReport.objects.get().review_comment == "Нет протокола"


# --- the measure page -----------------------------------------------------------------------------


def test_only_approved_reports_count_as_progress(client_for, viewer, editor, head, measure):
    approved = ProgressReportFactory(measure=measure, year=2015, quarter=None, percent_done=30)
    workflow_submit(item=approved, by=editor)
    workflow_approve(item=approved, by=head)
    ProgressReportFactory(measure=measure, year=2016, quarter=None, percent_done=90)
    url = reverse("activities:measure_detail", args=[measure.pk])

    viewer_html = client_for(viewer).get(url).content.decode()
    assert "30 %" in viewer_html and "90 %" not in viewer_html

    editor_html = client_for(editor).get(url).content.decode()
    assert 'data-state="draft"' in editor_html and "черновик" in editor_html
    assert 'id="measure-progress"><strong>30 %' in editor_html


def test_the_measure_page_shows_only_allowed_actions(client_for, viewer, editor, head, measure):
    ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED)
    url = reverse("activities:measure_detail", args=[measure.pk])

    editor_html = client_for(editor).get(url).content.decode()
    assert "report_approve" not in editor_html and "/approve/" not in editor_html
    assert f"/plans/measures/{measure.pk}/edit/" in editor_html

    head_html = client_for(head).get(url).content.decode()
    assert "/approve/" in head_html and "/return/" in head_html

    viewer_html = client_for(viewer).get(url).content.decode()
    assert "/edit/" not in viewer_html and "/reports/new/" not in viewer_html


# --- measure editing --------------------------------------------------------------------------


def test_an_editor_edits_the_measure_but_not_its_department(
    client_for, editor, measure, other_department
):
    url = reverse("activities:measure_edit", args=[measure.pk])
    data = {"status": "in_progress", "department": other_department.pk, "period_start": 2010,
            "period_end": 2020, "deadline": "2020-12-31", "planned_funding": "100.50"}  # fmt: skip

    response = client_for(editor).post(url, data)

    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "in_progress" and measure.department_id != other_department.pk
    assert str(measure.planned_funding) == "100.50"


def test_an_administrator_moves_a_measure(client_for, administrator, measure, other_department):
    url = reverse("activities:measure_edit", args=[measure.pk])
    data = {"status": "planned", "department": other_department.pk}

    assert client_for(administrator).post(url, data).status_code == 302
    assert Measure.objects.get().department == other_department


def test_measure_edit_refuses_a_reversed_period_and_negative_funding(client_for, editor, measure):
    url = reverse("activities:measure_edit", args=[measure.pk])
    data = {"status": "planned", "period_start": 2020, "period_end": 2010, "actual_funding": "-1"}

    response = client_for(editor).post(url, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Год окончания не может быть раньше года начала." in html
    assert "Финансирование не может быть отрицательным." in html


def test_other_departments_cannot_edit_the_measure(client_for, other_editor, measure):
    url = reverse("activities:measure_edit", args=[measure.pk])
    assert client_for(other_editor).post(url, {"status": "done"}).status_code == 403
    assert Measure.objects.get().status == "planned"


# --- my work ---------------------------------------------------------------------------------


def make_department_work(department, editor, measures):
    """Per measure: a draft, a submitted and a returned report, and an indicator with a value
    in each of those states."""
    section = SectionFactory()
    for number in range(measures):
        measure = MeasureFactory(section=section, department=department, number=number + 1)
        indicator = IndicatorFactory(
            department=department, expected_result=ExpectedResultFactory(section=section)
        )
        for quarter, state in enumerate(
            [WorkflowState.DRAFT, WorkflowState.SUBMITTED, WorkflowState.RETURNED], start=1
        ):
            ProgressReportFactory(
                measure=measure, author=editor, year=2016, quarter=quarter, state=state
            )
            IndicatorValueFactory(
                indicator=indicator,
                author=editor,
                reviewer=editor if state == WorkflowState.RETURNED else None,
                year=2016,
                quarter=quarter,
                state=state,
                submitted_at=timezone.now() if state != WorkflowState.DRAFT else None,
            )


@pytest.mark.parametrize("role", ["editor", "head", "administrator"])
def test_my_work_query_count_does_not_grow(request, client_for, department, editor, role):
    """Report and value rows come with their measure or indicator, section, department and
    users; the nav counts are three aggregate queries: nothing is queried per row."""
    client = client_for(request.getfixturevalue(role))
    counts = []
    for size in [1, 8]:
        make_department_work(department, editor, size)
        client.get("/my-work/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/my-work/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_my_work_lists_what_is_due_and_waiting(client_for, editor, head, department):
    # The default reporting year: last year, or the plans' horizon (the factory's 2020).
    last_year = min(timezone.localdate().year - 1, 2020)
    due = MeasureFactory(department=department, period_start=None, period_end=None)
    reported = MeasureFactory(department=department)
    ProgressReportFactory(measure=reported, year=last_year, quarter=3)
    waiting = ProgressReportFactory(measure=reported, year=2016, state=WorkflowState.SUBMITTED)
    MeasureFactory()  # another department's

    editor_response = client_for(editor).get("/my-work/")
    html = editor_response.content.decode()
    assert f'data-measure="{due.pk}"' in html and f'data-measure="{reported.pk}"' not in html
    assert editor_response.context["my_work_counts"]["due"] == 1
    assert "awaiting-approval" not in html

    head_html = client_for(head).get("/my-work/").content.decode()
    assert f'id="report-{waiting.pk}"' in head_html and "/approve/" in head_html


def test_my_work_refuses_post_and_anonymous(client, client_for, editor):
    assert client.get("/my-work/").status_code == 302
    assert client_for(editor).post("/my-work/").status_code == 405


# --- history ---------------------------------------------------------------------------------


def test_measure_history_shows_who_changed_what(client_for, editor, measure, other_department):
    client = client_for(editor)
    client.post(reverse("activities:measure_edit", args=[measure.pk]),
                {"status": "done", "planned_funding": "10"})  # fmt: skip

    html = client.get(reverse("activities:measure_history", args=[measure.pk])).content.decode()

    assert "Статус" in html and "запланировано" in html and "выполнено" in html
    assert str(editor) in html


def test_report_history_shows_transitions(client_for, editor, head, measure):
    report = ProgressReportFactory(measure=measure)
    workflow_submit(item=report, by=editor)
    workflow_approve(item=report, by=head)

    html = client_for(editor).get(reverse("activities:report_detail", args=[report.pk])).content
    html = html.decode()

    assert "на согласовании" in html and str(head) in html


def test_a_viewer_cannot_open_a_draft(client_for, viewer, measure):
    report = ProgressReportFactory(measure=measure)
    url = reverse("activities:report_detail", args=[report.pk])
    assert client_for(viewer).get(url).status_code == 403


@pytest.mark.parametrize("page", ["measure_history", "report_detail"])
def test_history_query_count_does_not_grow(client_for, editor, head, measure, page):
    """Users and departments named in the history come in one query each, not per record."""
    report = ProgressReportFactory(measure=measure, year=2016, quarter=None)
    client = client_for(editor)
    counts = []
    for edits in [1, 10]:
        for number in range(edits):
            Measure.objects.filter(pk=measure.pk)  # keep the same object
            measure.status = ["planned", "in_progress"][number % 2]
            measure.planned_funding = number
            measure._history_user = head if number % 2 else editor
            measure.save()
            report.percent_done = number
            report._history_user = head if number % 2 else editor
            report.save()
        target = measure.pk if page == "measure_history" else report.pk
        url = reverse(f"activities:{page}", args=[target])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_navigation_counts_follow_a_role_change_at_once(client_for, editor, measure):
    """The "my work" counts are cached; a user who loses the editor role sees no editor's
    counts on the very next page (the cache key carries the roles)."""
    from django.contrib.auth.models import Group

    from accounts.models import Role

    ProgressReportFactory(measure=measure, author=editor, state=WorkflowState.DRAFT)
    client = client_for(editor)
    before = client.get(reverse("home")).text

    editor.groups.set([Group.objects.get_or_create(name=Role.VIEWER)[0]])
    after = client.get(reverse("home")).text

    assert 'id="my-work-count"' in before
    assert 'id="my-work-count"' not in after
