from django.db import migrations


def seed(apps, schema_editor):
    from correspondence.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
