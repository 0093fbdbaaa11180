"""On PostgreSQL the database itself refuses changes to the timeline and the access log.

BEFORE UPDATE OR DELETE, each row: raise. The one exception is the anonymiser: inside its
transaction it sets `klachten.anonymising = 'on'` (set_config(..., true), i.e. SET LOCAL),
and then an UPDATE passes only if it changes nothing but the columns named in the trigger's
arguments (the personal columns of privacy.registry). Deletes never pass, so a complaint
cannot be deleted either: Django deletes its timeline first, and the trigger stops that.
SQLite has no session settings to tell the anonymiser apart; there the model guards
(privacy.guards, AccessLog.save/delete) are the enforcement."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION klachten_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('klachten.anonymising', true) = 'on'
       AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = {
    "complaints_timelineevent": ("message", "actor_label", "data"),
    "privacy_accesslog": ("detail", "reason"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, scrubbable in TRIGGERS.items():
        arguments = ", ".join(f"'{column}'" for column in scrubbable)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION klachten_append_only({arguments})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS klachten_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("complaints", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
