"""Milestones (qualitative indicators) in every roll-up: the section and home dashboards, the
annual report as a page, XLSX and Word, the public portal and open data. The figures of a
section that mixes numeric indicators and milestones are computed by hand."""

import re
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import PublishedReport
from indicators.models import Indicator
from indicators.selectors import indicator_progress, indicator_queryset
from tests.factories import ExpectedResultFactory, SectionFactory, StrategicPlanFactory, UserFactory
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory, TargetFactory

from .conftest import YEAR, indicator_with
from .html import elements_with
from .test_home import counts_in
from .test_public import opendata_files
from .test_report_docx import indicator_rows, page_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_section(department):
    """One section, in 2015:

    N1 120/100 → degree 1.20 (capped 1), achieved;   N2 50/100 → 0.50, not achieved;
    M1 done → achieved;  M2 partly done → at risk;  M3 not done → not achieved;
    M4 due in 2015, no status → missing.
    Counts: achieved 2, at risk 1, not achieved 2, missing 1 (milestones count).
    Mean: (1 + 0.5) / 2 = 0.75 over the two numeric indicators only (milestones have no degree).
    """
    plan = StrategicPlanFactory(title="План", horizon_year=2020)
    section = SectionFactory(plan=plan, number="6.4.2", title="Связи", position=1)
    indicator_with(section, department, target=100, actual=120, code="N1")
    indicator_with(section, department, target=100, actual=50, code="N2")
    for code, status in [
        ("M1", "done"),
        ("M2", "partly_done"),
        ("M3", "not_done"),
        ("M4", None),
    ]:
        milestone = IndicatorFactory(
            expected_result=ExpectedResultFactory(section=section),
            department=department,
            code=code,
            name=f"Веха {code}",
            kind=Indicator.Kind.MILESTONE,
            unit="—",
            baseline_value=None,
        )
        TargetFactory(indicator=milestone, year=YEAR, value=None)
        if status:
            IndicatorValueFactory(
                indicator=milestone,
                year=YEAR,
                value=None,
                milestone_status=status,
                comment=f"Подтверждение {code}",
            )
    return section


COUNTS = {"achieved": 2, "at_risk": 1, "not_achieved": 2, "missing": 1}


def test_the_progress_counts_milestones_and_averages_only_degrees(mixed_section):
    progress = indicator_progress(indicator_queryset(), [YEAR])

    statuses = {item.code: item.for_year(YEAR).status for item in progress.indicators}
    assert statuses == {
        "N1": "achieved",
        "N2": "not_achieved",
        "M1": "achieved",
        "M2": "at_risk",
        "M3": "not_achieved",
        "M4": "missing",
    }
    (section,) = progress.sections
    assert section.for_year(YEAR).mean == Decimal("0.7500")
    assert section.for_year(YEAR).count == 2
    (plan,) = progress.plans
    assert plan.for_year(YEAR).mean == Decimal("0.7500")
    milestone = progress.indicators[2].for_year(YEAR)
    assert milestone.degree is None and milestone.capped_degree is None
    assert milestone.target is None and milestone.actual is None and milestone.milestone_due


def test_the_section_dashboard_counts_milestones_and_shows_their_status(
    client_for, viewer, mixed_section
):
    url = reverse("dashboards:section_dashboard", args=[mixed_section.pk])
    html = client_for(viewer).get(url, {"year": YEAR}).content.decode()

    assert counts_in(html) == COUNTS
    assert 'data-percent="75.0"' in html
    badges = [e["data-status"] for e in elements_with(html, "data-status")]
    assert badges == ["achieved", "at_risk", "not_achieved", "missing", "achieved", "not_achieved"]
    row = html.split('data-indicator="M2"', 1)[1].split("</tr>", 1)[0]
    # Target "done", actual "partly done", and in the degree column the status, not a number.
    assert row.count("выполнено частично") == 2 and ">выполнено<" in row
    assert "%" not in row


def test_the_home_dashboard_counts_milestones_and_averages_only_degrees(
    client_for, viewer, mixed_section
):
    html = client_for(viewer).get(reverse("home"), {"year": YEAR}).content.decode()

    assert counts_in(html) == COUNTS
    percents = [e["data-percent"] for e in elements_with(html, "data-percent")]
    assert percents[:2] == ["75.0", "75.0"]  # the plan's and the section's


def test_the_report_page_xlsx_and_word_show_the_status(client_for, viewer, mixed_section):
    client = client_for(viewer)

    page = client.get(reverse("dashboards:annual_report", args=[YEAR])).content.decode()
    cells = page_cells(page)
    assert cells["M2"]["target"] == "выполнено"
    assert cells["M2"]["actual"] == "выполнено частично"
    assert cells["M2"]["degree"] == "выполнено частично"
    assert cells["M4"]["actual"] == "—" and cells["M4"]["degree"] == "—"
    assert cells["N2"]["degree"] == "50,0 %"

    xlsx = client.get(reverse("dashboards:annual_report_xlsx", args=[YEAR]))
    sheet = load_workbook(BytesIO(xlsx.content))["Показатели"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # Target, actual, degree, status (columns 8–11).
    assert rows["M1"][7:11] == ("выполнено", "выполнено", "выполнено", "достигнуто")
    assert rows["M3"][7:11] == ("выполнено", "не выполнено", "не выполнено", "не достигнуто")
    assert rows["N1"][7:10] == (100, 120, 1.2)

    word = client.get(reverse("dashboards:annual_report_docx", args=[YEAR]))
    doc_rows = indicator_rows(docx.Document(BytesIO(word.content)))
    assert doc_rows["M2"]["target"] == "выполнено"
    assert doc_rows["M2"]["actual"] == "выполнено частично"
    assert doc_rows["M2"]["degree"] == "выполнено частично"
    assert doc_rows["M2"]["status"] == cells["M2"]["status"]
    # The summary's counts include the milestones.
    counts = re.findall(r'data-status-count="(\w+)">(\d+)<', page)
    assert {status: int(count) for status, count in counts} == {**COUNTS, "none": 0}
    assert 'data-plan-progress="0.7500"' in page


def test_the_public_pages_and_open_data_show_the_status(client, mixed_section, settings):
    settings.PUBLIC_PORTAL = True
    PublishedReport.objects.create(year=YEAR, published_by=UserFactory())
    milestone = Indicator.objects.get(code="M2")

    page = client.get(reverse("public:indicator", args=[milestone.pk])).content.decode()
    row = page.split(f">{YEAR}<", 1)[1].split("</tr>", 1)[0]
    assert row.count("выполнено частично") == 2 and "%" not in row
    report = client.get(reverse("public:report", args=[YEAR])).content.decode()
    assert "выполнено частично" in report

    files = opendata_files(client)
    (data,) = [
        content.decode("utf-8-sig")
        for url, content in files.items()
        if "strategy-indicators/data-" in url and url.endswith(".csv")
    ]
    lines = [line for line in data.splitlines() if ",M2," in line or ",M4," in line]
    assert len(lines) == 2
    assert lines[0].endswith(",at_risk,milestone,partly_done")
    assert lines[1].endswith(",missing,milestone,")


def test_a_milestones_pages_leave_out_what_only_numbers_have(
    client_for, viewer, client, mixed_section, settings
):
    """A milestone has no unit, direction, accumulation or baseline to speak of: its staff and
    public pages say what kind of indicator it is instead; a numeric indicator keeps them."""
    settings.PUBLIC_PORTAL = True
    PublishedReport.objects.create(year=YEAR, published_by=UserFactory())
    milestone = Indicator.objects.get(code="M2")
    numeric = Indicator.objects.filter(kind=Indicator.Kind.NUMERIC).first()
    staff = client_for(viewer)
    only_numbers = ["Единица измерения", "Направление", "Способ подсчёта", "Базовое значение"]

    def terms(response):
        return re.findall(r"<dt[^>]*>([^<]+)</dt>", response.content.decode())

    staff_milestone = terms(staff.get(reverse("indicators:indicator_detail", args=[milestone.pk])))
    staff_numeric = terms(staff.get(reverse("indicators:indicator_detail", args=[numeric.pk])))
    public_milestone = terms(client.get(reverse("public:indicator", args=[milestone.pk])))
    public_numeric = terms(client.get(reverse("public:indicator", args=[numeric.pk])))

    assert "Вид" in staff_milestone and "Вид" in public_milestone
    assert not set(only_numbers) & set(staff_milestone + public_milestone)
    assert set(only_numbers) <= set(staff_numeric)
    assert {"Единица измерения", "Базовое значение"} <= set(public_numeric)
