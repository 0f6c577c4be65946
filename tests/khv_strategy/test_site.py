"""Site-wide behaviour: health probe, security headers, language switch, deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import MeasureFactory

ROOT = Path(__file__).resolve().parents[2]


def manage(*arguments, env):
    """manage.py in a fresh process with the environment `env` (settings are read at start)."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db
def test_healthz_answers_with_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client_for, viewer, administrator):
    measure = MeasureFactory()
    pages = [
        (None, reverse("login")),
        (viewer, reverse("activities:plan_list")),
        (viewer, reverse("activities:plan_detail", args=[measure.section.plan_id])),
        (viewer, reverse("activities:section_detail", args=[measure.section_id])),
        (viewer, reverse("activities:measure_detail", args=[measure.pk])),
        (administrator, reverse("activities:plan_import")),
    ]
    for user, url in pages:
        client = client_for(user)
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_interface_is_russian_by_default_and_switches_to_english(client_for, viewer):
    client = client_for(viewer)
    url = reverse("activities:plan_list")
    assert "Стратегические планы" in client.get(url).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": url})

    assert response.status_code == 302
    assert "Strategic plans" in client.get(url).content.decode()


@pytest.mark.django_db
def test_login_page_is_in_russian(client):
    html = client.get(reverse("login")).content.decode()

    assert "Вход" in html and "Пароль" in html


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "strategy.khabarovsk.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set only for the browser tests' process
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_run_without_a_shared_cache():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "strategy.khabarovsk.example",
    }
    env.pop("REDIS_URL", None)
    result = manage("check", env=env)

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_there_is_no_missing_migration():
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.test"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
