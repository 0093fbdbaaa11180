"""Duplicates recorded before now have no complaint: give them their first copy's complaint, and
clear the sender and subject of those whose complaint has been anonymised already."""

from django.db import migrations

HANDLED = ("complaint", "reply", "bounce", "own")


def link_duplicates(apps, schema_editor):  # type: ignore[no-untyped-def]
    InboundMessage = apps.get_model("mailintake", "InboundMessage")
    for duplicate in InboundMessage.objects.filter(outcome="duplicate", complaint__isnull=True).iterator():
        first = (
            InboundMessage.objects.filter(message_id=duplicate.message_id, outcome__in=HANDLED)
            .exclude(complaint=None)
            .select_related("complaint")
            .first()
        )
        if first is None:
            continue
        duplicate.complaint = first.complaint
        if first.complaint.anonymised_at is not None:
            duplicate.from_address = duplicate.from_name = duplicate.error = duplicate.headers_excerpt = ""
            duplicate.subject = first.subject
        duplicate.save(
            update_fields=["complaint", "from_address", "from_name", "subject", "error", "headers_excerpt"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mailintake", "0002_mailboxclaim"),
        ("complaints", "0004_inbox_notice_pending"),
    ]

    operations = [migrations.RunPython(link_duplicates, migrations.RunPython.noop)]
