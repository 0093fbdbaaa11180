"""Whether a row has related rows, as a column of the query that reads the row.

Django's Exists() is resolved and compiled again for every query it is part of, some 0.2 ms
of Python each: the complaint page, which asks five of them with the complaint, spent a
millisecond on that alone. `has_rows()` writes the same EXISTS subquery once per process,
from the models' own table and column names, and adds it to a query as finished SQL."""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, ForeignKey, Model
from django.db.models.expressions import RawSQL


def has_rows(model: type[Model], *links: str, **equal: str) -> RawSQL:
    """EXISTS (a row of `model` whose foreign key `links[0]`, or any of `links`, points at the
    row the outer query reads, and whose fields in `equal` have those values).

    The outer query must read the linked model's table under its own name, as a queryset of
    that model does."""
    sql, params = _exists_sql(model, links, tuple(sorted(equal.items())))
    # Reviewed: the SQL holds only quoted table and column names from the models; values are parameters.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611  # nosec


@cache
def _exists_sql(
    model: type[Model], links: tuple[str, ...], equal: tuple[tuple[str, str], ...]
) -> tuple[str, tuple[str, ...]]:
    if not links:
        raise ValueError("has_rows() needs the foreign key that points at the outer row.")
    ops = connections[DEFAULT_DB_ALIAS].ops
    meta = model._meta

    def column(field: object) -> str:
        return ops.quote_name(str(getattr(field, "column", "")))

    keys = [meta.get_field(name) for name in links]
    if not all(isinstance(key, ForeignKey) for key in keys):
        raise ValueError(f"{links} are not all foreign keys of {meta.label}.")
    outer = {key.related_model._meta for key in keys}  # type: ignore[union-attr]
    if len(outer) != 1:
        raise ValueError(f"{links} point at different models.")
    (outer_meta,) = outer
    target = f"{ops.quote_name(outer_meta.db_table)}.{column(outer_meta.pk)}"
    condition = " OR ".join(f"inner_rows.{column(key)} = {target}" for key in keys)
    if len(keys) > 1:
        condition = f"({condition})"
    for name, _value in equal:
        condition += f" AND inner_rows.{column(meta.get_field(name))} = %s"
    # Reviewed: quoted names from the models only; the values in `equal` are sent as parameters.
    sql = f"EXISTS (SELECT 1 FROM {ops.quote_name(meta.db_table)} inner_rows WHERE {condition})"  # noqa: S608  # nosec
    return sql, tuple(value for _name, value in equal)
