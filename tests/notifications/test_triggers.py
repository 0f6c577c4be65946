"""Each notification of the workflow, triggered by the real action through the real page."""

import pytest
from django.core import mail
from django.urls import reverse

from core.workflow import WorkflowState
from notifications import delivery
from notifications.models import Kind, Notification, NotificationPreference, OutgoingEmail
from tests.activities.factories import ProgressReportFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def texts(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "text"))


def test_a_returned_report_tells_its_author_with_the_comment(
    client_for, editor, head, viewer, other_editor, measure, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head).post(
            reverse("activities:report_return", args=[report.pk]), {"comment": "Нет протокола"}
        )
    assert response.status_code == 302

    [(kind, text)] = texts(editor)
    assert kind == Kind.RETURNED
    assert (
        "вернул" in text and "«Нет протокола»" in text and f"мероприятию {measure.number}" in text
    )
    assert texts(head) == texts(viewer) == texts(other_editor) == []

    # The editor sees it in the portal: the bell's count and the list.
    page = client_for(editor).get(reverse("notifications:list")).content.decode()
    assert 'id="unread-count">1<' in page and "Нет протокола" in page


def test_a_submitted_report_tells_the_departments_heads_not_others(
    client_for,
    editor,
    head,
    second_head,
    other_head,
    viewer,
    measure,
    django_capture_on_commit_callbacks,
):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.DRAFT, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(reverse("activities:report_submit", args=[report.pk]))
    assert response.status_code == 302

    for user in (head, second_head):
        [(kind, text)] = texts(user)
        assert kind == Kind.AWAITING_APPROVAL and "на согласование" in text
    assert texts(other_head) == texts(viewer) == texts(editor) == []


def test_a_head_who_entered_the_item_is_not_asked_to_approve_it(
    client_for, head, second_head, measure, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.DRAFT, author=head)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(head).post(reverse("activities:report_submit", args=[report.pk]))
    assert texts(head) == []  # four eyes: another head approves it
    assert len(texts(second_head)) == 1


def test_an_indicator_value_returned_and_submitted(
    client_for, editor, head, department, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(department=department)
    value = IndicatorValueFactory(indicator=indicator, state=WorkflowState.DRAFT, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(editor).post(reverse("indicators:value_submit", args=[value.pk]))
    assert [kind for kind, _ in texts(head)] == [Kind.AWAITING_APPROVAL]
    assert indicator.code in texts(head)[0][1]

    with django_capture_on_commit_callbacks(execute=True):
        client_for(head).post(
            reverse("indicators:value_return", args=[value.pk]), {"comment": "Уточните источник"}
        )
    assert [kind for kind, _ in texts(editor)] == [Kind.RETURNED]
    assert "Уточните источник" in texts(editor)[0][1]


def test_a_refused_transition_tells_nobody(
    client_for, editor, head, measure, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(measure=measure, state=WorkflowState.SUBMITTED, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head).post(
            reverse("activities:report_return", args=[report.pk]), {"comment": " "}
        )
    assert response.status_code == 400
    assert Notification.objects.count() == 0


def test_the_preference_decides_the_email(
    client_for, editor, head, measure, django_capture_on_commit_callbacks
):
    editor.email = "editor@khv.test"
    editor.save()
    NotificationPreference.objects.create(user=editor, kind=Kind.RETURNED, delivery="immediate")
    head.email = "head@khv.test"
    head.save()  # a head with no preference: in the portal only
    report = ProgressReportFactory(measure=measure, state=WorkflowState.DRAFT, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(editor).post(reverse("activities:report_submit", args=[report.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(head).post(
            reverse("activities:report_return", args=[report.pk]), {"comment": "Добавьте фото"}
        )

    assert OutgoingEmail.objects.count() == 1
    assert delivery.send_pending() == 1
    assert delivery.send_pending() == 0  # sent once
    [message] = mail.outbox
    assert message.to == ["editor@khv.test"]
    assert "Добавьте фото" in message.body and "возвращён на доработку" in message.subject
