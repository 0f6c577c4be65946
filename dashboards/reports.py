"""The annual monitoring report as an XLSX workbook: the same rows as the printable page.

Built from ``selectors.annual_report`` only, so the page and the file cannot disagree. Text
cells go through ``neutralise`` (core.spreadsheets), so no text is a formula. Numbers
are written as numbers (the degree as a fraction formatted as a percentage) so that officials
can sum and sort them in Excel; the status cell is filled with its colour.
"""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheets import neutralise_row
from indicators.selectors import Status, actual_text, target_text

from .models import CauseGroup

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Whole numbers without decimals (5, not 5,00); fractions with up to four places.
WHOLE_FORMAT = "#,##0"
VALUE_FORMAT = "#,##0.0###"
PERCENT_FORMAT = "0.0%"
YEAR_FORMAT = "0"
# Bootstrap's success / warning / danger / secondary, lightened so black text stays readable.
STATUS_FILLS = {
    Status.ACHIEVED: "C6EFCE",
    Status.AT_RISK: "FFE699",
    Status.NOT_ACHIEVED: "F4B6B6",
    Status.MISSING: "D9D9D9",
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def filename(year):
    return f"monitoring-report-{year}.xlsx"


def _fill(colour):
    return PatternFill("solid", fgColor=colour)


def _sheet(workbook, title, columns, *, first=False):
    """A sheet with a bold, frozen header row; `columns` are (header, width)."""
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for index, (header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    # Printed: A4 landscape, every column on the page's width, the header on every page.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    return sheet


def _number_or_text(value):
    return _number(value) if value is None or isinstance(value, Decimal) else str(value)


def _number(value):
    return None if value is None else float(value)


def _value_format(value):
    whole = value is None or float(value).is_integer()
    return WHOLE_FORMAT if whole else VALUE_FORMAT


def _summary_sheet(workbook, report):
    """The first sheet: the plans' progress and how many indicators have each status."""
    sheet = _sheet(
        workbook, pgettext("sheet", "Summary"), [(_("Figure"), 60), (_("Value"), 14)], first=True
    )
    for plan in report.plans:
        label = _("Progress of %(plan)s") % {"plan": plan.plan_in_genitive}
        sheet.append(neutralise_row([label, _number(plan.year_mean)]))
        sheet.cell(sheet.max_row, 2).number_format = PERCENT_FORMAT
        sheet.cell(sheet.max_row, 1).alignment = WRAP
    for item in report.status_counts:
        sheet.append([str(item.label), item.count])
        sheet.cell(sheet.max_row, 2).number_format = WHOLE_FORMAT
        colour = STATUS_FILLS.get(item.status)
        if colour:
            sheet.cell(sheet.max_row, 1).fill = _fill(colour)
    sheet.append([_("Indicators in all"), report.indicator_count])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.cell(sheet.max_row, 2).number_format = WHOLE_FORMAT


def indicator_columns():
    return [
        (_("Section"), 10),
        (_("Code"), 11),
        (_("Indicator"), 50),
        (_("Unit"), 14),
        (_("Responsible department"), 18),
        (_("Baseline value"), 14),
        (_("Baseline year"), 10),
        (_("Target value"), 14),
        (_("Actual value"), 14),
        (_("Degree of achievement"), 13),
        (_("Status"), 15),
        (_("Reason for deviation"), 50),
        (_("Original target"), 14),
        (_("Target set by act"), 40),
        (_("Kind of cause"), 30),
    ]


def measure_columns():
    return [
        (_("Section"), 10),
        (_("Measure"), 8),
        (_("Text of the measure"), 60),
        (_("Responsible department"), 18),
        (_("Status"), 14),
        (_("Deadline"), 12),
        (_("Late"), 8),
        (pgettext("monitoring report", "What was done"), 60),
    ]


def cause_label(reason):
    """A cause's kind as the report prints it: «кадровые (внутренние условия)»."""
    if reason is None:
        return None
    if reason.cause_group == CauseGroup.UNSPECIFIED:
        return str(reason.get_cause_display())
    return f"{reason.get_cause_display()} ({reason.cause_group.label})"


def action_columns():
    return [
        (_("Section"), 10),
        (_("Code"), 11),
        (_("Indicator"), 40),
        (_("Kind of cause"), 30),
        (_("Corrective action"), 60),
        (_("Responsible person"), 25),
        (_("Position"), 25),
        (_("Due date"), 12),
        (_("Status"), 14),
        (_("Done on"), 12),
    ]


def _actions_sheet(workbook, report):
    """The corrective actions taken against the year's deviations, one row each."""
    sheet = _sheet(workbook, pgettext("sheet", "Corrective actions"), action_columns())
    for section in report.sections:
        for row in section.rows:
            for action in row.actions:
                sheet.append(
                    neutralise_row(
                        [
                            section.number,
                            row.code,
                            row.name,
                            cause_label(row.reason),
                            action.text,
                            action.responsible,
                            action.responsible_position or None,
                            action.due_on,
                            str(action.get_status_display()),
                            action.done_on,
                        ]
                    )
                )
                line = sheet.max_row
                for column in (8, 10):
                    sheet.cell(line, column).number_format = "DD.MM.YYYY"
                for column in (3, 5):
                    sheet.cell(line, column).alignment = WRAP


def annual_report_xlsx(report):
    """The report as the bytes of an XLSX file: a summary sheet, a sheet of indicators, one of
    measures."""
    workbook = Workbook()
    workbook.properties.title = _("Annual monitoring report for %(year)s") % {"year": report.year}

    _summary_sheet(workbook, report)
    sheet = _sheet(workbook, pgettext("sheet", "Indicators"), indicator_columns())
    for section in report.sections:
        for row in section.rows:
            sheet.append(
                neutralise_row(
                    [
                        section.number,
                        row.code,
                        row.name,
                        row.unit,
                        row.department,
                        _number(row.baseline_value),
                        row.baseline_year,
                        # A milestone's target, actual and degree are words (its status).
                        _number_or_text(target_text(row)),
                        _number_or_text(actual_text(row)),
                        _number_or_text(actual_text(row) if row.milestone_status else row.degree),
                        str(row.status_label),
                        row.reason.text if row.reason else None,
                        _number(row.original_target),
                        str(row.target_act) if row.target_act else None,
                        cause_label(row.reason),
                    ]
                )
            )
            line = sheet.max_row
            for column in (6, 8, 9, 13):
                cell = sheet.cell(line, column)
                if not isinstance(cell.value, str):  # a milestone's status is text
                    cell.number_format = _value_format(cell.value)
            sheet.cell(line, 7).number_format = YEAR_FORMAT
            sheet.cell(line, 10).number_format = PERCENT_FORMAT
            colour = STATUS_FILLS.get(row.status)
            if colour:
                sheet.cell(line, 11).fill = _fill(colour)
            for column in (3, 12):
                sheet.cell(line, column).alignment = WRAP

    sheet = _sheet(workbook, pgettext("sheet", "Measures"), measure_columns())
    for item in report.measures:
        measure = item.measure
        sheet.append(
            neutralise_row(
                [
                    measure.section.number,
                    measure.code,
                    measure.text,
                    str(measure.department) if measure.department else None,
                    str(measure.get_status_display()),
                    measure.deadline,
                    _("yes") if item.late else _("no"),
                    item.last_report_text,
                ]
            )
        )
        line = sheet.max_row
        sheet.cell(line, 6).number_format = "DD.MM.YYYY"
        if item.late:
            sheet.cell(line, 7).fill = _fill(STATUS_FILLS[Status.NOT_ACHIEVED])
        for column in (3, 8):
            sheet.cell(line, column).alignment = WRAP

    _actions_sheet(workbook, report)

    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
