"""Re-importing an unchanged export: its rows are "no change", write nothing (no history) and
are allowed whoever keeps them; a row that changes another department's record is refused.
The preview shows a bad row's values beside its error."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Agreement, PartnerCity

from .conftest import SPREADSHEET_SLUGS
from .factories import AgreementFactory, PartnerCityFactory
from .test_import import confirm, csv_file, upload

pytestmark = pytest.mark.django_db


def exported(client, slug="city", change=None):
    """The register's XLSX export, as a file to upload again; change(sheet) edits it."""
    response = client.get(reverse(f"partners:{slug}_export"), {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    if change:
        change(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(f"{slug}.xlsx", buffer.getvalue())


def cities(department, count=3):
    return [
        PartnerCityFactory(department=department, name_ru=f"Город {n}", country="CN")
        for n in range(count)
    ]


def test_an_unchanged_own_export_changes_nothing(client_for, editor):
    kept = cities(editor.department)
    history_before = PartnerCity.history.count()
    client = client_for(editor)

    response = upload(client, exported(client))

    assert response.status_code == 200, response.context["report"].errors
    report = response.context["report"]
    assert (report.new_count, report.update_count, report.unchanged_count) == (0, 0, 3)
    assert "без изменений" in response.content.decode()
    assert confirm(client, response).status_code == 302
    assert PartnerCity.history.count() == history_before  # no "fields did not change" entry
    assert {city.name_ru for city in PartnerCity.objects.all()} == {c.name_ru for c in kept}


def test_an_unchanged_export_of_another_department_is_allowed(client_for, editor, other_editor):
    cities(other_editor.department)
    history_before = PartnerCity.history.count()
    # The editor's export of the register lists the other department's records too.
    client = client_for(editor)

    response = upload(client, exported(client))

    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].unchanged_count == 3
    assert confirm(client, response).status_code == 302
    assert PartnerCity.history.count() == history_before


def test_a_changed_row_of_another_department_is_still_refused(client_for, editor, other_editor):
    cities(other_editor.department, count=2)
    client = client_for(editor)

    def rename_first(sheet):
        column = [cell.value for cell in sheet[1]].index("название (на русском)") + 1
        sheet.cell(row=2, column=column, value="Переименованный город")

    response = upload(client, exported(client, change=rename_first))

    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.message) for e in errors] == [
        (2, "Строка изменяет запись, которую ведёт другое подразделение.")
    ]
    assert not PartnerCity.objects.filter(name_ru="Переименованный город").exists()


def test_a_changed_own_row_is_an_update_beside_unchanged_ones(client_for, editor):
    cities(editor.department)
    client = client_for(editor)

    def change_region(sheet):
        column = [cell.value for cell in sheet[1]].index("регион, провинция или штат") + 1
        sheet.cell(row=3, column=column, value="Хэйлунцзян")

    response = upload(client, exported(client, change=change_region))

    report = response.context["report"]
    assert (report.update_count, report.unchanged_count) == (1, 2)
    confirm(client, response)
    assert PartnerCity.objects.filter(region="Хэйлунцзян").count() == 1


def test_a_partner_cities_change_alone_is_an_update(client_for, editor):
    harbin = PartnerCityFactory(department=editor.department, name_ru="Харбин", country="CN")
    AgreementFactory(department=editor.department, title="Соглашение")
    client = client_for(editor)

    def add_city(sheet):
        headers = [cell.value for cell in sheet[1]]
        column = headers.index(str(Agreement._meta.get_field("partner_cities").verbose_name))
        sheet.cell(row=2, column=column + 1, value="Харбин")

    response = upload(client, exported(client, "agreement", add_city), slug="agreement")

    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].update_count == 1
    confirm(client, response, slug="agreement")
    assert list(Agreement.objects.get().partner_cities.all()) == [harbin]


def test_a_bad_row_is_shown_beside_its_error(client_for, editor):
    response = upload(
        client_for(editor),
        csv_file(
            [
                ["название (на русском)", "страна", "статус"],
                ["Харбин", "CN", "sister"],
                ["Атлантида", "Нигдения", "sister"],
            ]
        ),
    )

    assert response.status_code == 400
    errors_table = response.content.decode().split('id="import-errors"')[1].split("</table>")[0]
    assert "Атлантида" in errors_table and "Нигдения" in errors_table


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_every_register_reimports_its_unchanged_export(client_for, editor, slug):
    from . import factories

    factory = {
        "city": factories.PartnerCityFactory,
        "organisation": factories.PartnerOrganisationFactory,
        "agreement": factories.AgreementFactory,
        "delegation": factories.DelegationFactory,
        "event": factories.EventFactory,
    }[slug]
    factory(department=editor.department)
    client = client_for(editor)

    response = upload(client, exported(client, slug), slug=slug)

    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].unchanged_count == 1


def test_coordinates_go_out_and_come_back_under_russian_headers(client_for, editor):
    from decimal import Decimal

    city = PartnerCityFactory(
        department=editor.department,
        name_ru="Харбин",
        country="CN",
        latitude=Decimal("45.8038"),
        longitude=Decimal("126.5350"),
    )
    client = client_for(editor)

    unchanged = upload(client, exported(client))
    assert unchanged.context["report"].unchanged_count == 1

    def move(sheet):
        header = [cell.value for cell in sheet[1]]
        assert "latitude" not in header and "longitude" not in header
        sheet.cell(2, header.index("широта") + 1).value = 45.75

    response = upload(client, exported(client, change=move))
    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].update_count == 1
    confirm(client, response)
    city.refresh_from_db()
    assert (city.latitude, city.longitude) == (Decimal("45.7500"), Decimal("126.5350"))
