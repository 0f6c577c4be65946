import io

import pytest
from django.urls import reverse

from accounts.models import User
from activities.models import ProgressReport
from activities.services import plan_import
from demo import plan as plan_demo
from demo import users as users_demo
from tests.activities.test_import_service import SEED

pytestmark = pytest.mark.django_db

USERNAMES = {
    "viewer.umims", "editor.umims", "head.umims",
    "viewer.ueri", "editor.ueri", "head.ueri",
    "administrator", "api.client",
}  # fmt: skip


def load_all():
    out = io.StringIO()
    plan_demo.load(out)
    users_demo.load(out)


def test_demo_users_and_reports_load_once(client, monkeypatch):
    monkeypatch.delenv("KHV_DEMO_PASSWORD", raising=False)
    plan_import(data=SEED.read_bytes())

    load_all()
    reports = set(ProgressReport.objects.values_list("pk", "state"))
    load_all()

    assert set(User.objects.values_list("username", flat=True)) == USERNAMES
    assert set(ProgressReport.objects.values_list("pk", "state")) == reports
    assert {state for _pk, state in reports} == {"draft", "submitted", "approved", "returned"}
    editor = User.objects.get(username="editor.umims")
    assert editor.department.short_name == "УМиМС"
    assert editor.groups.get().name == "editor"
    # Through the login form: the sign-in lock (django-axes) checks every password it is given
    # with the request, which the test client's login() does not pass.
    signed_in = client.post(
        reverse("login"), {"username": "head.ueri", "password": "demo-khv-2026"}
    )
    assert signed_in.status_code == 302
