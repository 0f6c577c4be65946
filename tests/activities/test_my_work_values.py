"""Indicator values on "My work": the editor's unfinished ones, the head's waiting ones with
approve and return in place (htmx), and both in the navigation counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.workflow import WorkflowState
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def indicator(department):
    return IndicatorFactory(department=department)


def value(indicator, state, quarter, submitted_days_ago=None):
    submitted_at = None
    if submitted_days_ago is not None:
        submitted_at = timezone.now() - datetime.timedelta(days=submitted_days_ago)
    return IndicatorValueFactory(
        indicator=indicator, year=2016, quarter=quarter, state=state, submitted_at=submitted_at
    )


def row_ids(html, section_id):
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return [int(part.split('"', 1)[0]) for part in section.split('data-value="')[1:]]


def test_editor_sees_the_departments_unfinished_values(client_for, editor, indicator):
    draft = value(indicator, WorkflowState.DRAFT, 1)
    returned = value(indicator, WorkflowState.RETURNED, 2)
    value(indicator, WorkflowState.SUBMITTED, 3, submitted_days_ago=1)
    value(indicator, WorkflowState.APPROVED, 4)
    value(IndicatorFactory(), WorkflowState.DRAFT, 1)  # another department's

    response = client_for(editor).get("/my-work/")
    html = response.content.decode()
    assert sorted(row_ids(html, "values-in-progress")) == sorted([draft.pk, returned.pk])
    assert "values-awaiting-approval" not in html
    assert reverse("indicators:value_edit", args=[draft.pk]) in html
    assert response.context["my_work_counts"]["in_progress"] == 2


def test_head_sees_submitted_values_oldest_first(client_for, head, indicator):
    newer = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    older = value(indicator, WorkflowState.SUBMITTED, 2, submitted_days_ago=5)
    value(IndicatorFactory(), WorkflowState.SUBMITTED, 1, submitted_days_ago=9)  # not theirs

    response = client_for(head).get("/my-work/")
    html = response.content.decode()
    assert row_ids(html, "values-awaiting-approval") == [older.pk, newer.pk]
    assert reverse("indicators:value_approve", args=[older.pk]) in html
    assert 'hx-post="' + reverse("indicators:value_return", args=[older.pk]) in html
    assert response.context["my_work_counts"]["awaiting"] == 2


def test_administrator_sees_every_department(client_for, administrator, indicator):
    mine = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=2)
    other = value(IndicatorFactory(), WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    html = client_for(administrator).get("/my-work/").content.decode()
    assert row_ids(html, "values-awaiting-approval") == [mine.pk, other.pk]


def test_viewer_has_no_value_lists(client_for, viewer, indicator):
    value(indicator, WorkflowState.DRAFT, 1)
    response = client_for(viewer).get("/my-work/")
    html = response.content.decode()
    assert "values-in-progress" not in html and "values-awaiting-approval" not in html
    assert response.context["my_work_counts"]["total"] == 0


def test_nav_counts_add_values_to_reports(client_for, head, indicator):
    value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    value(indicator, WorkflowState.DRAFT, 2)  # an editor's: not the head's to finish
    own = value(indicator, WorkflowState.DRAFT, 3)
    own.author = head
    own.save()
    counts = client_for(head).get(reverse("activities:plan_list")).context["my_work_counts"]
    assert (counts["awaiting"], counts["in_progress"]) == (1, 1)


# --- approve and return in place --------------------------------------------------------------


def post_in_place(client, action, item, **data):
    url = reverse(f"indicators:value_{action}", args=[item.pk])
    return client.post(url, {"context": "my_work", **data}, **HTMX)


def test_head_approves_in_place(client_for, head, indicator):
    item = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    response = post_in_place(client_for(head), "approve", item)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="value-{item.pk}"')
    assert 'data-state="approved"' in html and indicator.code in html
    item.refresh_from_db()
    assert (item.state, item.reviewer) == (WorkflowState.APPROVED, head)


def test_head_returns_in_place_with_a_comment(client_for, head, indicator):
    item = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    response = post_in_place(client_for(head), "return", item, comment="Нет справки")
    assert response.status_code == 200
    assert "Нет справки" in response.content.decode()
    item.refresh_from_db()
    assert item.state == WorkflowState.RETURNED


def test_return_without_a_comment_is_refused_in_the_row(client_for, head, indicator):
    item = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    response = post_in_place(client_for(head), "return", item, comment=" ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "комментарий обязателен" in html and 'data-state="submitted"' in html
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED


def test_an_already_approved_value_is_refused_in_the_row(client_for, head, indicator):
    item = value(indicator, WorkflowState.APPROVED, 1)
    response = post_in_place(client_for(head), "approve", item)
    assert response.status_code == 409
    assert "Значение уже согласовано." in response.content.decode()


def test_editor_submits_in_place(client_for, editor, indicator):
    item = value(indicator, WorkflowState.RETURNED, 1)
    response = post_in_place(client_for(editor), "submit", item)
    assert response.status_code == 200
    assert 'data-state="submitted"' in response.content.decode()


@pytest.mark.parametrize("user", ["editor", "other_head", "viewer"])
def test_approve_in_place_is_refused(client_for, request, user, indicator):
    item = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    response = post_in_place(client_for(request.getfixturevalue(user)), "approve", item)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED


def test_approve_in_place_rejects_get(client_for, head, indicator):
    item = value(indicator, WorkflowState.SUBMITTED, 1, submitted_days_ago=1)
    url = reverse("indicators:value_approve", args=[item.pk])
    assert client_for(head).get(url, **HTMX).status_code == 405
