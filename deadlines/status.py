"""How a deadline stands: on time, due soon, overdue, met, met late or no longer relevant.

Pure: the caller passes today and the closure days, so lists compute them once."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from lib.dates import local_date

from . import calendar

# "Due soon" means at most this many working days left.
DUE_SOON_WORKING_DAYS = 2


class State(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    # The complaint was closed or withdrawn before this step was taken.
    NOT_NEEDED = "not_needed"


LABELS = {
    State.ON_TIME: _("on time"),
    State.DUE_SOON: _("due soon"),
    State.OVERDUE: _("overdue"),
    State.MET: _("met"),
    State.MET_LATE: _("met late"),
    State.NOT_NEEDED: _("no longer needed"),
}


# The site's badge colours (static/css/site.css).
CSS_CLASSES = {
    State.ON_TIME: "ok",
    State.DUE_SOON: "soon",
    State.OVERDUE: "late",
    State.MET: "ok",
    State.MET_LATE: "late",
    State.NOT_NEEDED: "",
}


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    state: State
    met_on: date | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def css(self) -> str:
        return CSS_CLASSES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in (State.ON_TIME, State.DUE_SOON, State.OVERDUE)


def was_on_time(*, due: date, met_at: datetime) -> bool:
    """A deadline is met on time when the step happened on or before its day, in local time."""
    return local_date(met_at) <= due


def soon_limit(today: date, *, closure_days: Collection[date]) -> date:
    """The last day that still counts as "due soon" seen from today."""
    return _soon_limit(today, closure_days if isinstance(closure_days, frozenset) else frozenset(closure_days))


@lru_cache(maxsize=64)
def _soon_limit(today: date, closure_days: frozenset[date]) -> date:
    # A list asks this once per deadline shown, always with the same today and closure days.
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS, closure_days=closure_days)


def deadline_status(
    *, due: date, met_at: datetime | None, today: date, closure_days: Collection[date], active: bool = True
) -> DeadlineStatus:
    if met_at is not None:
        met_on = local_date(met_at)
        return DeadlineStatus(due=due, state=State.MET if met_on <= due else State.MET_LATE, met_on=met_on)
    if not active:
        return DeadlineStatus(due=due, state=State.NOT_NEEDED)
    if due < today:
        return DeadlineStatus(due=due, state=State.OVERDUE)
    if due <= soon_limit(today, closure_days=closure_days):
        return DeadlineStatus(due=due, state=State.DUE_SOON)
    return DeadlineStatus(due=due, state=State.ON_TIME)
