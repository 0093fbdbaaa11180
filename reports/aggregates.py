"""Percentiles computed where the data is: PERCENTILE_CONT on PostgreSQL; on other
databases (SQLite in development) the same interpolation over the fetched durations."""

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db.models import Aggregate, DurationField


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile of an interval: linear interpolation between the
    two nearest values, exactly as `percentile_cont` below does in Python."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = DurationField()

    def __init__(self, expression: object, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        # A float we produce ourselves, never user input: safe to put in the SQL text.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile_cont(values: Sequence[timedelta], fraction: float) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    if lower == upper:
        return ordered[lower]
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
