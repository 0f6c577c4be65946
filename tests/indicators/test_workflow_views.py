"""Submit, approve and return buttons: who may press them, and refusals from a wrong state."""

import pytest
from django.urls import reverse

from core.workflow import WorkflowState

from .factories import IndicatorValueFactory


def url(action, item):
    return reverse(f"indicators:value_{action}", args=[item.pk])


def state_of(item):
    item.refresh_from_db()
    return item.state


def test_editor_submits_a_draft(client_for, editor, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.DRAFT)
    response = client_for(editor).post(url("submit", item))
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert state_of(item) == WorkflowState.SUBMITTED


def test_head_approves(client_for, head, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
    assert client_for(head).post(url("approve", item)).status_code == 302
    assert state_of(item) == WorkflowState.APPROVED
    assert item.reviewer == head


def test_head_returns_with_a_comment(client_for, head, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
    response = client_for(head).post(url("return", item), {"comment": "Нет справки"})
    assert response.status_code == 302
    assert state_of(item) == WorkflowState.RETURNED
    assert item.review_comment == "Нет справки"


def test_return_without_comment_is_refused(client_for, head, indicator):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
    response = client_for(head).post(url("return", item), {"comment": " "})
    assert response.status_code == 400
    assert "комментарий обязателен" in response.content.decode()
    assert state_of(item) == WorkflowState.SUBMITTED


@pytest.mark.parametrize(
    ("action", "state", "reason"),
    [
        ("approve", "approved", "Значение уже согласовано."),
        ("approve", "draft", "Значение ещё черновик: оно не отправлено на согласование."),
        ("approve", "returned", "Значение уже возвращено на доработку."),
        ("submit", "approved", "Значение уже согласовано."),
        ("submit", "submitted", "Значение уже отправлено на согласование."),
        ("return", "draft", "Значение ещё черновик"),
        ("return", "approved", "Значение уже согласовано."),
    ],
)
def test_wrong_state_is_409(client_for, head, indicator, action, state, reason):
    """The workflow's refusal, worded for a value, on the indicator's error page."""
    item = IndicatorValueFactory(indicator=indicator, state=state)
    response = client_for(head).post(url(action, item), {"comment": "Причина"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Действие невозможно" in content and reason in content
    assert state_of(item) == state


@pytest.mark.parametrize(
    ("action", "user"),
    [
        ("submit", "viewer"),
        ("submit", "other_editor"),
        ("approve", "editor"),
        ("approve", "viewer"),
        ("approve", "other_head"),
        ("return", "editor"),
        ("return", "other_head"),
    ],
)
def test_transition_refused(client_for, request, indicator, action, user):
    start = WorkflowState.DRAFT if action == "submit" else WorkflowState.SUBMITTED
    item = IndicatorValueFactory(indicator=indicator, state=start)
    response = client_for(request.getfixturevalue(user)).post(url(action, item), {"comment": "x"})
    assert response.status_code == 403
    assert state_of(item) == start


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_administrator_may_do_everything(client_for, administrator, indicator, action):
    start = WorkflowState.DRAFT if action == "submit" else WorkflowState.SUBMITTED
    item = IndicatorValueFactory(indicator=indicator, state=start)
    response = client_for(administrator).post(url(action, item), {"comment": "x"})
    assert response.status_code == 302


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_anonymous_and_get(client_for, head, indicator, action):
    item = IndicatorValueFactory(indicator=indicator, state=WorkflowState.SUBMITTED)
    response = client_for(None).post(url(action, item))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client_for(head).get(url(action, item)).status_code == 405
    assert state_of(item) == WorkflowState.SUBMITTED
