"""Indexes for searching the complaint list and for the quality manager's work queues, on
PostgreSQL (SQLite, used for development and small installations, scans instead).

Created CONCURRENTLY so a live table of a million complaints keeps taking writes meanwhile;
hence the migration is not atomic. The trigram indexes need the pg_trgm extension."""

from django.db import migrations

OPEN = "status IN ('received', 'in_progress')"

INDEXES = {
    # The list's search: `name__icontains` and `description__icontains` compile to
    # UPPER(col::text) LIKE UPPER('%word%'); a trigram index on that expression finds the
    # matching rows of a million without reading them all.
    "complaint_name_trgm_idx": "USING gin (UPPER(name::text) gin_trgm_ops)",
    "complaint_description_trgm_idx": "USING gin (UPPER(description) gin_trgm_ops)",
    # "My work", not yet acknowledged: open complaints without acknowledgement by acknowledge_due.
    "complaint_unacknowledged_idx": f"(acknowledge_due, id) WHERE {OPEN} AND acknowledged_at IS NULL",
    # "My work", not yet assigned: open complaints without a responsible person by contact_due.
    "complaint_unassigned_idx": f"(contact_due, id) WHERE {OPEN} AND assigned_to_id IS NULL",
    # "My work", overdue and due soon: the open complaints in deadline order, with every column
    # those filters and their counts read, so a count is an index-only scan over the open ones.
    "complaint_open_ack_idx": (
        "(acknowledge_due, id) INCLUDE (acknowledged_at, first_contact_at, contact_due, resolve_due, "
        f"assigned_to_id, about_user_id) WHERE {OPEN}"
    ),
    "complaint_open_contact_idx": (
        "(contact_due, id) INCLUDE (acknowledged_at, first_contact_at, acknowledge_due, resolve_due, "
        f"assigned_to_id, about_user_id) WHERE {OPEN}"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON complaints_complaint {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("complaints", "0002_contacts_agreements"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
