"""The portal survives a PostgreSQL restart without being restarted itself.

Gunicorn's workers keep persistent connections (CONN_MAX_AGE); CONN_HEALTH_CHECKS makes each
request test its connection first and replace one the restart killed. `make test` runs this
alone and last (marker `ops`), since the restart cuts every other connection too.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from activities.services import plan_import
from tests.activities.test_import_service import SEED
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PLAN_TITLE = "Об утверждении Стратегического плана"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that signs in through the login form."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        try:
            with self.opener.open(self.base_url + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, ""

    def login(self, username, password):
        self.get("/accounts/login/")
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base_url + "/accounts/login/", data=data, headers={"Referer": self.base_url}
        )
        with self.opener.open(request, timeout=5) as response:
            return response.status


@pytest.fixture
def portal():
    port = free_port()
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.test",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "khv_strategy.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    browser = Browser(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 20
    while browser.get("/healthz")[0] != 200:
        assert server.poll() is None, "gunicorn exited"
        assert time.monotonic() < deadline, "the portal did not start"
        time.sleep(0.2)
    yield browser
    server.terminate()
    server.wait(timeout=10)


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )


def plan_list_is_correct(browser):
    status, body = browser.get("/plans/")
    return status == 200 and PLAN_TITLE in body


@pytest.mark.django_db(transaction=True)
def test_the_portal_answers_again_within_five_seconds_of_a_restart(portal):
    plan_import(data=SEED.read_bytes())
    UserFactory(username="restart.viewer", role="viewer")
    assert portal.login("restart.viewer", "secret-pass-123") in {200, 302}
    for _ in range(6):  # both workers now hold a persistent connection
        assert plan_list_is_correct(portal)

    restart_postgresql()
    restarted = time.monotonic()
    answers = [plan_list_is_correct(portal) for _ in range(12)]
    elapsed = time.monotonic() - restarted

    # Each worker notices its dead connection before using it, so not one request fails.
    assert all(answers), answers
    assert elapsed < 5, f"12 answers took {elapsed:.1f} s after the restart"
    assert portal.get("/healthz")[0] == 200
    connection.close()  # this process's own connection died with the restart
