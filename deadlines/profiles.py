"""The complaints procedures the system runs, as declared data that the one engine reads.

A profile says how each deadline is counted from the date of receipt and what an extension of
the resolution deadline may be. The organisation's own procedure (the source document) takes
its periods from the organisation's settings; the statutory ones take theirs from the law:

- Wkkgz (art. 17): a written judgement within 6 weeks of receipt; one extension of at most
  4 weeks, told in writing before the 6 weeks end; further only with the complainant's consent.
- Awb chapter 9 (art. 9:11): handled within 6 weeks; one extension of at most 4 weeks, told in
  writing; further only with the complainant's written consent.

A statutory period in weeks ends on the same weekday, moved to the next working day when it
falls on a Saturday, a Sunday or a holiday (Algemene termijnenwet art. 1); the organisation's
own closure days do not move it, as the law does not know them. Periods the law does not set
(the acknowledgement, the first contact) stay those of the organisation's settings."""

from dataclasses import dataclass
from datetime import date

from organisation.models import OrganisationSettings, Procedure

from . import calendar


@dataclass(frozen=True)
class Term:
    """A period from a date: `weeks` of the law, or the organisation's setting of that name in
    working days or in calendar days rolled to a working day (counting its closure days)."""

    weeks: int = 0
    setting: str = ""
    working_days: bool = False

    def end(self, start: date, *, organisation: OrganisationSettings, closure_days: frozenset[date]) -> date:
        if not self.setting:
            # The law's weeks: its holidays and weekends only.
            return calendar.add_days_rolled(start, 7 * self.weeks)
        days = getattr(organisation, self.setting)
        if self.working_days:
            return calendar.add_working_days(start, days, closure_days=closure_days)
        return calendar.add_days_rolled(start, days, closure_days=closure_days)


@dataclass(frozen=True)
class ExtensionRule:
    # How many weeks one extension may add to the law's period; None: as many as needed.
    at_most_weeks: int | None = None
    # One extension, told before the deadline passes; more only with the complainant's consent.
    once_and_in_time: bool = False


@dataclass(frozen=True)
class Profile:
    procedure: Procedure
    acknowledge: Term
    contact: Term
    resolve: Term
    extension: ExtensionRule


OWN_ACKNOWLEDGEMENT = Term(setting="acknowledgement_working_days", working_days=True)
OWN_CONTACT = Term(setting="first_contact_days")
STATUTORY_EXTENSION = ExtensionRule(at_most_weeks=4, once_and_in_time=True)

PROFILES = {
    Procedure.OWN: Profile(
        Procedure.OWN,
        acknowledge=OWN_ACKNOWLEDGEMENT,
        contact=OWN_CONTACT,
        resolve=Term(setting="resolution_days"),
        extension=ExtensionRule(),
    ),
    Procedure.WKKGZ: Profile(
        Procedure.WKKGZ,
        acknowledge=OWN_ACKNOWLEDGEMENT,
        contact=OWN_CONTACT,
        resolve=Term(weeks=6),
        extension=STATUTORY_EXTENSION,
    ),
    Procedure.AWB: Profile(
        Procedure.AWB,
        acknowledge=OWN_ACKNOWLEDGEMENT,
        contact=OWN_CONTACT,
        resolve=Term(weeks=6),
        extension=STATUTORY_EXTENSION,
    ),
}


def profile_for(procedure: str) -> Profile:
    return PROFILES[Procedure(procedure)]


def latest_extension(profile: Profile, received_on: date) -> date | None:
    """The latest date an extension without the complainant's consent may reach (the law's period
    and the extension together, from the date of receipt), or None when there is no limit."""
    weeks = profile.extension.at_most_weeks
    if weeks is None:
        return None
    return calendar.add_days_rolled(received_on, 7 * (profile.resolve.weeks + weeks))
