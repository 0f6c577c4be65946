"""The shared cache (Redis) going away and coming back: pages and the API keep answering,
uncached; the throttle lets requests through; the outage is logged once a minute without a
traceback; /healthz names the cache; once Redis is back, nothing stale is served.

Each test starts a Redis server of its own on a free port and stops it itself.
"""

import contextlib
import logging
import socket
import subprocess
import time
from decimal import Decimal

import pytest
import redis
from django.urls import reverse

from accounts.tokens import api_token_issue
from core import cache as core_cache
from core.api.throttling import ClientRateThrottle
from core.workflow import WorkflowState, workflow_approve
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server process on 127.0.0.1:<a free port>, its data file in `directory`."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--dir", str(self.directory), "--dbfilename", "dump.rdb",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self, *, keep_data=False):
        """Shut the server down; with `keep_data` its data is saved and loaded on start, as a
        Redis with persistence restarts."""
        # The server closes the connection as it exits.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(port=self.port).shutdown(save=keep_data, nosave=not keep_data)
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    """A running Redis of this test's own, the portal's cache pointed at it, every cache on."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "khv",
        }
    }
    settings.API_CACHE_SECONDS = 600
    settings.DASHBOARD_CACHE_SECONDS = 600
    monkeypatch.setattr(core_cache, "_warning_times", {}, raising=False)
    monkeypatch.setattr(core_cache, "_bump_pending", False, raising=False)
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture
def token(api_client_user):
    _token, key = api_token_issue(user=api_client_user, name="client")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.fixture
def approved_value(department):
    indicator = IndicatorFactory(department=department)
    return IndicatorValueFactory(
        indicator=indicator, year=2015, value=Decimal(7), state=WorkflowState.APPROVED
    )


def answers(client, viewer, token, value):
    """What a signed-in user and an API client get from pages and the API: (status, body)."""
    client.force_login(viewer)
    pages = [reverse("home"), reverse("activities:plan_list"), reverse("indicators:indicator_list")]
    page_statuses = [client.get(url).status_code for url in pages]
    client.logout()
    api = [
        client.get(reverse("indicatorvalue-list"), **token),
        client.get(reverse("indicatorvalue-detail", args=[value.pk]), **token),
        client.get(reverse("indicator-list"), **token),
    ]
    return page_statuses, [(r.status_code, r.json()) for r in api]


def test_pages_and_the_api_answer_the_same_while_redis_is_down_and_after(
    client, redis_server, viewer, token, approved_value
):
    with_cache = answers(client, viewer, token, approved_value)

    redis_server.stop()
    without_cache = answers(client, viewer, token, approved_value)
    redis_server.start()
    back = answers(client, viewer, token, approved_value)

    assert with_cache[0] == without_cache[0] == back[0] == [200, 200, 200]
    assert [status for status, _body in with_cache[1]] == [200, 200, 200]
    assert without_cache[1] == with_cache[1] == back[1]


def test_healthz_names_the_cache_while_redis_is_down(client, redis_server):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    redis_server.stop()
    down = client.get("/healthz")
    redis_server.start()
    back = client.get("/healthz")

    assert down.status_code == 503
    assert down.json() == {"status": "error", "database": "ok", "cache": "unavailable"}
    assert back.status_code == 200 and back.json()["cache"] == "ok"


def test_the_throttle_lets_requests_through_while_redis_is_down(
    client, redis_server, token, approved_value, monkeypatch
):
    rates = {**ClientRateThrottle.THROTTLE_RATES, "client": "3/minute"}
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", rates)
    url = reverse("indicatorvalue-detail", args=[approved_value.pk])

    redis_server.stop()
    down = [client.get(url, **token).status_code for _request in range(5)]
    redis_server.start()
    back = [client.get(url, **token).status_code for _request in range(4)]

    assert down == [200] * 5
    assert back == [200, 200, 200, 429]


def test_the_outage_is_one_warning_a_minute_without_a_traceback(
    client, redis_server, viewer, token, approved_value, caplog
):
    redis_server.stop()
    with caplog.at_level(logging.INFO):
        answers(client, viewer, token, approved_value)
        answers(client, viewer, token, approved_value)
        first_minute = [r for r in caplog.records if r.levelno >= logging.WARNING]
        # A minute later the outage is logged again.
        core_cache._warning_times["unavailable"] -= core_cache.WARNING_INTERVAL_SECONDS
        answers(client, viewer, token, approved_value)
        both = [r for r in caplog.records if r.levelno >= logging.WARNING]

    assert [(r.name, r.levelname) for r in first_minute] == [("core.cache", "WARNING")]
    assert "unreachable" in first_minute[0].getMessage()
    assert first_minute[0].exc_info is None
    assert len(both) == 2 and both[1].exc_info is None


def test_a_write_made_while_redis_was_down_shows_once_it_is_back(
    client, redis_server, token, head, department
):
    """Redis restarted from its saved data still holds the answers cached before the write:
    the write's data version bump, lost while Redis was down, is made when it is back."""
    indicator = IndicatorFactory(department=department)
    value = IndicatorValueFactory(
        indicator=indicator, year=2015, value=Decimal(7), state=WorkflowState.SUBMITTED
    )
    url = reverse("indicatorvalue-list")
    assert client.get(url, **token).json()["count"] == 0  # computed and cached
    assert client.get(url, **token).json()["count"] == 0  # from the cache

    redis_server.stop(keep_data=True)
    workflow_approve(item=value, by=head)
    while_down = client.get(url, **token).json()["count"]
    redis_server.start()
    back = client.get(url, **token).json()["count"]

    assert while_down == 1
    assert back == 1
