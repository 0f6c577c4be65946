"""The annual monitoring report as a Word document for the City Duma (python-docx).

Built from ``selectors.annual_report`` only, like the page and the XLSX file, so the three
cannot disagree; numbers are formatted as on the page (``amount``: 12,5; degrees as 95,0 %).
Russian official style: A4, margins 3 / 1.5 / 2 / 2 cm, Times New Roman 14 pt for the text and
10 pt in tables, a title page, numbered pages; then the summary (plan progress, status counts),
per section its indicators (the original target and the one in force at the end of the year,
with the act that set it), what was done per measure and the heads' proposals.
"""

import re
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from indicators.templatetags.indicator_tags import actual_cell, amount, target_cell

from .models import CauseGroup
from .reports import cause_label

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
TEXT_SIZE = Pt(14)
TABLE_HALF_POINTS = 20  # 10 pt
# Column widths in cm; each row adds up to the text width (16.5 cm).
# The tables' columns in cm, on the landscape pages' 26.2 cm of text width.
INDICATOR_WIDTHS = (0.8, 5.4, 1.8, 2.1, 2.1, 2.6, 2.5, 2.5, 2.2, 4.2)
MEASURE_WIDTHS = (2.6, 8.6, 3.6, 2.8, 8.6)
ACTION_WIDTHS = (2.4, 11.0, 5.6, 3.2, 4.0)


def filename(year):
    return f"monitoring-report-{year}.docx"


def percent(degree):
    """A degree (1 = 100 %) as the page shows it: 95,0 %."""
    if degree is None:
        return "—"
    return f"{number_format(degree * 100, decimal_pos=1)} %"


def degree(row):
    """The degree cell as the page's: 120,0 % (exceeded); a milestone's status."""
    if row.milestone_status:
        return actual_cell(row)
    text = percent(row.degree)
    if row.exceeded:
        exceeded = _("exceeded")
        text = f"{text} ({exceeded})" if row.degree is not None else exceeded
    return text


def indicator_header():
    return [
        "№",
        _("Indicator"),
        pgettext("table header", "Unit"),
        _("Baseline value"),
        _("Original target"),
        _("Target in force at the end of the year"),
        _("Actual value"),
        _("Degree of achievement"),
        _("Status"),
        _("Reason for deviation"),
    ]


def indicator_cells(number, row):
    """The cells of an indicator's row, formatted as on the report page."""
    return [
        str(number),
        f"{row.code} {row.name}",
        row.unit,
        amount(row.baseline_value),
        amount(row.original_target),
        # The target the degree is measured against, and the act that set it (if not the
        # original plan's).
        f"{target_cell(row)}\n{row.target_act}" if row.target_act else target_cell(row),
        actual_cell(row),
        degree(row),
        str(row.status_label),
        reason_text(row.reason),
    ]


def reason_text(reason):
    """The reason cell: the cause's kind, then the head's text."""
    if reason is None:
        return "—"
    if reason.cause_group == CauseGroup.UNSPECIFIED:
        return reason.text
    return f"{cause_label(reason)}. {reason.text}"


def action_header():
    return [
        _("Indicator"),
        _("Corrective action"),
        _("Responsible person"),
        _("Due date"),
        _("Status"),
    ]


def action_cells(row, action):
    responsible = action.responsible
    if action.responsible_position:
        responsible = f"{responsible}, {action.responsible_position}"
    status = str(action.get_status_display())
    if action.done_on:
        status = f"{status} {action.done_on.strftime('%d.%m.%Y')}"
    return [row.code, action.text, responsible, action.due_on.strftime("%d.%m.%Y"), status]


def measure_header():
    return [
        _("Measure"),
        _("Text of the measure"),
        _("Responsible department"),
        _("Status"),
        pgettext("monitoring report", "What was done"),
    ]


def measure_cells(item):
    measure = item.measure
    return [
        measure.code,
        measure.text,
        str(measure.department) if measure.department else "—",
        str(measure.get_status_display()),
        item.last_report_text or "—",
    ]


# --- the document -------------------------------------------------------------------------------


def _base_style(document):
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = TEXT_SIZE
    # Cyrillic text takes the East Asian / complex-script font slots in some Word versions.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.15
    for name in ("Heading 1", "Heading 2", "Title"):
        heading = document.styles[name]
        heading.font.name = FONT
        heading.font.color.rgb = None
        fonts = heading.element.rPr.rFonts
        fonts.set(qn("w:eastAsia"), FONT)
        # The template's theme fonts (Calibri Light) would win over the name set above.
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    document.styles["Heading 1"].font.size = Pt(16)
    document.styles["Heading 2"].font.size = Pt(14)


def _page(section):
    """A4 portrait; 16.5 cm of text width between the margins."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)


def _landscape_page(section):
    """A4 landscape for the tables; 26.2 cm of text width between the margins."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_height, section.page_width = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)


def _page_numbers(section):
    """A centred PAGE field in the footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _centred(document, text, *, bold=False, size=None, space_before=0):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space_before)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = size
    return paragraph


# Characters XML 1.0 does not allow (a text pasted from elsewhere may carry them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TWIPS_PER_CM = 567
FIRST_LINE_INDENT = 709  # 1.25 cm in twips


def _run_xml(text, *, bold=False, half_points=None):
    lines = NOT_XML.sub("", str(text)).split("\n")
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    size = f'<w:sz w:val="{half_points}"/>' if half_points else ""
    properties = f"<w:rPr>{'<w:b/>' if bold else ''}{size}</w:rPr>"
    return f"<w:r>{properties}{texts}</w:r>"


class Body:
    """The document's body written as WordprocessingML and added in one piece.

    python-docx's paragraph, cell and run objects cost milliseconds each (every insertion
    searches the body's children for its place), which at scale 10 — 400 sections, 800 tables,
    30,000 cells — took over a minute; the same XML as text is parsed in well under a second.
    """

    def __init__(self):
        self.parts = []

    def heading(self, text, level):
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>{_run_xml(text)}</w:p>'
        )

    def text(self, text, *, indent=True, bold=False):
        indentation = f'<w:ind w:firstLine="{FIRST_LINE_INDENT}"/>' if indent else ""
        self.parts.append(
            f'<w:p><w:pPr>{indentation}<w:jc w:val="both"/></w:pPr>'
            f"{_run_xml(text, bold=bold)}</w:p>"
        )

    def table(self, header, rows, widths):
        """A grid table with a bold header row repeated on each page."""
        twips = [round(width * TWIPS_PER_CM) for width in widths]
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)

        def row(values, *, head):
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f"<w:p>{_run_xml(value, bold=head, half_points=TABLE_HALF_POINTS)}</w:p></w:tc>"
                for value, width in zip(values, twips, strict=True)
            )
            properties = "<w:trPr><w:tblHeader/></w:trPr>" if head else ""
            return f"<w:tr>{properties}{cells}</w:tr>"

        body = "".join(row(values, head=False) for values in rows)
        self.parts.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{row(header, head=True)}{body}</w:tbl>"
        )
        # Word wants a paragraph between two tables, or it joins them.
        self.parts.append("<w:p/>")

    def section_end(self, properties):
        """End a section here: the paragraph carries the section's properties (w:sectPr)."""
        self.parts.append(f"<w:p><w:pPr>{properties}</w:pPr></w:p>")

    def write(self, document):
        fragment = parse_xml(f"<w:body {nsdecls('w', 'r')}>{''.join(self.parts)}</w:body>")
        end = document.element.body.sectPr
        for element in list(fragment):
            end.addprevious(element)


def _title_page(document, report):
    _centred(document, settings.OPENDATA_PUBLISHER_NAME.upper(), bold=True)
    plans = ", ".join(plan.plan_in_genitive for plan in report.plans) or "—"
    _centred(document, _("ANNUAL REPORT"), bold=True, size=Pt(20), space_before=180)
    _centred(
        document,
        _("on the implementation of %(plans)s (monitoring) for %(year)s")
        % {"plans": plans, "year": report.year},
        size=Pt(16),
        space_before=12,
    )
    _centred(
        document,
        _("Khabarovsk, %(year)s") % {"year": report.today.year},
        space_before=220,
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(body, report):
    body.heading(_("1. Summary"), 1)
    for plan in report.plans:
        body.text(
            _("The progress of %(plan)s in %(year)s is %(percent)s.")
            % {
                "plan": plan.plan_in_genitive,
                "year": report.year,
                "percent": percent(plan.year_mean),
            },
        )
    body.text(
        _("The report covers %(count)s indicators; by status:") % {"count": report.indicator_count}
    )
    body.table(
        [_("Status"), _("Indicators")],
        [(str(item.label), item.count) for item in report.status_counts],
        (8, 4),
    )
    body.text(
        _(
            "Only approved values count; the degree of achievement is actual / target "
            "(target / actual when a decrease is better). Data as of %(date)s."
        )
        % {"date": report.today.strftime("%d.%m.%Y")},
    )


def _sections(body, report):
    body.heading(_("2. Indicators, measures and proposals by section"), 1)
    indicators_head, measures_head = indicator_header(), measure_header()
    measures = {}
    for item in report.measures:
        measures.setdefault(item.measure.section_id, []).append(item)
    for number, section in enumerate(report.sections, start=1):
        body.heading(f"2.{number}. {section.number} {section.title}", 2)
        body.text(
            _("Progress of the section: %(percent)s.") % {"percent": percent(section.year_mean)}
        )
        body.text(_("Indicators"), indent=False, bold=True)
        body.table(
            indicators_head,
            [indicator_cells(n, row) for n, row in enumerate(section.rows, start=1)],
            INDICATOR_WIDTHS,
        )
        actions = [action_cells(row, action) for row in section.rows for action in row.actions]
        if actions:
            body.text(_("Corrective actions"), indent=False, bold=True)
            body.table(action_header(), actions, ACTION_WIDTHS)
        section_measures = measures.pop(section.section_id, [])
        if section_measures:
            body.text(pgettext("monitoring report", "What was done"), indent=False, bold=True)
            body.table(
                measures_head,
                [measure_cells(item) for item in section_measures],
                MEASURE_WIDTHS,
            )
        body.text(_("Proposals"), indent=False, bold=True)
        body.text(section.proposals.text if section.proposals else "—")
    # Measures of sections without indicators in the report.
    rest = [item for items in measures.values() for item in items]
    if rest:
        body.heading(_("Other measures"), 2)
        body.table(measure_header(), [measure_cells(item) for item in rest], MEASURE_WIDTHS)


def annual_report_docx(report):
    """The report as the bytes of a .docx file."""
    document = Document()
    _base_style(document)
    _page(document.sections[0])
    _page_numbers(document.sections[0])
    properties = document.core_properties
    properties.title = _("Annual monitoring report for %(year)s") % {"year": report.year}
    properties.author = settings.OPENDATA_PUBLISHER_NAME
    properties.language = "ru-RU"
    properties.created = timezone.now()
    _title_page(document, report)
    body = Body()
    _summary(body, report)
    # The title page and the summary are portrait; the tables that follow, landscape.
    portrait = document.sections[0]._sectPr.xml
    body.section_end(re.sub(r"\s+xmlns:\w+=\"[^\"]*\"", "", portrait))
    _sections(body, report)
    body.write(document)
    _landscape_page(document.sections[-1])
    output = BytesIO()
    document.save(output)
    return output.getvalue()
