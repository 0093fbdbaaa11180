"""The append-only rule of the timeline and the access log no longer has a switch.

Migration 0002 let an UPDATE through when the transaction had set `klachten.anonymising = 'on'`:
a setting any session may set, so any session could rewrite the personal columns with any text.
Now the database itself knows what anonymising is, and allows nothing else:

- an UPDATE may change only the personal columns named in the trigger's arguments, and each only
  into its anonymised form (`token`: the fixed text, an empty text staying empty; `json`: every
  text inside replaced by the fixed text, keys, numbers and dates kept), or leave it as it is;
- only on rows of a complaint that is closed or withdrawn and not on legal hold;
- DELETE never passes, and TRUNCATE (which row triggers do not see) is refused by a statement
  trigger, for every role but a superuser: a superuser can switch any trigger off anyway, and the
  test database is emptied with TRUNCATE by one.

What remains for the application's own role is what the anonymiser does: anonymise the trail of a
finished complaint that is not on hold. The role must not own these tables (an owner can drop the
triggers); docs/deployment.md describes the roles and `manage.py grant_app_role` sets the grants.
SQLite has no triggers of this kind here; there the model guards (privacy.guards) enforce it."""

import importlib

from django.db import migrations

# privacy.registry.TOKEN, as it was when this migration was written.
TOKEN = "[geanonimiseerd]"

# Per table, its personal columns and how anonymising changes them (privacy.registry).
TRIGGERS = {
    "complaints_timelineevent": {"message": "token", "actor_label": "token", "data": "json"},
    "privacy_accesslog": {"detail": "token", "reason": "token"},
}

ANONYMISED_JSON = r"""
CREATE OR REPLACE FUNCTION klachten_anonymised_json(value jsonb, token text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    result jsonb;
    item record;
BEGIN
    CASE jsonb_typeof(value)
    WHEN 'object' THEN
        result := '{}'::jsonb;
        FOR item IN SELECT key, v FROM jsonb_each(value) AS e(key, v) LOOP
            result := result || jsonb_build_object(item.key, klachten_anonymised_json(item.v, token));
        END LOOP;
        RETURN result;
    WHEN 'array' THEN
        result := '[]'::jsonb;
        FOR item IN SELECT v FROM jsonb_array_elements(value) WITH ORDINALITY AS a(v, n) ORDER BY n LOOP
            result := result || jsonb_build_array(klachten_anonymised_json(item.v, token));
        END LOOP;
        RETURN result;
    WHEN 'string' THEN
        -- An empty text, a date or a moment says nothing about a person (privacy.anonymise.scrub_json).
        IF value #>> '{}' = '' OR value #>> '{}' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.+Z-]*)?$' THEN
            RETURN value;
        END IF;
        RETURN to_jsonb(token);
    ELSE
        RETURN value;
    END CASE;
END;
$$;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION klachten_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    token constant text := '%(token)s';
    personal text[] := ARRAY(SELECT split_part(argument, ':', 1) FROM unnest(TG_ARGV) AS argument);
    old_row jsonb;
    new_row jsonb;
    argument text;
    column_name text;
    anonymised jsonb;
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION '%% is append-only: %% refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF (new_row - personal) <> (old_row - personal) THEN
        RAISE EXCEPTION '%% is append-only: only personal text may be anonymised', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOREACH argument IN ARRAY TG_ARGV LOOP
        column_name := split_part(argument, ':', 1);
        IF split_part(argument, ':', 2) = 'json' THEN
            anonymised := klachten_anonymised_json(old_row -> column_name, token);
        ELSIF (old_row -> column_name) IN ('""'::jsonb, 'null'::jsonb) THEN
            anonymised := old_row -> column_name;
        ELSE
            anonymised := to_jsonb(token);
        END IF;
        IF (new_row -> column_name) IS DISTINCT FROM (old_row -> column_name)
           AND (new_row -> column_name) IS DISTINCT FROM anonymised THEN
            RAISE EXCEPTION '%% is append-only: %% may only be anonymised', TG_TABLE_NAME, column_name
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    IF NOT EXISTS (
        SELECT 1 FROM complaints_complaint
        WHERE id = (old_row ->> 'complaint_id')::bigint AND status IN ('closed', 'withdrawn')
    ) OR EXISTS (
        SELECT 1 FROM privacy_legalhold
        WHERE complaint_id = (old_row ->> 'complaint_id')::bigint AND lifted_at IS NULL
    ) THEN
        RAISE EXCEPTION '%% is append-only: the complaint is open or on legal hold', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
""" % {"token": TOKEN}

NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION klachten_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (ANONYMISED_JSON, APPEND_ONLY, NO_TRUNCATE):
        schema_editor.execute(statement, params=None)
    for table, columns in TRIGGERS.items():
        arguments = ", ".join(f"'{column}:{treatment}'" for column, treatment in columns.items())
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION klachten_append_only({arguments})"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION klachten_no_truncate()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Migration 0002's function and triggers again.
    switched = importlib.import_module("privacy.migrations.0002_append_only_triggers").FUNCTION
    schema_editor.execute(switched, params=None)
    for table, columns in TRIGGERS.items():
        arguments = ", ".join(f"'{column}'" for column in columns)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION klachten_append_only({arguments})"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS klachten_no_truncate()")
    schema_editor.execute("DROP FUNCTION IF EXISTS klachten_anonymised_json(jsonb, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0010_zip_exports"),
        ("complaints", "0010_export_labels"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
