"""The annual report as a Word document: the same figures as the page, cell by cell (both come
from selectors.annual_report), in the Russian official layout, with the heads' proposals."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from activities.models import LegalAct
from dashboards.models import SectionProposal
from dashboards.word import DOCX_TYPE
from tests.indicators.factories import TargetFactory

pytestmark = pytest.mark.django_db
YEAR = 2015
PAGE = reverse("dashboards:annual_report", args=[YEAR])
DOCX = reverse("dashboards:annual_report_docx", args=[YEAR])
FIELDS = (
    "unit",
    "baseline_value",
    "original_target",
    "target",
    "actual",
    "degree",
    "status",
    "reason",
)


class CellTexts(HTMLParser):
    """{indicator code: {field: the cell's visible text}} of the report page."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.field, self.depth = {}, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-indicator" in attrs:
            self.row = self.rows.setdefault(attrs["data-indicator"], {})
        elif tag == "td" and self.row is not None and "data-field" in attrs:
            self.field = attrs["data-field"]
            self.row[self.field] = ""
        elif tag in ("form", "details", "textarea") and self.field == "reason":
            self.depth += 1
        elif tag == "br" and self.field:  # a line break reads as a space
            self.row[self.field] += " "

    def handle_endtag(self, tag):
        if tag == "td":
            self.field = None
        elif tag in ("form", "details", "textarea") and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.field and not self.depth:
            self.row[self.field] += data


def page_cells(html):
    parser = CellTexts()
    parser.feed(html)
    return {
        code: {field: " ".join(text.split()) for field, text in fields.items()}
        for code, fields in parser.rows.items()
    }


def document(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    return docx.Document(BytesIO(response.content))


def indicator_rows(doc):
    rows = {}
    for table in doc.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] != ["№", "Целевой показатель"]:
            continue
        for row in table.rows[1:]:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            code = cells[1].split(" ", 1)[0]
            rows[code] = dict(zip(("number", "name", *FIELDS), cells, strict=True))
    return rows


def test_every_figure_is_the_pages(client_for, viewer, small_plan):
    client = client_for(viewer)
    page = page_cells(client.get(PAGE).content.decode())
    rows = indicator_rows(document(client.get(DOCX)))

    assert set(rows) == set(page) == {"I1", "I2", "I3", "I4", "I5"}
    for code, on_page in page.items():
        for field in FIELDS:
            expected = on_page[field] or "—"
            if field == "reason" and expected.startswith("—"):
                expected = "—"
            assert rows[code][field] == expected, (code, field)
    assert rows["I1"]["degree"] == "120,0 % (перевыполнено)"
    assert rows["I2"]["target"] == "200" and rows["I2"]["actual"] == "190"


def test_the_summary_counts_and_the_title_page(client_for, viewer, small_plan):
    doc = document(client_for(viewer).get(DOCX))
    text = "\n".join(paragraph.text for paragraph in doc.paragraphs)

    assert "ГОДОВОЙ ОТЧЁТ" in text
    assert (
        f"о ходе реализации стратегического плана «План развития» (мониторинг) за {YEAR} год"
        in text
    )
    assert (
        "Прогресс реализации стратегического плана «План развития» в 2015 году составил 85,8 %."
        in text
    )
    counts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Статус")
    by_status = {row.cells[0].text: row.cells[1].text for row in counts.rows[1:]}
    assert by_status["достигнуто"] == "1"
    assert by_status["под угрозой"] == "2"
    assert by_status["не достигнуто"] == "1"
    assert by_status["нет данных"] == "1"
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
    assert "PAGE" in section.footer._element.xml


def test_the_heads_proposals_close_their_section(client, head, small_plan):
    section_a, _section_b = small_plan["sections"]
    client.force_login(head)
    url = reverse("dashboards:section_proposals_save", args=[YEAR, section_a.pk])
    response = client.post(url, {"text": "Увеличить финансирование обменов."})
    assert response.status_code == 302
    assert SectionProposal.objects.get(section=section_a, year=YEAR).author == head

    doc = document(client.get(DOCX))
    texts = [paragraph.text for paragraph in doc.paragraphs]
    heading = texts.index("2.1. 1.1 Раздел А")
    following = texts[heading:]
    assert following[following.index("Предложения") + 1] == "Увеличить финансирование обменов."
    assert "Увеличить финансирование обменов." in client.get(PAGE).content.decode()


def test_a_head_of_another_department_or_a_viewer_cannot_write_proposals(
    client, viewer, other_head, small_plan
):
    section_a, _section_b = small_plan["sections"]  # only `department` answers for section A
    url = reverse("dashboards:section_proposals_save", args=[YEAR, section_a.pk])
    for user in (viewer, other_head):
        client.force_login(user)
        assert client.post(url, {"text": "Чужие предложения."}).status_code == 403
    assert not SectionProposal.objects.exists()


def test_too_long_proposals_are_refused_and_nothing_written(client, head, small_plan):
    section_a, _section_b = small_plan["sections"]
    client.force_login(head)
    url = reverse("dashboards:section_proposals_save", args=[YEAR, section_a.pk])
    response = client.post(url, {"text": "х" * 8001})
    assert response.status_code == 400
    assert not SectionProposal.objects.exists()


def test_a_target_raised_by_an_act_shows_both_targets_and_the_act(client_for, viewer, small_plan):
    indicator = small_plan["indicators"][0]  # I1: target 100, actual 120
    act = LegalAct.objects.create(
        kind=LegalAct.Kind.DUMA_DECISION,
        number="пример-7",
        date=datetime.date(YEAR, 6, 1),
        title="О внесении изменений",
    )
    TargetFactory(indicator=indicator, year=YEAR, value=Decimal(150), act=act)
    client = client_for(viewer)
    page = page_cells(client.get(PAGE).content.decode())
    rows = indicator_rows(document(client.get(DOCX)))

    assert rows["I1"]["original_target"] == "100"
    assert rows["I1"]["target"].startswith("150 ") and "пример-7" in rows["I1"]["target"]
    assert rows["I1"]["degree"] == "80,0 %"  # against the target in force: 120 / 150
    assert rows["I1"]["target"] == page["I1"]["target"]


def test_a_plan_named_by_its_act_reads_as_russian_on_the_title_page(client_for, viewer, small_plan):
    """An imported plan carries its act's title ("Об утверждении Стратегического плана …"):
    the report names the plan itself, not «Об утверждении …» after "стратегического плана"."""
    from activities.models import StrategicPlan

    StrategicPlan.objects.update(title="Об утверждении Стратегического плана развития города")
    doc = document(client_for(viewer).get(DOCX))
    text = "\n".join(paragraph.text for paragraph in doc.paragraphs)

    assert f"о ходе реализации Стратегического плана развития города (мониторинг) за {YEAR}" in text
    assert "Прогресс реализации Стратегического плана развития города в 2015 году" in text
    assert "«Об утверждении" not in text


def test_the_tables_are_on_landscape_pages_and_fit_them(client_for, viewer, small_plan):
    """Title page and summary portrait; the sections' tables on landscape A4, each table no
    wider than the text between the margins (opened in LibreOffice, the portrait tables broke
    their headers mid-word)."""
    doc = document(client_for(viewer).get(DOCX))
    first, last = doc.sections[0], doc.sections[-1]

    assert len(doc.sections) == 2
    assert first.page_width < first.page_height
    assert last.page_width > last.page_height and round(last.page_width.cm, 1) == 29.7
    text_width = last.page_width - last.left_margin - last.right_margin
    tables = [table for table in doc.tables if table.rows[0].cells[0].text != "Статус"]
    assert tables
    for table in tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        twips = sum(int(column.get(qn("w:w"))) for column in grid)
        assert twips * 635 <= text_width + len(grid) * 635  # a twip of rounding per column
    assert all(section.footer.paragraphs[0]._p.xml.count("PAGE") for section in doc.sections)
