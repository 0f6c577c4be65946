"""The notification centre, the bell and the settings page: each user their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def make(user, n, *, kind=Kind.RETURNED, link="/plans/", start=0):
    return [
        Notification.objects.create(
            user=user,
            kind=kind,
            text=f"Уведомление №{start + i}",
            link=link,
            key=f"{user.pk}:{start + i}",
        )
        for i in range(n)
    ]


def test_the_list_shows_ones_own_notifications_newest_first(client_for, editor, head):
    make(editor, 3)
    make(head, 1, start=100)
    page = client_for(editor).get(reverse("notifications:list")).content.decode()
    assert page.index("Уведомление №2") < page.index("Уведомление №0")
    assert "Уведомление №100" not in page
    assert 'id="unread-count">3<' in page


def test_opening_marks_read_and_goes_to_the_item(client_for, editor):
    [notification] = make(editor, 1, link="/plans/reports/7/")
    client = client_for(editor)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/plans/reports/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="unread-count"' not in client.get(reverse("notifications:list")).content.decode()


def test_another_users_notification_is_not_found(client_for, editor, head):
    [notification] = make(editor, 1)
    client = client_for(head)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_is_ones_own(client_for, editor, head):
    make(editor, 2)
    make(head, 2, start=10)
    response = client_for(editor).post(reverse("notifications:read_all"), follow=True)
    assert "Отмечено прочитанными: 2." in response.content.decode()
    assert Notification.objects.filter(user=editor, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=head, read_at__isnull=True).count() == 2


def test_mark_read_needs_the_form_token(editor):
    from django.test import Client

    [notification] = make(editor, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    assert client.post(reverse("notifications:read_all")).status_code == 403


def test_preferences_are_saved_per_kind(client_for, editor):
    client = client_for(editor)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Ваш материал возвращён на доработку" in page and "только в портале" in page
    data = {kind.value: "portal" for kind in Kind} | {"returned": "immediate", "overdue": "digest"}
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Настройки уведомлений сохранены." in response.content.decode()
    assert (
        dict(NotificationPreference.objects.filter(user=editor).values_list("kind", "delivery"))
        == data
    )


def test_bad_preferences_are_refused_in_russian_and_nothing_is_written(client_for, editor):
    data = {kind.value: "portal" for kind in Kind} | {"returned": "pigeon"}
    response = client_for(editor).post(reverse("notifications:preferences"), data)
    assert response.status_code == 400
    assert "Выберите, как сообщать об этом." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def count_queries(client):
    counts = {}
    for name in ("notifications:list", "home", "notifications:preferences"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(queries)
    return counts


def test_the_query_counts_do_not_grow(client_for, editor, settings):
    """The list is one page of the user's notifications, the bell one COUNT: neither asks per
    notification."""
    settings.DASHBOARD_CACHE_SECONDS = 0
    client = client_for(editor)
    make(editor, 3)
    small = count_queries(client)
    make(editor, 60, start=3)
    assert count_queries(client) == small
