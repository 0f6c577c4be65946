"""The annual monitoring report: the page, the XLSX file with the same numbers, access."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import ReasonForDeviation
from dashboards.reports import STATUS_FILLS, XLSX_TYPE

from .conftest import YEAR
from .html import report_rows

pytestmark = pytest.mark.django_db
PAGE = reverse("dashboards:annual_report", args=[YEAR])
XLSX = reverse("dashboards:annual_report_xlsx", args=[YEAR])


def workbook(response):
    return load_workbook(BytesIO(response.content))


def sheet_rows(sheet):
    header, *rows = sheet.iter_rows(values_only=True)
    return header, rows


def as_decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def test_the_page_shows_every_indicator_with_its_figures(client_for, viewer, small_plan, head):
    ReasonForDeviation.objects.create(
        indicator=small_plan["indicators"][2], year=YEAR, text="Рост затрат.", author=head
    )

    response = client_for(viewer).get(PAGE)

    assert response.status_code == 200
    rows = report_rows(response.content.decode())
    assert list(rows) == ["I1", "I2", "I3", "I4", "I5"]
    assert rows["I1"] == {
        "baseline_value": "10.0000",
        "baseline_year": "2007",
        "original_target": "100.0000",
        "target": "100.0000",
        "actual": "120.0000",
        "degree": "1.2000",
        "status": "achieved",
    }
    assert rows["I4"]["actual"] == "" and rows["I4"]["status"] == "missing"
    html = response.content.decode()
    assert "Рост затрат." in html
    assert 'class="report-section' in html
    assert "no-print" in html  # the navigation is hidden when printed


def test_the_page_lists_the_measures_with_a_hook_for_report_texts(client_for, viewer, small_plan):
    report = client_for(viewer).get(PAGE).context["report"]

    assert len(report.measures) == 3
    assert [row.late for row in report.measures].count(True) == 1
    assert {row.last_report_text for row in report.measures} == {None}


def test_the_xlsx_has_the_same_numbers_as_the_page(client_for, viewer, small_plan, head):
    ReasonForDeviation.objects.create(
        indicator=small_plan["indicators"][2], year=YEAR, text="Рост затрат.", author=head
    )
    client = client_for(viewer)
    page = report_rows(client.get(PAGE).content.decode())

    response = client.get(XLSX)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert f"monitoring-report-{YEAR}.xlsx" in response["Content-Disposition"]
    sheet = workbook(response)["Показатели"]
    header, rows = sheet_rows(sheet)
    assert header[1:4] == ("Код", "Целевой показатель", "Единица измерения")
    assert len(rows) == len(page)
    for row in rows:
        on_page = page[row[1]]
        assert as_decimal(row[5]) == as_decimal(on_page["baseline_value"])
        assert row[6] == int(on_page["baseline_year"])
        assert as_decimal(row[7]) == as_decimal(on_page["target"])
        assert as_decimal(row[8]) == as_decimal(on_page["actual"])
        assert as_decimal(row[9]) == as_decimal(on_page["degree"])
    statuses = {row[1]: row[10] for row in rows}
    assert statuses == {
        "I1": "достигнуто",
        "I2": "под угрозой",
        "I3": "не достигнуто",
        "I4": "нет данных",
        "I5": "под угрозой",
    }
    assert {row[1]: row[11] for row in rows}["I3"] == "Рост затрат."


def test_the_xlsx_is_formatted_for_reading(client_for, viewer, small_plan):
    sheet = workbook(client_for(viewer).get(XLSX))["Показатели"]

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["C"].width >= 40
    assert sheet["J2"].number_format == "0.0%"
    # Whole numbers without ",00".
    assert sheet["H2"].value == 100 and sheet["H2"].number_format == "#,##0"
    fills = {
        sheet.cell(row, 2).value: sheet.cell(row, 11).fill.fgColor.rgb[-6:] for row in (2, 3, 4, 5)
    }
    assert fills == {
        "I1": STATUS_FILLS["achieved"],
        "I2": STATUS_FILLS["at_risk"],
        "I3": STATUS_FILLS["not_achieved"],
        "I4": STATUS_FILLS["missing"],
    }


def test_every_sheet_prints_on_a4_landscape_pages_a_column_wide(client_for, viewer, small_plan):
    book = workbook(client_for(viewer).get(XLSX))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title


def test_the_xlsx_has_a_sheet_of_measures(client_for, viewer, small_plan):
    sheets = workbook(client_for(viewer).get(XLSX)).worksheets

    assert [sheet.title for sheet in sheets] == [
        "Сводка",
        "Показатели",
        "Мероприятия",
        "Корректирующие мероприятия",
    ]
    header, rows = sheet_rows(sheets[2])
    assert header[-1] == "Что сделано"
    assert len(rows) == 3
    assert sorted(row[6] for row in rows) == ["да", "нет", "нет"]


@pytest.mark.parametrize("year", [1899, 2101])
def test_a_year_out_of_range_is_not_found(client_for, viewer, year):
    client = client_for(viewer)

    assert client.get(reverse("dashboards:annual_report", args=[year])).status_code == 404
    assert client.get(reverse("dashboards:annual_report_xlsx", args=[year])).status_code == 404


@pytest.mark.parametrize("url", [PAGE, XLSX])
def test_access(client_for, client, viewer, api_client_user, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(api_client_user).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(viewer).post(url).status_code == 405


def test_the_page_shows_the_plan_progress_computed_by_hand(client_for, viewer, small_plan):
    html = client_for(viewer).get(PAGE).content.decode()

    assert 'data-plan-progress="0.8584"' in html
    assert "85,8 %" in html


def test_the_xlsx_opens_on_a_summary_of_the_page(client_for, viewer, small_plan):
    client = client_for(viewer)
    page = client.get(PAGE).content.decode()
    sheet = workbook(client.get(XLSX)).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}

    progress = next(value for label, value in rows.items() if "«План развития»" in label)
    assert progress == pytest.approx(0.8584)
    assert sheet["B2"].number_format == "0.0%"
    counts = dict(re.findall(r'data-status-count="(\w+)">(\d+)<', page))
    labels = {"achieved": "достигнуто", "at_risk": "под угрозой", "not_achieved": "не достигнуто"}
    for status, label in labels.items():
        assert rows[label] == int(counts[status])
    assert rows["Всего показателей"] == 5
