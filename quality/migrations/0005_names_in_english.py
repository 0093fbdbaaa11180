from django.db import migrations, models

# The English names of the categories and root causes the procedure starts with
# (0002_default_categories), for the ones that still carry their first name.
CATEGORIES = {
    "bereikbaarheid": "reachability",
    "communicatie": "communication",
    "kwaliteit van het werk": "quality of the work",
    "facturatie": "invoicing",
    "bejegening": "treatment",
}
ROOT_CAUSES = {
    "afspraak niet nagekomen": "promise not kept",
    "onduidelijke informatie": "unclear information",
    "fout in uitvoering": "mistake in carrying out the work",
    "werkwijze of procedure": "way of working or procedure",
    "capaciteit of planning": "capacity or planning",
    "overig": "other",
}


def name_in_english(apps, schema_editor):
    Category = apps.get_model("quality", "Category")
    RootCause = apps.get_model("quality", "RootCause")
    for dutch, english in CATEGORIES.items():
        Category.objects.filter(parent=None, name=dutch, name_en="").update(name_en=english)
    for dutch, english in ROOT_CAUSES.items():
        RootCause.objects.filter(name=dutch, name_en="").update(name_en=english)


class Migration(migrations.Migration):
    dependencies = [("quality", "0004_field_labels")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="rootcause",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in English"),
        ),
        migrations.RunPython(name_in_english, migrations.RunPython.noop),
    ]
