"""Signing in is locked for a username from an address after five wrong passwords, for 15
minutes (accounts.lockout, django-axes); administrators unlock; API tokens are not affected.

Every attempt is a real POST of the login form."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from accounts.tokens import api_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # the factory's
HERE, ELSEWHERE = "192.0.2.10", "192.0.2.20"


def sign_in(client, username, password, address=HERE):
    client.logout()
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def wrong(client, username, times, address=HERE):
    return [sign_in(client, username, "wrong", address).status_code for _ in range(times)]


def test_fifty_wrong_passwords_lock_the_user_out_with_a_clear_message(client, editor):
    statuses = wrong(client, "editor", 50)
    right = sign_in(client, "editor", PASSWORD)

    assert statuses[:4] == [200] * 4  # the form again, "wrong username or password"
    assert set(statuses[4:]) == {429}  # the fifth failure locks
    assert right.status_code == 429
    html = right.content.decode()
    assert "Слишком много неверных паролей" in html
    assert "заблокирован на 15 минут" in html
    assert "администратор" in html
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_four_wrong_passwords_do_not_lock_and_a_success_starts_the_count_again(client, editor):
    assert wrong(client, "editor", 4) == [200] * 4
    assert signed_in(sign_in(client, "editor", PASSWORD))

    assert wrong(client, "editor", 4) == [200] * 4
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_the_lock_is_for_that_username_from_that_address(client, editor, viewer):
    wrong(client, "editor", 5)

    assert signed_in(sign_in(client, "editor", PASSWORD, address=ELSEWHERE))
    assert signed_in(sign_in(client, "viewer", PASSWORD))
    assert sign_in(client, "editor", PASSWORD).status_code == 429


def test_the_lock_ends_after_fifteen_minutes(client, editor):
    wrong(client, "editor", 5)
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    # Fifteen minutes and a second later (the attempts are dated in the database).
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=15, seconds=1)
    )

    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_an_administrator_unlocks_with_the_management_command(client, editor):
    wrong(client, "editor", 5)

    call_command("axes_reset_username", "editor")

    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_an_administrator_sees_and_deletes_the_lock_in_the_admin(client, editor):
    wrong(client, "editor", 5)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    listing = client.get("/admin/axes/accessattempt/")
    attempt = AccessAttempt.objects.get(username="editor")

    deleted = client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}, REMOTE_ADDR=HERE
    )

    assert listing.status_code == 200 and "editor" in listing.content.decode()
    assert deleted.status_code == 302
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_a_locked_users_api_token_still_works(client, editor):
    _token, key = api_token_issue(user=editor, name="client")
    wrong(client, "editor", 5)

    response = client.get(reverse("indicator-list"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
