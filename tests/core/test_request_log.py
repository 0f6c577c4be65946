import logging

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_each_request_is_logged_with_its_duration_and_user(client_for, viewer, caplog):
    client = client_for(viewer)

    with caplog.at_level(logging.INFO, logger="khv_strategy.requests"):
        client.get(reverse("activities:plan_list"))

    record = next(r for r in caplog.records if r.name == "khv_strategy.requests")
    assert (record.method, record.path, record.status) == ("GET", "/plans/", 200)
    assert record.duration_ms >= 0
    assert (record.user_id, record.username) == (viewer.pk, "viewer")


@pytest.mark.django_db
def test_anonymous_requests_are_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="khv_strategy.requests"):
        client.get("/healthz")

    record = next(r for r in caplog.records if r.name == "khv_strategy.requests")
    assert record.user_id is None and record.status == 200


def test_the_json_formatter_writes_the_request_fields():
    import json

    from core.logging import JsonFormatter

    record = logging.LogRecord("khv_strategy.requests", logging.INFO, "", 0, "GET /", (), None)
    record.status, record.duration_ms, record.username = 200, 12.5, "editor"

    payload = json.loads(JsonFormatter().format(record))

    assert payload["status"] == 200 and payload["duration_ms"] == 12.5
    assert payload["username"] == "editor" and payload["message"] == "GET /"
