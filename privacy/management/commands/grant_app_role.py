"""The least privileges of the application's own database role on PostgreSQL:
`manage.py grant_app_role ROLE`, run by the role that owns the tables after every `migrate`.

The application role reads and writes the procedure's tables, but of the audit trail (the
timeline and the access log) it may only read, add, and change the personal columns, which the
tables' triggers then only let it anonymise. It owns nothing, so it cannot drop or switch off a
trigger, and it may not truncate. docs/deployment.md describes the two roles."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from psycopg import sql

from privacy.registry import Treatment, declaration_for

# The records that only grow (privacy.guards, migration privacy 0011).
APPEND_ONLY = ("complaints.TimelineEvent", "privacy.AccessLog")


def personal_columns(model: type[models.Model]) -> list[str]:
    declaration = declaration_for(model)
    assert declaration is not None, model
    return [
        str(model._meta.get_field(f.name).column)  # type: ignore[union-attr]
        for f in declaration.personal
        if f.treatment != Treatment.RETAIN
    ]


def statements(role: str) -> list[sql.Composed]:
    name = sql.Identifier(role)
    tables = [sql.Identifier(t) for t in connection.introspection.table_names()]
    granted = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(connection.settings_dict["NAME"]), name),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(current_schema()), name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            sql.Identifier(current_schema()), name
        ),
    ]
    granted += [sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(t, name) for t in tables]
    granted.append(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(name))
    for label in APPEND_ONLY:
        model = apps.get_model(label)
        table = sql.Identifier(model._meta.db_table)
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in personal_columns(model))
        granted += [
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(table, name),
            sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(columns, table, name),
        ]
    # Entries past their term (privacy.retention); the table's trigger keeps a year regardless.
    granted.append(sql.SQL("GRANT DELETE ON privacy_accesslog TO {}").format(name))
    if connection.pg_version >= 170000:  # type: ignore[attr-defined]
        # The retention sweep vacuums the tables it anonymised (privacy.anonymise).
        granted += [sql.SQL("GRANT MAINTAIN ON {} TO {}").format(t, name) for t in tables]
    return granted


def current_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return str(cursor.fetchone()[0])


class Command(BaseCommand):
    help = "Grant the application's database role what it needs, and no more (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the web and task processes connect as")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; on SQLite the model guards apply.")
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"There is no database role {role!r}; create it first (docs/deployment.md).")
            if found[0]:
                raise CommandError(f"{role!r} is a superuser: it can switch off any trigger. Use a plain role.")
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = %s", [role]
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"{role!r} owns tables here: an owner can drop the audit trail's triggers.")
            for statement in statements(role):
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} the application's privileges on {connection.settings_dict['NAME']}.")
