"""partners 0004 fills in the real coordinates of the sister cities already in a database and
changes nothing else (no other city, no coordinates someone entered)."""

import pytest

from tests.activities.test_migrations import migrate

BEFORE = [("partners", "0003_partner_city_coordinates")]
AFTER = [("partners", "0004_sister_city_coordinates")]


@pytest.mark.django_db(transaction=True)
def test_the_sister_cities_get_their_coordinates():
    apps = migrate(BEFORE)
    try:
        Department = apps.get_model("activities", "Department")
        PartnerCity = apps.get_model("partners", "PartnerCity")
        department = Department.objects.create(name="Управление международных связей")

        def city(name_ru, country, **extra):
            return PartnerCity.objects.create(
                name_ru=name_ru, country=country, department=department, notes="заметка", **extra
            )

        harbin = city("Харбин", "CN", region="провинция Хэйлунцзян")
        portland = city("Портленд", "US")
        moved = city("Ниигата", "JP", latitude="37.9", longitude="139.0")
        unknown = city("Город без координат", "CN")
        namesake = city("Харбин", "KZ")

        apps = migrate(AFTER)
        PartnerCity = apps.get_model("partners", "PartnerCity")
        coordinates = {
            city.pk: (city.latitude, city.longitude, city.region, city.notes)
            for city in PartnerCity.objects.all()
        }
    finally:
        migrate(AFTER)

    assert [str(v) for v in coordinates[harbin.pk][:2]] == ["45.8038", "126.5350"]
    assert coordinates[harbin.pk][2:] == ("провинция Хэйлунцзян", "заметка")
    assert [str(v) for v in coordinates[portland.pk][:2]] == ["45.5152", "-122.6784"]
    assert [str(v) for v in coordinates[moved.pk][:2]] == ["37.9000", "139.0000"]
    assert coordinates[unknown.pk][:2] == (None, None)
    assert coordinates[namesake.pk][:2] == (None, None)
