from django.db import migrations


def administrators_are_staff(apps, schema_editor):
    """Administrators (the role's group) open the admin from now on: mark them staff."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(groups__name="administrator").update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens"),
    ]

    operations = [migrations.RunPython(administrators_are_staff, migrations.RunPython.noop)]
