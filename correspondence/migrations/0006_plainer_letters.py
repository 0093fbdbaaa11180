"""Plainer Dutch (B1) in the letters the procedure starts with: the sentences that changed in
correspondence.defaults, replaced in the stored templates wherever they still stand as they were."""

from django.db import migrations

REPLACEMENTS = [
    (
        "Wij streven ernaar uw klacht uiterlijk {afhandeling_uiterlijk} af te handelen.",
        "Wij willen uw klacht uiterlijk {afhandeling_uiterlijk} afhandelen.",
    ),
    (
        "Heeft u in de tussentijd vragen?",
        "Heeft u intussen vragen?",
    ),
    (
        "Naar aanleiding van uw klacht met kenmerk {referentie} nodigen wij u graag uit voor een gesprek.",
        "Wij nodigen u graag uit voor een gesprek over uw klacht met kenmerk {referentie}.",
    ),
    (
        "Wij streven ernaar een klacht binnen {afhandeltermijn} dagen na ontvangst af te handelen.",
        "Wij willen een klacht binnen {afhandeltermijn} dagen na ontvangst afhandelen.",
    ),
]


def plainer(apps, schema_editor):
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    for template in LetterTemplate.objects.all():
        body = template.body
        for old, new in REPLACEMENTS:
            body = body.replace(old, new)
        if body != template.body:
            LetterTemplate.objects.filter(pk=template.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0005_field_labels")]

    operations = [migrations.RunPython(plainer, migrations.RunPython.noop)]
