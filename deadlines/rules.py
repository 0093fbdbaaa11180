"""The procedure's three deadlines, from the date of receipt and the organisation's periods."""

from dataclasses import dataclass
from datetime import date

from organisation.models import OrganisationSettings

from . import calendar


@dataclass(frozen=True)
class Deadlines:
    acknowledge: date
    contact: date
    resolve: date


def deadlines_for(*, received_on: date, organisation: OrganisationSettings, closure_days: frozenset[date]) -> Deadlines:
    return Deadlines(
        acknowledge=calendar.add_working_days(
            received_on, organisation.acknowledgement_working_days, closure_days=closure_days
        ),
        contact=calendar.add_days_rolled(received_on, organisation.first_contact_days, closure_days=closure_days),
        resolve=calendar.add_days_rolled(received_on, organisation.resolution_days, closure_days=closure_days),
    )
