"""A system check for the database role (`manage.py check --database default`): the audit
trail holds only against a role that neither owns its tables nor is a superuser."""

from typing import Any

from django.core import checks
from django.db import connections


def check_database_role(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_roles, pg_class c"
                " WHERE rolname = current_user AND c.oid = 'complaints_timelineevent'::regclass"
            )
            row = cursor.fetchone()
        if row is not None and (row[0] or row[1]):
            found.append(
                checks.Warning(
                    "The application connects as a role that can switch off the audit trail's triggers "
                    "(a superuser, or the owner of its tables).",
                    hint="Run the site as a separate role: docs/deployment.md, 'Database roles'.",
                    id="privacy.W001",
                )
            )
    return found
