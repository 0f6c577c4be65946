"""Heads write the reason for an indicator's deviation; it shows on the report page and file."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import ReasonForDeviation

from .conftest import YEAR

pytestmark = pytest.mark.django_db
CAUSE = "internal_funding"


def url(indicator, year=YEAR):
    return reverse("dashboards:reason_for_deviation_save", args=[year, indicator.pk])


@pytest.fixture
def indicator(small_plan):
    return small_plan["indicators"][2]  # I3, of `department`


def test_the_head_of_the_department_writes_a_reason(client_for, head, indicator):
    response = client_for(head).post(
        url(indicator), {"cause": CAUSE, "text": "  Рост затрат на энергию.  "}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/dashboards/report/{YEAR}/#indicator-{indicator.pk}")
    reason = ReasonForDeviation.objects.get()
    assert (reason.indicator, reason.year, reason.cause, reason.text, reason.author) == (
        indicator,
        YEAR,
        CAUSE,
        "Рост затрат на энергию.",
        head,
    )


def test_a_second_save_replaces_the_text_and_history_keeps_the_first(client_for, head, indicator):
    client = client_for(head)
    client.post(url(indicator), {"cause": CAUSE, "text": "Первая редакция."})

    client.post(url(indicator), {"cause": CAUSE, "text": "Вторая редакция."})

    reason = ReasonForDeviation.objects.get()
    assert reason.text == "Вторая редакция."
    assert [h.text for h in reason.history.order_by("history_date")] == [
        "Первая редакция.",
        "Вторая редакция.",
    ]


def test_an_administrator_writes_a_reason(client_for, administrator, indicator):
    response = client_for(administrator).post(
        url(indicator), {"cause": CAUSE, "text": "Пояснение."}
    )

    assert response.status_code == 302
    assert ReasonForDeviation.objects.count() == 1


def test_htmx_gets_the_reason_cell_back(client_for, head, indicator):
    response = client_for(head).post(
        url(indicator), {"cause": CAUSE, "text": "Пояснение."}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="reason-{indicator.pk}"')
    assert "Пояснение." in html


def test_it_appears_on_the_page_and_in_the_file(client_for, head, indicator):
    client = client_for(head)
    client.post(url(indicator), {"cause": CAUSE, "text": "Пояснение руководителя."})

    page = client.get(reverse("dashboards:annual_report", args=[YEAR])).content.decode()
    xlsx = client.get(reverse("dashboards:annual_report_xlsx", args=[YEAR])).content

    assert "Пояснение руководителя." in page
    sheet = load_workbook(BytesIO(xlsx))["Показатели"]
    assert {row[1]: row[11] for row in sheet.iter_rows(min_row=2, values_only=True)}[
        indicator.code
    ] == "Пояснение руководителя."


def test_the_report_offers_the_form_only_where_the_user_may_write(client_for, head, small_plan):
    """Own indicators at risk (I2) or not achieved (I3): the form; achieved (I1), no data (I4)
    or another department's (I5): none."""
    html = client_for(head).get(reverse("dashboards:annual_report", args=[YEAR])).content.decode()

    offered = {i.code for i in small_plan["indicators"] if f'action="{url(i)}"' in html}
    assert offered == {"I2", "I3"}


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_reason_is_refused_and_nothing_is_written(client_for, head, indicator, text):
    response = client_for(head).post(url(indicator), {"cause": CAUSE, "text": text})

    assert response.status_code == 400
    assert "Напишите причину отклонения." in response.content.decode()
    assert not ReasonForDeviation.objects.exists()


def test_an_empty_reason_by_htmx_comes_back_with_the_message(client_for, head, indicator):
    response = client_for(head).post(
        url(indicator), {"cause": CAUSE, "text": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()


def test_an_editor_is_refused(client_for, editor, indicator):
    assert client_for(editor).post(url(indicator), {"cause": CAUSE, "text": "x"}).status_code == 403
    assert not ReasonForDeviation.objects.exists()


def test_the_head_of_another_department_is_refused(client_for, other_head, indicator):
    assert (
        client_for(other_head).post(url(indicator), {"cause": CAUSE, "text": "x"}).status_code
        == 403
    )
    assert not ReasonForDeviation.objects.exists()


def test_a_viewer_is_refused(client_for, viewer, indicator):
    assert client_for(viewer).post(url(indicator), {"cause": CAUSE, "text": "x"}).status_code == 403


def test_an_anonymous_user_is_sent_to_the_login(client, indicator):
    response = client.post(url(indicator), {"cause": CAUSE, "text": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ReasonForDeviation.objects.exists()


def test_get_is_not_allowed(client_for, head, indicator):
    assert client_for(head).get(url(indicator)).status_code == 405


def test_an_unknown_indicator_or_a_year_out_of_range_is_not_found(client_for, head, indicator):
    client = client_for(head)

    assert (
        client.post(
            f"/dashboards/report/{YEAR}/reasons/999999/", {"cause": CAUSE, "text": "x"}
        ).status_code
        == 404
    )
    assert client.post(url(indicator, year=1800), {"cause": CAUSE, "text": "x"}).status_code == 404
    assert not ReasonForDeviation.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_closed_year_takes_no_reason_new_or_changed(client_for, head, indicator, htmx):
    from activities.models import ReportingYear

    client = client_for(head)
    client.post(url(indicator), {"cause": CAUSE, "text": "Первая редакция."})
    ReportingYear.objects.create(year=YEAR, locked=True)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.post(
        url(indicator), {"cause": CAUSE, "text": "Переписано задним числом."}, **extra
    )
    page = client.get(reverse("dashboards:annual_report", args=[YEAR]))

    assert response.status_code == 400
    assert f"Отчётный год {YEAR} закрыт для изменений" in response.text
    assert ReasonForDeviation.objects.get().text == "Первая редакция."
    # The report page offers no form in a closed year and says why.
    assert url(indicator) not in page.text
    assert 'id="year-closed"' in page.text
