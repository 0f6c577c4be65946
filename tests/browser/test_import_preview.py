"""The spreadsheet import's preview and its errors wrap inside the page (issue 19, item 7): an
exported register with long texts, uploaded back, widens neither the page nor its table."""

import csv
import io
import re

import pytest

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "Соглашение о сотрудничестве в области культуры, образования и туризма " * 4


def widths(page):
    return page.evaluate(
        """() => ({
          page: document.documentElement.scrollWidth,
          tables: Array.from(document.querySelectorAll('.import-table')).map((t) =>
            Math.max(t.scrollWidth, t.parentElement.scrollWidth)),
        })"""
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_preview_and_the_bad_row_stay_within_the_page(page, login, live_server, width):
    department = DepartmentFactory(short_name="УМиМС")
    for n in range(3):
        AgreementFactory(department=department, title=f"{LONG}№{n}")
    editor = UserFactory(username="editor", department=department, role=Role.EDITOR)
    page.set_viewport_size({"width": width, "height": 900})
    login(editor)
    export = page.request.get(f"{live_server.url}/partners/agreements/export/?format=csv")
    assert export.ok
    rows = list(csv.reader(io.StringIO(export.text())))
    assert len(rows) == 4

    def upload(rows):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        page.goto(f"{live_server.url}/partners/agreements/import/")
        page.set_input_files(
            "#id_file",
            files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}],
        )
        page.click("button:has-text('Проверить файл')")
        page.wait_for_load_state("networkidle")

    upload(rows)  # unchanged: a preview of three rows
    assert page.locator("#import-preview tbody tr").count() == 3
    preview = widths(page)

    signed = next(i for i, cell in enumerate(rows[1]) if re.fullmatch(r"\d\d\.\d\d\.\d{4}", cell))
    rows[1][signed] = "31.02.2015"  # a bad row: no such date
    upload(rows)
    assert "31.02.2015" in page.locator("#import-errors").inner_text()  # the bad row itself
    errors = widths(page)

    assert preview["page"] <= width and errors["page"] <= width, (preview, errors)
    viewport = page.evaluate("() => document.documentElement.clientWidth")
    assert max(preview["tables"] + errors["tables"]) <= viewport, (preview, errors)
