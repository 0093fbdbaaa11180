"""A complaint can be about more than one staff member: the single link becomes a set."""

from django.conf import settings
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Link = Complaint.about_staff.through
    links = Complaint.objects.filter(about_user__isnull=False).values_list("pk", "about_user_id")
    Link.objects.bulk_create(
        (Link(complaint_id=pk, user_id=user_id) for pk, user_id in links.iterator()), batch_size=1000
    )


def copy_back(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    for link in Complaint.about_staff.through.objects.order_by("complaint_id", "user_id").iterator():
        Complaint.objects.filter(pk=link.complaint_id, about_user__isnull=True).update(about_user=link.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_agreement_owner_user"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="about_staff",
            field=models.ManyToManyField(
                blank=True,
                related_name="complaints_about_them",
                to=settings.AUTH_USER_MODEL,
                verbose_name="staff members the complaint is about",
            ),
        ),
        # The single link goes in the next migration: on PostgreSQL the rows copied here leave
        # deferred foreign key checks pending, which forbid altering the table in this transaction.
        migrations.RunPython(copy_links, copy_back),
    ]
