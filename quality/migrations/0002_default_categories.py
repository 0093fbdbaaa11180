from django.db import migrations

# The categories the procedure starts with; the quality manager adds, renames and retires them.
CATEGORIES = ["bereikbaarheid", "communicatie", "kwaliteit van het werk", "facturatie", "bejegening"]
ROOT_CAUSES = [
    "afspraak niet nagekomen",
    "onduidelijke informatie",
    "fout in uitvoering",
    "werkwijze of procedure",
    "capaciteit of planning",
    "overig",
]


def seed(apps, schema_editor):
    Category = apps.get_model("quality", "Category")
    RootCause = apps.get_model("quality", "RootCause")
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(parent=None, name=name, defaults={"position": position})
    for position, name in enumerate(ROOT_CAUSES):
        RootCause.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
