"""The access log has a retention term (privacy.retention): entries older than the term may be
deleted. The database still refuses to delete an entry younger than a year, whatever the
setting, and still refuses every change but anonymising (migration 0011)."""

from django.db import migrations

KEEP_A_YEAR = """
CREATE OR REPLACE FUNCTION klachten_keep_a_year() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at < now() - interval '12 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: an entry is kept at least a year', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(KEEP_A_YEAR, params=None)
    schema_editor.execute("DROP TRIGGER privacy_accesslog_append_only ON privacy_accesslog")
    schema_editor.execute(
        "CREATE TRIGGER privacy_accesslog_append_only BEFORE UPDATE ON privacy_accesslog "
        "FOR EACH ROW EXECUTE FUNCTION klachten_append_only('detail:token', 'reason:token')"
    )
    schema_editor.execute(
        "CREATE TRIGGER privacy_accesslog_keep_a_year BEFORE DELETE ON privacy_accesslog "
        "FOR EACH ROW EXECUTE FUNCTION klachten_keep_a_year()"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER privacy_accesslog_keep_a_year ON privacy_accesslog")
    schema_editor.execute("DROP TRIGGER privacy_accesslog_append_only ON privacy_accesslog")
    schema_editor.execute(
        "CREATE TRIGGER privacy_accesslog_append_only BEFORE UPDATE OR DELETE ON privacy_accesslog "
        "FOR EACH ROW EXECUTE FUNCTION klachten_append_only('detail:token', 'reason:token')"
    )
    schema_editor.execute("DROP FUNCTION klachten_keep_a_year()")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0011_append_only_without_a_switch")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
