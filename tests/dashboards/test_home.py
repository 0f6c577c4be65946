"""The home dashboard: figures computed by hand, links, filters, bad input and access."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.indicators.factories import IndicatorValueFactory

from .conftest import YEAR
from .html import elements_with

pytestmark = pytest.mark.django_db
URL = reverse("home")


def counts_in(html):
    """{status: count} read from the page's summary cards (the first four counts)."""
    cards = elements_with(html.split('id="status-counts"', 1)[1], "data-count")[:4]
    links = elements_with(html.split('id="status-counts"', 1)[1], "data-status-count")[:4]
    return {
        link["data-status-count"]: int(card["data-count"])
        for link, card in zip(links, cards, strict=True)
    }


def test_it_shows_the_status_counts_computed_by_hand(client_for, viewer, small_plan):
    response = client_for(viewer).get(URL, {"year": YEAR})

    assert response.status_code == 200
    html = response.content.decode()
    assert counts_in(html) == {"achieved": 1, "at_risk": 2, "not_achieved": 1, "missing": 1}
    dashboard = response.context["dashboard"]
    assert {item.status: item.count for item in dashboard.status_counts} == counts_in(html)


def test_it_shows_section_and_plan_progress_computed_by_hand(client_for, viewer, small_plan):
    section_a, section_b = small_plan["sections"]

    response = client_for(viewer).get(URL, {"year": YEAR})

    dashboard = response.context["dashboard"]
    (plan,) = dashboard.plans
    assert plan.year_mean == Decimal("0.8584")
    assert [(row.section, row.year_mean) for row in plan.sections] == [
        (section_a, Decimal("0.8167")),
        (section_b, Decimal("0.9000")),
    ]
    percents = [e["data-percent"] for e in elements_with(response.content.decode(), "data-percent")]
    assert percents[:3] == ["85.8", "81.7", "90.0"]


def test_every_count_links_to_the_list_behind_it(client_for, viewer, small_plan, department):
    section_a, _ = small_plan["sections"]

    html = client_for(viewer).get(URL, {"year": YEAR}).content.decode()

    indicators = reverse("indicators:indicator_list")
    assert f'href="{indicators}?year={YEAR}&amp;status=at_risk"' in html
    assert f'href="{indicators}?section={section_a.pk}&amp;year={YEAR}"' in html
    agreements = reverse("partners:agreement_list")
    assert f'href="{agreements}?expiry=expiring"' in html
    assert f'href="{agreements}?expiry=expired"' in html
    measures = reverse("dashboards:measure_list")
    assert f'href="{measures}?status=done"' in html
    assert f'href="{measures}?late=on"' in html
    assert f'href="{measures}?section={section_a.pk}"' in html


def test_the_linked_indicator_list_agrees_with_the_count(client_for, viewer, small_plan):
    client = client_for(viewer)

    response = client.get(reverse("indicators:indicator_list"), {"year": YEAR, "status": "at_risk"})

    assert [indicator.code for indicator, _item in response.context["rows"]] == ["I2", "I5"]


def test_it_counts_measures_agreements_and_late_ones(client_for, viewer, small_plan):
    dashboard = client_for(viewer).get(URL, {"year": YEAR}).context["dashboard"]

    assert dashboard.measure_totals == {
        "planned": 1,
        "in_progress": 1,
        "done": 1,
        "cancelled": 0,
        "late": 1,
    }
    assert [m.text for m in dashboard.late_measures] == ["Опоздавшее мероприятие."]
    assert dashboard.agreements.expiring_count == 1
    assert dashboard.agreements.expired_count == 1
    assert [a.title for a in dashboard.agreements.expiring] == ["Истекающее соглашение"]


def test_it_filters_by_department(client_for, viewer, small_plan, other_department):
    response = client_for(viewer).get(URL, {"year": YEAR, "department": other_department.pk})

    dashboard = response.context["dashboard"]
    assert {item.status: item.count for item in dashboard.status_counts} == {
        "achieved": 0,
        "at_risk": 1,
        "not_achieved": 0,
        "missing": 0,
    }
    (plan,) = dashboard.plans
    assert [row.section.number for row in plan.sections] == ["1.2"]
    assert plan.year_mean == Decimal("0.9000")
    assert dashboard.agreements.expiring_count == 0
    assert dashboard.measure_totals["planned"] == 1


def test_it_opens_on_the_last_ended_year_within_the_plan(client_for, viewer, small_plan):
    response = client_for(viewer).get(URL)

    # The plan runs to 2020, long before last year: the dashboard opens on 2020 (the default
    # reporting year, activities.selectors), not on an empty year, and its field says so.
    year = min(timezone.localdate().year - 1, 2020)
    assert response.context["dashboard"].year == year
    assert f'name="year" value="{year}"' in response.content.decode()


def test_it_lists_the_latest_approvals(client_for, viewer, small_plan, head):
    indicator = small_plan["indicators"][0]
    IndicatorValueFactory(
        indicator=indicator,
        year=2016,
        value=Decimal("295.5"),
        reviewer=head,
        reviewed_at=timezone.now(),
    )

    response = client_for(viewer).get(URL, {"year": YEAR})

    dashboard = response.context["dashboard"]
    assert [a.title for a in dashboard.approvals] == [f"{indicator.code} {indicator.name}"]
    # The number as everywhere else in Russian: a decimal comma, and its unit.
    html = response.content.decode()
    assert "2016: 295,5 ед." in html
    assert "295.5" not in html.split('id="latest-approvals"')[1]


def test_the_section_charts_carry_the_mean_degree_by_year(client_for, viewer, small_plan):
    dashboard = client_for(viewer).get(URL, {"year": YEAR}).context["dashboard"]

    charts = [row.chart for row in dashboard.plans[0].sections]
    assert charts[0] == {"labels": [2015], "data": [81.67], "statuses": ["not_achieved"]}
    assert charts[1] == {"labels": [2015], "data": [90.0], "statuses": ["at_risk"]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "двадцать"}, "Enter the year as a number"),
        ({"year": "1800"}, "The year must be between 1900 and 2100."),
        ({"department": "abc"}, "There is no such department"),
        ({"department": "999999"}, "There is no such department"),
    ],
)
def test_it_refuses_bad_filters_with_400(client_for, viewer, small_plan, params, message):
    with_english = client_for(viewer)
    with_english.cookies["django_language"] = "en"

    response = with_english.get(URL, params)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "dashboard" not in response.context


def test_bad_filters_read_in_russian(client_for, viewer):
    response = client_for(viewer).get(URL, {"year": "x"})

    assert response.status_code == 400
    assert "Введите год числом" in response.content.decode()


@pytest.mark.parametrize("user", ["viewer", "editor", "head", "administrator"])
def test_every_portal_role_may_read_it(client_for, request, user, small_plan):
    assert client_for(request.getfixturevalue(user)).get(URL).status_code == 200


def test_it_refuses_an_api_client(client_for, api_client_user):
    assert client_for(api_client_user).get(URL).status_code == 403


def test_it_sends_anonymous_users_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_rejects_post(client_for, viewer):
    assert client_for(viewer).post(URL).status_code == 405


def test_it_carries_the_content_security_policy_and_no_inline_script(
    client_for, viewer, small_plan
):
    response = client_for(viewer).get(URL, {"year": YEAR})

    html = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert " style=" not in html
    assert "<script>" not in html
