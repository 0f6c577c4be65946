"""The real coordinates of Khabarovsk's sister and partner cities (city centres, WGS 84,
degrees), filled in where a city of that name and country exists without coordinates. The
same table is in demo/partners.py for a fresh database. Nothing else is changed."""

from decimal import Decimal

from django.db import migrations

# (name_ru, country): (latitude, longitude)
COORDINATES = {
    ("Ниигата", "JP"): ("37.9161", "139.0364"),
    ("Портленд", "US"): ("45.5152", "-122.6784"),
    ("Виктория", "CA"): ("48.4284", "-123.3656"),
    ("Харбин", "CN"): ("45.8038", "126.5350"),
    ("Пучхон", "KR"): ("37.5034", "126.7660"),
    ("Санья", "CN"): ("18.2528", "109.5119"),
    ("Вэйхай", "CN"): ("37.5131", "122.1204"),
    ("Мусасино", "JP"): ("35.7178", "139.5661"),
}


def fill(apps, schema_editor):
    PartnerCity = apps.get_model("partners", "PartnerCity")
    for (name_ru, country), (latitude, longitude) in COORDINATES.items():
        PartnerCity.objects.filter(
            name_ru=name_ru, country=country, latitude__isnull=True, longitude__isnull=True
        ).update(latitude=Decimal(latitude), longitude=Decimal(longitude))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_partner_city_coordinates"),
    ]

    # Backwards the coordinates stay: 0003 removes the columns when it is reversed.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
