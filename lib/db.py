"""Prepared statements on PostgreSQL, and the queries that must be planned afresh each time.

On PostgreSQL the app sends query parameters separately from the query text, and psycopg
prepares a statement once a connection has run it `DATABASE_PREPARE_THRESHOLD` times (5 by
default; 0 turns it off, for a connection pooler that cannot keep prepared statements). A
page asks the same dozen questions on every request with other values, so the database then
plans each of them once per connection instead of once per request: on the complaint table
with its many indexes, planning took longer than running the query.

After a few runs PostgreSQL may plan a prepared statement once for any value (a generic
plan). That is right for "the complaint with this id" and wrong for a search for part of a
name or a word: a rare word needs the trigram index, a common one the newest-first walk,
and a generic plan picks one for both (a rare name took 1.4 s instead of 3 ms on the
benchmark's million complaints). Such queries run inside `planned_for_each_value()`."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def planned_for_each_value(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Queries run within are never prepared (nor counted towards it): PostgreSQL plans them
    with their actual values every time."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver_connection = connection.connection
    previous = driver_connection.prepare_threshold
    driver_connection.prepare_threshold = None
    try:
        yield
    finally:
        driver_connection.prepare_threshold = previous
