"""Text typed by users never reaches a spreadsheet as a live formula (OWASP "CSV injection").

Every text column of every model behind an export is filled with values that start with a
formula character; each export (the partner registers as XLSX and CSV, the annual report's
XLSX, the admin's export and every API list as CSV) must give them back as text prefixed with
an apostrophe, while numbers, negative ones included, stay numbers.
"""

import csv
import datetime
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from core.api.renderers import CSVRenderer
from core.spreadsheets import FORMULA_TRIGGERS, neutralise
from core.workflow import WorkflowState
from dashboards.models import CorrectiveAction, ReasonForDeviation
from indicators.models import Indicator, IndicatorValue
from khv_strategy.api.router import router
from tests.api.test_endpoints import populate
from tests.partners.conftest import SPREADSHEET_SLUGS

pytestmark = pytest.mark.django_db

YEAR = 2015
APPS = ["activities", "partners", "indicators", "dashboards", "accounts"]
TRIGGERS = "=+-@\t\r"


def hostile_text_fields(model):
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not isinstance(field, models.URLField | models.EmailField)
            and field.concrete
            and field.name not in {"password", "username", "key_hash", "prefix"}
        ):
            yield field


def make_hostile():
    """Every text column of every row starts with =, +, -, @, a tab or a carriage return."""
    triggers = itertools.cycle(TRIGGERS)
    hostile = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            fields = list(hostile_text_fields(model))
            if not fields:
                continue
            for obj in model.objects.all():
                for field in fields:
                    value = f"{next(triggers)}{field.name}{obj.pk}+1"
                    value = value[: field.max_length] if field.max_length else value
                    setattr(obj, field.name, value)
                    hostile[value] = (model.__name__, field.name)
                model.objects.filter(pk=obj.pk).update(
                    **{field.name: getattr(obj, field.name) for field in fields}
                )
    return hostile


@pytest.fixture
def hostile(department, head):
    populate(department, 2)
    IndicatorValue.objects.update(state=WorkflowState.APPROVED)
    # A negative number is a number, not a formula: it must stay one.
    IndicatorValue.objects.filter(pk=IndicatorValue.objects.first().pk).update(value=-12.5)
    for indicator in Indicator.objects.all():
        reason = ReasonForDeviation.objects.create(
            indicator=indicator, year=YEAR, text="x", author=head
        )
        # A pk of its own range: the hostile values name the field and the pk, and an
        # action's "text" must not take the same value as a measure's.
        CorrectiveAction.objects.create(
            pk=100_000 + indicator.pk,
            reason=reason,
            text="x",
            responsible="x",
            responsible_position="x",
            due_on=datetime.date(YEAR + 1, 6, 1),
            author=head,
        )
    return make_hostile()


def assert_neutralised(cells, hostile, *, with_text=True):
    """No cell is text that a spreadsheet would evaluate; the users' text is there, escaped."""
    found = set()
    for value in cells:
        if isinstance(value, str) and value[:1] in TRIGGERS:
            # Only plain numbers written as text may start with + or -.
            assert neutralise(value) == value, f"live formula {value!r}"
        if isinstance(value, str) and value.startswith("'") and value[1:] in hostile:
            found.add(value[1:])
    assert found or not with_text, "none of the hostile values was exported"
    return found


def xlsx_cells(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))  # formulas kept, not evaluated
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                cells.append(cell.value)
    return cells


def csv_cells(content):
    text = content.decode("utf-8-sig")
    return [value for row in csv.reader(io.StringIO(text, newline="")) for value in row]


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_partner_exports_escape_formulas(client_for, viewer, hostile, slug, file_format):
    url = reverse(f"partners:{slug}_export")

    response = client_for(viewer).get(url, {"format": file_format})

    assert response.status_code == 200
    cells = (xlsx_cells if file_format == "xlsx" else csv_cells)(response.content)
    assert_neutralised(cells, hostile)


def test_the_annual_report_escapes_formulas_and_keeps_numbers(client_for, head, hostile):
    response = client_for(head).get(reverse("dashboards:annual_report_xlsx", args=[YEAR]))

    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    found = assert_neutralised(cells, hostile)
    kinds = {hostile[value] for value in found}
    assert ("ReasonForDeviation", "text") in kinds  # the heads' reasons for deviation
    # The corrective actions' sheet.
    assert {("CorrectiveAction", f) for f in ("text", "responsible", "responsible_position")} <= (
        kinds
    )
    assert ("ProgressReport", "text") in kinds  # the departments' report texts
    assert ("Measure", "text") in kinds
    assert -12.5 in cells  # a negative number is still a number cell


@pytest.mark.parametrize("basename", [basename for _prefix, _view, basename in router.registry])
def test_api_csv_escapes_formulas(client_for, administrator, hostile, basename):
    response = client_for(administrator).get(reverse(f"{basename}-list"), {"format": "csv"})

    assert response.status_code == 200
    # Targets have no text column; their numbers still must not be escaped.
    assert_neutralised(csv_cells(response.content), hostile, with_text=basename != "target")


def test_api_csv_keeps_negative_numbers(client_for, administrator, hostile):
    url = reverse("indicatorvalue-list")

    response = client_for(administrator).get(url, {"format": "csv"})

    values = [row["value"] for row in csv.DictReader(io.StringIO(response.content.decode()))]
    assert "-12.5000" in values


def test_api_csv_headers_and_nested_values_are_escaped_too():
    """Error bodies are rendered with their keys as headers; lists are joined into one cell."""
    body = {"=detail": "@error", "items": ["=1+1", "x"], "nested": {"-a": "+b"}}

    cells = csv_cells(CSVRenderer().render(body))

    assert cells == ["'=detail", "items", "nested.-a", "'@error", "'=1+1; x", "'+b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 (4212) 32-00-00", "'+7 (4212) 32-00-00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e5", "-1e5"),
        ("Харбин", "Харбин"),
        ("", ""),
        (-12.5, -12.5),
        (Decimal("-3.25"), Decimal("-3.25")),
        (-4, -4),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    assert set(FORMULA_TRIGGERS) == set(TRIGGERS)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_admin_exports_escape_formulas(client, hostile, file_format):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    url = reverse("admin:partners_agreement_export")
    form = client.get(url).context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": choice, "resource": form.fields["resource"].initial or 0}
    data |= {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", False)
    }

    response = client.post(url, data)

    assert response.status_code == 200, response.content[:500]
    cells = (xlsx_cells if file_format == "xlsx" else csv_cells)(response.content)
    assert_neutralised(cells, hostile)
