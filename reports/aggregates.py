"""Percentiles over the lead times that reports.daily keeps per day."""

import math
from collections.abc import Sequence
from datetime import timedelta


def percentile_of_sorted[Value: (float, timedelta)](ordered: Sequence[Value], fraction: float) -> Value | None:
    """The continuous percentile of values already in order, as PostgreSQL's PERCENTILE_CONT:
    linear interpolation between the two nearest values."""
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    if lower == upper:
        return ordered[lower]
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
