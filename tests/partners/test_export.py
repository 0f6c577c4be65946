import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from partners.resources import PartnerCityResource

from .conftest import SPREADSHEET_SLUGS
from .factories import PartnerCityFactory

pytestmark = pytest.mark.django_db


def export(client, slug, file_format, **params):
    return client.get(reverse(f"partners:{slug}_export"), {"format": file_format, **params})


def test_csv_parses_back_with_the_filtered_rows(client_for, viewer, department, measure):
    harbin = PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    harbin.measures.add(measure)
    PartnerCityFactory(department=department, name_ru="Ниигата", country="JP")
    response = export(client_for(viewer), "city", "csv", country="CN")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["название (на русском)"] for row in rows] == ["Харбин"]
    assert rows[0]["страна"] == "Китай"
    assert rows[0]["мероприятия"] == "6.4.2 1.1"


def test_xlsx_parses_back(client_for, viewer, department):
    PartnerCityFactory(department=department, name_ru="Харбин", country="CN")
    PartnerCityFactory(department=department, name_ru="Ниигата", country="JP")
    response = export(client_for(viewer), "city", "xlsx", sort="name_ru")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "название (на русском)")
    assert [row[1] for row in rows[1:]] == ["Ниигата", "Харбин"]


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_exports_every_kind(client_for, viewer, record_for, slug, file_format):
    record_for(slug)
    response = export(client_for(viewer), slug, file_format)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_it_refuses_unknown_format(client_for, viewer):
    assert export(client_for(viewer), "city", "pdf").status_code == 400


def test_it_redirects_anonymous_to_login(client_for):
    assert export(client_for(None), "city", "csv").status_code == 302


def test_it_refuses_api_client(client_for, api_client_user):
    assert export(client_for(api_client_user), "city", "csv").status_code == 403


def test_it_rejects_post(client_for, viewer):
    assert client_for(viewer).post(reverse("partners:city_export")).status_code == 405


def test_exported_headers_are_accepted_by_the_import(department):
    resource = PartnerCityResource(department=department)
    aliases = resource.header_aliases()
    for header in resource.get_export_headers():
        assert header.lower() in aliases


def test_xlsx_keeps_numbers_and_dates_and_names_its_sheet(client_for, viewer, department):
    PartnerCityFactory(
        department=department,
        name_ru="Ниигата",
        country="JP",
        sister_city_since=datetime.date(1965, 4, 12),
    )
    response = export(client_for(viewer), "city", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "Города-партнёры"
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    record = dict(zip(header, row, strict=True))
    assert isinstance(record["id"], int)
    assert record["город-побратим с"].date() == datetime.date(1965, 4, 12)


@pytest.mark.parametrize("slug", SPREADSHEET_SLUGS)
def test_every_column_is_headed_in_russian(client_for, viewer, record_for, slug):
    """An official reads the headers: Russian words only (the key column 'id' aside)."""
    record_for(slug)
    response = export(client_for(viewer), slug, "csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    english = [name for name in header if name != "id" and re.search("[A-Za-z]", name)]
    assert english == []
