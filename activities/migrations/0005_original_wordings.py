"""Every existing measure gets its current text as its original wording (in force from the
plan's approval), so the plan read as of any date shows the text it has today."""

from django.db import migrations


def original_wordings(apps, schema_editor):
    Measure = apps.get_model("activities", "Measure")
    MeasureWording = apps.get_model("activities", "MeasureWording")
    MeasureWording.objects.bulk_create(
        MeasureWording(measure_id=pk, text=text, valid_from=None)
        for pk, text in Measure.objects.filter(wordings__isnull=True).values_list("pk", "text")
    )


def drop_wordings(apps, schema_editor):
    # The measure keeps its text: the wordings are a copy of it until an act rewords it.
    apps.get_model("activities", "MeasureWording").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_legal_acts_and_revisions")]

    operations = [migrations.RunPython(original_wordings, drop_wordings)]
