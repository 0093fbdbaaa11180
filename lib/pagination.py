"""Keyset pagination: each page starts after the last row of the previous one, so a page
deep in a million rows costs the same as the first (no OFFSET, no COUNT)."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, Q, QuerySet


@dataclass
class Page[M: Model]:
    items: list[M]
    next_cursor: str | None
    is_first: bool


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The largest primary key a database column holds (bigint).
MAX_PK = 2**63 - 1


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The (moment, pk) a cursor of ours holds, or None for anything else: a crafted cursor
    (Infinity, 1e400, a naive or out-of-range date, a boolean) is not an error, just no cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw, parse_constant=_refuse_constant)
        if not isinstance(moment, str) or type(pk) is not int or not 0 < pk <= MAX_PK:
            return None
        when = datetime.fromisoformat(moment)
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError):
        return None
    return (when, pk) if when.tzinfo is not None else None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a cursor value")


def newest_first_page[M: Model](queryset: QuerySet[M], *, field: str, cursor: str | None, size: int) -> Page[M]:
    """One page of `queryset` ordered by (field, pk) descending. A malformed cursor
    gives the first page rather than an error."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        moment, pk = position
        # The redundant `field <= moment` gives the database a range to start the index scan
        # at; the OR alone makes PostgreSQL walk the index from the newest row and filter.
        queryset = queryset.filter(
            Q(**{f"{field}__lte": moment}), Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})
        )
    rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return Page(items=items, next_cursor=next_cursor, is_first=position is None)
