"""The indicator list, the indicator page and the records behind a computed value."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.selectors import default_reporting_year
from indicators.models import Indicator
from tests.factories import ExpectedResultFactory

from .factories import AgreementFactory, IndicatorFactory, IndicatorValueFactory, TargetFactory

LIST = reverse("indicators:indicator_list")


def detail_url(indicator):
    return reverse("indicators:indicator_detail", args=[indicator.pk])


def records_url(indicator, year):
    return reverse("indicators:computed_records", args=[indicator.pk, year])


def row(html, code):
    start = html.index(f'data-indicator="{code}"')
    return html[start : html.index("</tr>", start)]


# --- list ---------------------------------------------------------------------------------


def test_list_shows_target_actual_degree_and_status(client_for, viewer, indicator):
    TargetFactory(indicator=indicator, year=2015, value=D(100))
    IndicatorValueFactory(indicator=indicator, year=2015, value=D(95))
    response = client_for(viewer).get(LIST, {"year": 2015})
    assert response.status_code == 200
    html = response.content.decode()
    cells = row(html, indicator.code)
    assert "95,0 %" in cells
    assert 'class="badge text-bg-warning" data-status="at_risk">под угрозой' in cells


@pytest.mark.parametrize(
    ("status", "shown"), [("missing", ["6.4.2-4"]), ("achieved", ["6.4.2-1"]), ("", None)]
)
def test_list_filters_by_status_of_the_year(
    client_for, viewer, indicator, computed_indicator, status, shown
):
    TargetFactory(indicator=indicator, year=2015)
    TargetFactory(indicator=computed_indicator, year=2015, value=D(1))
    AgreementFactory(signed_on=datetime.date(2015, 4, 1))
    html = client_for(viewer).get(LIST, {"year": 2015, "status": status}).content.decode()
    for code in shown or ["6.4.2-4", "6.4.2-1"]:
        assert f'data-indicator="{code}"' in html
    if shown:
        assert html.count("data-indicator=") == len(shown)


def test_list_filters_by_section_and_department(client_for, viewer, indicator, other_department):
    elsewhere = IndicatorFactory(code="7.1-1", department=other_department)
    client = client_for(viewer)
    by_section = client.get(LIST, {"section": indicator.expected_result.section_id}).content
    assert b'data-indicator="6.4.2-4"' in by_section and b"7.1-1" not in by_section
    by_department = client.get(LIST, {"department": other_department.pk}).content
    assert b'data-indicator="7.1-1"' in by_department and b"6.4.2-4" not in by_department
    assert elsewhere.pk


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "двадцать"}, "Введите год числом"),
        ({"year": "1800"}, "от 1900 до 2100"),
        ({"status": "great"}, "Выберите корректный вариант"),
    ],
)
def test_list_refuses_bad_filters(client_for, viewer, indicator, query, message):
    response = client_for(viewer).get(LIST, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_list_default_year_is_the_portals_default_reporting_year(client_for, viewer, indicator):
    """One rule for the default year (issue 19): the one the home page and my work use, shown
    in the year field."""
    TargetFactory(indicator=indicator, year=2020)
    response = client_for(viewer).get(LIST)
    expected = default_reporting_year(timezone.localdate())
    assert response.context["year"] == expected
    assert f'value="{expected}"' in response.content.decode()


def _indicators(count, department):
    result = ExpectedResultFactory()
    for n in range(count):
        computed = n % 2 == 0
        indicator = IndicatorFactory(
            code=f"N-{count}-{n}",
            department=department,
            expected_result=result,
            source="computed" if computed else "manual",
            computation="delegations_received" if computed else "",
        )
        TargetFactory(indicator=indicator, year=2015)
        if not computed:
            IndicatorValueFactory(indicator=indicator, year=2015, quarter=1)
            IndicatorValueFactory(indicator=indicator, year=2015, quarter=2)


def _count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow(client_for, viewer, department):
    """Targets, values and computed counts come from the progress selector, departments and
    sections are joined: no query per indicator row (the N+1 of the table)."""
    client = client_for(viewer)
    _indicators(3, department)
    small = _count_queries(client, LIST, {"year": 2015})
    _indicators(40, department)
    large = _count_queries(client, LIST, {"year": 2015})
    assert small == large
    assert Indicator.objects.count() == 43


@pytest.mark.parametrize("user", ["api_client_user", None])
def test_list_refuses_non_staff(db, client_for, request, user):
    response = client_for(request.getfixturevalue(user) if user else None).get(LIST)
    if user:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_list_rejects_post(client_for, viewer):
    assert client_for(viewer).post(LIST).status_code == 405


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_baseline_years_chart_and_values(client_for, viewer, indicator, editor):
    TargetFactory(indicator=indicator, year=2015, value=D(100))
    TargetFactory(indicator=indicator, year=2016, value=D(100))
    IndicatorValueFactory(indicator=indicator, year=2015, value=D("120.5"), author=editor)
    IndicatorValueFactory(indicator=indicator, year=2016, value=D(50), state="submitted")
    response = client_for(viewer).get(detail_url(indicator))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="baseline">10 (2007)' in html
    assert html.count("<tr data-year=") == 13  # 2008–2020
    year_2015 = html[html.index('data-year="2015"') :][:800]
    assert "120,5" in year_2015 and "перевыполнено" in year_2015
    assert 'data-status="achieved"' in year_2015
    year_2016 = html[html.index('data-year="2016"') :][:800]
    assert 'data-status="missing"' in year_2016  # the submitted value does not count
    assert 'id="chart-data"' in html and "vendor/chart.js/chart.umd.min.js" in html
    assert response.context["chart_data"]["series"][1]["data"][7] == 120.5
    assert "<script>" not in html and "style=" not in html
    # A viewer sees no action buttons.
    assert "Внести фактическое значение" not in html and "Согласовать</button>" not in html


def test_detail_shows_actions_by_role(client_for, editor, head, indicator):
    IndicatorValueFactory(indicator=indicator, state="draft")
    IndicatorValueFactory(indicator=indicator, year=2016, state="submitted")
    as_editor = client_for(editor).get(detail_url(indicator)).content.decode()
    assert "Внести фактическое значение" in as_editor
    assert "Отправить на согласование</button>" in as_editor
    assert "Согласовать</button>" not in as_editor
    as_head = client_for(head).get(detail_url(indicator)).content.decode()
    assert "Согласовать</button>" in as_head


def test_detail_of_computed_indicator_links_to_records(client_for, viewer, computed_indicator):
    AgreementFactory(signed_on=datetime.date(2015, 4, 1))
    html = client_for(viewer).get(detail_url(computed_indicator)).content.decode()
    assert records_url(computed_indicator, 2015) in html
    assert "Внести фактическое значение" not in html


def test_detail_query_count_does_not_grow(client_for, head, indicator):
    """Values with their authors and reviewers are joined; targets and actuals come from the
    selector: the page does not query per year or per value."""
    client = client_for(head)
    IndicatorValueFactory(indicator=indicator, year=2010, author=head, reviewer=head)
    small = _count_queries(client, detail_url(indicator))
    for year in range(2011, 2021):
        TargetFactory(indicator=indicator, year=year)
        IndicatorValueFactory(indicator=indicator, year=year, quarter=1, author=head)
        IndicatorValueFactory(
            indicator=indicator, year=year, quarter=2, state="submitted", author=head
        )
    large = _count_queries(client, detail_url(indicator))
    assert small == large


def test_detail_allows_other_departments_to_read(client_for, other_editor, indicator):
    assert client_for(other_editor).get(detail_url(indicator)).status_code == 200


@pytest.mark.parametrize("user", ["api_client_user", None])
def test_detail_refuses_non_staff(client_for, request, user, indicator):
    response = client_for(request.getfixturevalue(user) if user else None).get(
        detail_url(indicator)
    )
    assert response.status_code == (403 if user else 302)


def test_detail_rejects_post_and_unknown(client_for, viewer, indicator):
    client = client_for(viewer)
    assert client.post(detail_url(indicator)).status_code == 405
    assert client.get(reverse("indicators:indicator_detail", args=[999999])).status_code == 404


# --- records behind a computed value -------------------------------------------------------


def test_records_lists_the_records_of_the_year(client_for, viewer, computed_indicator):
    AgreementFactory(title="Соглашение с Ниигатой", signed_on=datetime.date(2015, 4, 1))
    AgreementFactory(title="Соглашение с Харбином", signed_on=datetime.date(2016, 4, 1))
    response = client_for(viewer).get(records_url(computed_indicator, 2015))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Соглашение с Ниигатой" in html and "01.04.2015" in html
    assert "Соглашение с Харбином" not in html


def test_records_of_manual_indicator_is_404(client_for, viewer, indicator):
    assert client_for(viewer).get(records_url(indicator, 2015)).status_code == 404


def test_records_access(client_for, api_client_user, computed_indicator, viewer):
    url = records_url(computed_indicator, 2015)
    assert client_for(None).get(url).status_code == 302
    assert client_for(api_client_user).get(url).status_code == 403
    assert client_for(viewer).post(url).status_code == 405
