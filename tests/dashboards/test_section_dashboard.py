"""The section dashboard: the section's figures, sparklines, bad input and access."""

from decimal import Decimal

import pytest
from django.urls import reverse

from .conftest import YEAR
from .html import elements_with

pytestmark = pytest.mark.django_db


def url(section):
    return reverse("dashboards:section_dashboard", args=[section.pk])


def test_it_shows_the_section_figures_computed_by_hand(client_for, viewer, small_plan):
    section_a, _ = small_plan["sections"]

    response = client_for(viewer).get(url(section_a), {"year": YEAR})

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.year_mean == Decimal("0.8167")
    assert {item.status: item.count for item in dashboard.status_counts} == {
        "achieved": 1,
        "at_risk": 1,
        "not_achieved": 1,
        "missing": 0,
    }
    assert [(row.progress.code, row.item.degree) for row in dashboard.indicators] == [
        ("I1", Decimal("1.2000")),
        ("I2", Decimal("0.9500")),
        ("I3", Decimal("0.5000")),
    ]
    assert dashboard.measures.by_status["done"] == 1
    assert dashboard.measures.late == 1


def test_every_indicator_has_a_sparkline_and_a_status_badge(client_for, viewer, small_plan):
    section_a, _ = small_plan["sections"]

    html = client_for(viewer).get(url(section_a), {"year": YEAR}).content.decode()

    sparklines = [e for e in elements_with(html, "data-chart") if e["data-chart"] == "sparkline"]
    assert len(sparklines) == 3
    for canvas in sparklines:
        assert f'id="{canvas["data-source"]}" type="application/json"' in html
    badges = [e["data-status"] for e in elements_with(html, "data-status")]
    assert badges == ["achieved", "at_risk", "not_achieved"]
    assert 'data-percent="81.7"' in html


def test_the_sparkline_carries_target_and_actual_by_year(client_for, viewer, small_plan):
    section_a, _ = small_plan["sections"]

    dashboard = client_for(viewer).get(url(section_a), {"year": YEAR}).context["dashboard"]

    assert dashboard.indicators[0].sparkline == {
        "labels": [2015],
        "target": [100.0],
        "actual": [120.0],
    }


def test_it_answers_404_for_an_unknown_section(client_for, viewer):
    assert client_for(viewer).get("/dashboards/sections/999999/").status_code == 404


def test_it_refuses_a_bad_year_with_400(client_for, viewer, small_plan):
    section_a, _ = small_plan["sections"]

    response = client_for(viewer).get(url(section_a), {"year": "2101"})

    assert response.status_code == 400
    assert "dashboard" not in response.context


def test_a_viewer_may_read_it(client_for, viewer, small_plan):
    assert client_for(viewer).get(url(small_plan["sections"][0])).status_code == 200


def test_it_refuses_an_api_client(client_for, api_client_user, small_plan):
    assert client_for(api_client_user).get(url(small_plan["sections"][0])).status_code == 403


def test_it_sends_anonymous_users_to_the_login(client, small_plan):
    response = client.get(url(small_plan["sections"][0]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_rejects_post(client_for, viewer, small_plan):
    assert client_for(viewer).post(url(small_plan["sections"][0])).status_code == 405
