import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Agreement, Delegation, Event, PartnerCity, PartnerOrganisation

from .conftest import SPREADSHEET_SLUGS
from .factories import PartnerCityFactory

pytestmark = pytest.mark.django_db

CITY_HEADERS = ["название (на русском)", "страна", "статус", "город-побратим с"]


def csv_file(rows, name="cities.csv"):
    text = "\n".join(";".join(row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="cities.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, upload_file, slug="city", **data):
    return client.post(reverse(f"partners:{slug}_import"), {"file": upload_file, **data})


def confirm(client, response, slug="city"):
    return client.post(
        reverse(f"partners:{slug}_import_confirm"), {"token": response.context["token"]}
    )


def test_it_previews_then_creates_rows(client_for, editor):
    client = client_for(editor)
    response = upload(
        client,
        csv_file(
            [
                CITY_HEADERS,
                ["Харбин", "CN", "город-побратим", "15.06.1993"],
                ["Ниигата", "Япония", "sister", "1965-04-23"],
                ["Портленд", "United States", "город-побратим", ""],
            ]
        ),
    )
    assert response.status_code == 200
    assert response.context["report"].new_count == 3
    assert not PartnerCity.objects.exists()  # the preview writes nothing
    response = confirm(client, response)
    assert response.status_code == 302
    cities = {city.name_ru: city for city in PartnerCity.objects.all()}
    assert set(cities) == {"Харбин", "Ниигата", "Портленд"}
    assert cities["Ниигата"].country == "JP" and cities["Портленд"].country == "US"
    assert cities["Харбин"].sister_city_since.isoformat() == "1993-06-15"
    assert all(city.department == editor.department for city in cities.values())
    assert cities["Харбин"].history.first().history_user == editor


def test_it_imports_xlsx_delegations(client_for, editor):
    PartnerCityFactory(department=editor.department, name_ru="Харбин", name_en="Harbin")
    client = client_for(editor)
    rows = [
        ["direction", "partner_city", "country", "start_date", "end_date", "headcount", "purpose"],
        ["приём делегации", "Harbin", "КНР", "01.06.2012", "03.06.2012", 7, "Переговоры"],
    ]
    response = upload(client, xlsx_file(rows, "delegations.xlsx"), slug="delegation")
    assert response.status_code == 200, response.context["report"].errors
    assert confirm(client, response, slug="delegation").status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.partner_city.name_ru == "Харбин" and delegation.headcount == 7


def test_bad_rows_write_nothing_and_are_reported(client_for, editor):
    client = client_for(editor)
    response = upload(
        client,
        csv_file(
            [
                ["title", "kind", "level", "signed_on", "valid_until"],
                ["Хорошее соглашение", "меморандум", "международный", "01.05.2012", ""],
                ["Плохое соглашение", "меморандум", "международный", "01.05.2012", "01.04.2012"],
                ["Ещё одно", "договор", "международный", "2012-13-01", ""],
            ],
            "agreements.csv",
        ),
        slug="agreement",
    )
    assert response.status_code == 400
    errors = [(e.row, e.column, e.message) for e in response.context["report"].errors]
    assert (
        3,
        "срок действия до",
        "Срок действия соглашения не может заканчиваться раньше даты подписания.",
    ) in errors
    assert any(row == 4 and column == "вид" for row, column, _message in errors)
    assert any(row == 4 and "не дата" in message for row, _column, message in errors)
    page = response.content.decode()
    assert "ничего не загружено" in page
    assert Agreement.objects.count() == 0


def test_confirm_writes_nothing_when_a_row_became_invalid(client_for, editor):
    client = client_for(editor)
    response = upload(
        client,
        csv_file([CITY_HEADERS, ["Харбин", "CN", "sister", ""], ["Санья", "CN", "sister", ""]]),
    )
    assert response.status_code == 200
    # Someone records Sanya between the preview and the confirmation.
    PartnerCityFactory(department=editor.department, name_ru="Санья", country="CN")
    response = confirm(client, response)
    assert response.status_code == 400
    assert list(PartnerCity.objects.values_list("name_ru", flat=True)) == ["Санья"]
    assert response.context["report"].errors[0].row == 3


def test_it_refuses_updating_another_departments_record(client_for, editor, other_department):
    city = PartnerCityFactory(department=other_department, name_ru="Харбин", country="CN")
    response = upload(
        client_for(editor),
        csv_file([["id", *CITY_HEADERS], [str(city.pk), "Харбин-2", "CN", "sister", ""]]),
    )
    assert response.status_code == 400
    assert "другое подразделение" in response.content.decode()
    city.refresh_from_db()
    assert city.name_ru == "Харбин"


def test_it_refuses_unknown_country(client_for, editor):
    response = upload(client_for(editor), csv_file([CITY_HEADERS, ["Нигде", "Атлантида", "", ""]]))
    assert response.status_code == 400
    assert "Неизвестная страна «Атлантида»." in response.content.decode()


@pytest.mark.parametrize(
    "upload_file,message",
    [
        (SimpleUploadedFile("cities.pdf", b"%PDF-1.4"), "только файлы XLSX и CSV"),
        (SimpleUploadedFile("cities.csv", b""), "Файл пустой"),
        (SimpleUploadedFile("cities.csv", b"\n\n"), "Файл пустой"),
        (SimpleUploadedFile("cities.xlsx", b"not a zip"), "не удаётся прочитать"),
        (
            SimpleUploadedFile("cities.csv", "цвет;вкус\nкрасный;сладкий\n".encode()),
            "Неизвестные столбцы",
        ),
        (SimpleUploadedFile("cities.csv", "страна\nCN\n".encode()), "Нет обязательных столбцов"),
        (SimpleUploadedFile("cities.csv", ";".join(CITY_HEADERS).encode()), "нет ни одной строки"),
        (SimpleUploadedFile("cities.csv", b"x" * (5 * 1024 * 1024 + 1)), "больше 5 МБ"),
    ],
)
def test_it_refuses_bad_files(client_for, editor, upload_file, message):
    response = upload(client_for(editor), upload_file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartnerCity.objects.exists()


def test_it_refuses_a_stale_token(client_for, editor):
    response = client_for(editor).post(reverse("partners:city_import_confirm"), {"token": "nope"})
    assert response.status_code == 302
    assert not PartnerCity.objects.exists()


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_it_shows_the_form_to_editor(client_for, editor, slug):
    assert client_for(editor).get(reverse(f"partners:{slug}_import")).status_code == 200


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_it_refuses_viewer(client_for, viewer, slug):
    client = client_for(viewer)
    assert client.get(reverse(f"partners:{slug}_import")).status_code == 403
    assert (
        client.post(reverse(f"partners:{slug}_import_confirm"), {"token": "x"}).status_code == 403
    )


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_it_redirects_anonymous_to_login(client_for, slug):
    assert client_for(None).get(reverse(f"partners:{slug}_import")).status_code == 302


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_confirm_rejects_get(client_for, editor, slug):
    assert client_for(editor).get(reverse(f"partners:{slug}_import_confirm")).status_code == 405


def test_administrator_imports_for_a_chosen_department(client_for, administrator, department):
    client = client_for(administrator)
    response = upload(
        client, csv_file([CITY_HEADERS, ["Харбин", "CN", "sister", ""]]), department=department.pk
    )
    assert response.status_code == 200
    assert confirm(client, response).status_code == 302
    assert PartnerCity.objects.get().department == department


def test_round_trip_of_an_export_updates_in_place(client_for, editor):
    city = PartnerCityFactory(department=editor.department, name_ru="Харбин", country="CN")
    client = client_for(editor)
    exported = client.get(reverse("partners:city_export"), {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = workbook.active
    region_column = [cell.value for cell in sheet[1]].index("регион, провинция или штат") + 1
    sheet.cell(row=2, column=region_column, value="Хэйлунцзян")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, SimpleUploadedFile("cities.xlsx", buffer.getvalue()))
    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].update_count == 1
    confirm(client, response)
    city.refresh_from_db()
    assert city.region == "Хэйлунцзян"
    assert PartnerCity.objects.count() == 1
    assert PartnerOrganisation.objects.count() == 0 and Event.objects.count() == 0
