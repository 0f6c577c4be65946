"""The error pages under the production settings themselves (DEBUG off, hashed static files of a
release build, HTTPS): styled, Russian, no Django default text (issue 19, item 1)."""

import os
import secrets
import subprocess
import sys

from .test_site import ROOT

RENDER = """
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

host = {"HTTP_HOST": "strategy.khabarovsk.example", "secure": True}
pages = {"404": Client().get("/no-such-page/", **host)}
pages["403_csrf"] = Client(enforce_csrf_checks=True).post("/accounts/logout/", **host)
request = RequestFactory().get("/", **host)
request.user = AnonymousUser()
pages["403"] = defaults.permission_denied(request, PermissionDenied())
pages["500"] = defaults.server_error(RequestFactory().get("/", **host))
for name, response in pages.items():
    print("PAGE", name, response.status_code)
    print(response.content.decode())
"""


def test_error_pages_are_styled_and_russian_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.khv_strategy.production_with_static_root",
        "KHV_TEST_STATIC_ROOT": str(tmp_path),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "strategy.khabarovsk.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def manage(*arguments):
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("collectstatic", "--noinput", "-v", "0")  # what a release build does
    output = manage("shell", "-c", RENDER)

    pages = {}
    for chunk in output.split("PAGE ")[1:]:
        head, _, html = chunk.partition("\n")
        name, status = head.split()
        pages[name] = (int(status), html)
    expected = {
        "404": (404, "Страница не найдена"),
        "403": (403, "Доступ запрещён"),
        "403_csrf": (403, "Доступ запрещён"),
        "500": (500, "Внутренняя ошибка сервера"),
    }
    assert {name: status for name, (status, _) in pages.items()} == {
        name: status for name, (status, _) in expected.items()
    }
    for name, (_, title) in expected.items():
        html = pages[name][1]
        assert title in html, name
        assert '<html lang="ru"' in html, name
        # The stylesheet by its hashed name from the release's manifest.
        assert "css/portal." in html and ".css" in html and "css/portal.css" not in html, name
        for english in ("Forbidden", "Not Found", "Server Error", "CSRF verification failed"):
            assert english not in html, (name, english)
