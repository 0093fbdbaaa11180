from django.db import migrations, models
from django.db.models.functions import TruncDate


def mark_every_day_stale(apps, schema_editor):
    """The figures of existing complaints are computed by the worker after the upgrade."""
    Complaint = apps.get_model("complaints", "Complaint")
    StaleDay = apps.get_model("reports", "StaleDay")
    days = Complaint.objects.annotate(day=TruncDate("received_at")).values_list("day", flat=True).distinct()
    StaleDay.objects.bulk_create((StaleDay(day=day) for day in days.order_by()), batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_report_exports'),
        ('complaints', '0008_remove_about_user'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True)),
                ('figures', models.JSONField()),
                ('acknowledge_seconds', models.BinaryField(default=b'')),
                ('contact_seconds', models.BinaryField(default=b'')),
                ('resolve_seconds', models.BinaryField(default=b'')),
            ],
        ),
        migrations.CreateModel(
            name='StaleDay',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(mark_every_day_stale, migrations.RunPython.noop, elidable=True),
    ]
