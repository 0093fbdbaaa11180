"""The procedure's three deadlines, from the date of receipt, as the complaint's profile counts
them (deadlines.profiles): the organisation's periods, or the law's."""

from dataclasses import dataclass
from datetime import date

from organisation.models import OrganisationSettings, Procedure

from .profiles import profile_for


@dataclass(frozen=True)
class Deadlines:
    acknowledge: date
    contact: date
    resolve: date


def deadlines_for(
    *,
    received_on: date,
    organisation: OrganisationSettings,
    closure_days: frozenset[date],
    procedure: str = Procedure.OWN,
) -> Deadlines:
    profile = profile_for(procedure)
    return Deadlines(
        *(
            term.end(received_on, organisation=organisation, closure_days=closure_days)
            for term in (profile.acknowledge, profile.contact, profile.resolve)
        )
    )
