"""The letter templates' tiny language: named placeholders like {naam}, nothing else.

Substitution is one pass of `re.sub` over the template text: a replaced value is never
scanned again, so `{naam}`, `{{ x }}` or `{% ... %}` inside a complainant's own words end
up in the letter exactly as typed and never do anything."""

import re
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Contact, Outcome
from organisation.models import OrganisationSettings

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# The placeholders a template may use, with what they stand for (shown to the editor).
PLACEHOLDERS: dict[str, object] = {
    "naam": _("name of the complainant"),
    "bedrijf": _("company of the complainant"),
    "referentie": _("reference number, e.g. KL-2026-00042"),
    "ontvangen_op": _("date the complaint was received"),
    "datum_klacht": _("date of the complaint as the complainant gave it"),
    "omschrijving": _("the complaint in the complainant's words"),
    "verantwoordelijke": _("name of the responsible person"),
    "functie": _("job title of the responsible person"),
    "contact_uiterlijk": _("date by which we contact the complainant"),
    "afhandeling_uiterlijk": _("date by which we aim to resolve the complaint"),
    "afhandeltermijn": _("the resolution period in days"),
    "reden_verlenging": _("reason for the extended deadline"),
    "afspraak_datum": _("date of the meeting"),
    "afspraak_tijd": _("time of the meeting"),
    "afspraak_plaats": _("place or video link of the meeting"),
    "gesprek_op": _("date of the conversation"),
    "besproken": _("summary of the conversation"),
    "afspraken": _("the agreements, one per line, with who does it and by when"),
    "uitkomst": _("outcome (well-founded, partly well-founded, unfounded)"),
    "oplossing": _("the resolution as recorded when closing"),
    "organisatie": _("name of the organisation"),
    "telefoon": _("phone number of the organisation"),
    "kwaliteitsinbox": _("e-mail address of the quality inbox"),
}


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace each known {placeholder} once; unknown ones stay as they are."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


def agreements_text(complaint: Complaint) -> str:
    lines = [
        "– "
        + _("%(description)s (who: %(owner)s, by %(due)s)")
        % {"description": agreement.description, "owner": agreement.owner, "due": long_date(agreement.due)}
        for agreement in complaint.agreements.all()
    ]
    return "\n".join(lines) or str(_("No agreements were made."))


def latest_meeting(complaint: Complaint) -> Contact | None:
    return complaint.contacts.filter(kind="meeting").order_by("-created_at", "-pk").first()


def values_for(
    complaint: Complaint, *, organisation: OrganisationSettings, contact: Contact | None = None
) -> dict[str, str]:
    """Every placeholder's value for this complaint, in Dutch (letters are always Dutch)."""
    with translation.override("nl"):
        responsible = complaint.assigned_to
        meeting = contact or latest_meeting(complaint)
        starts = timezone.localtime(meeting.starts_at) if meeting and meeting.starts_at else None
        place = ""
        if meeting is not None:
            place = ", ".join(part for part in (meeting.location, meeting.video_link) if part)
        return {
            "naam": complaint.name,
            "bedrijf": complaint.company,
            "referentie": complaint.reference,
            "ontvangen_op": long_date(complaint.received_at),
            "datum_klacht": long_date(complaint.complaint_date),
            "omschrijving": complaint.description,
            "verantwoordelijke": responsible.display_name if responsible else "",
            "functie": responsible.job_title if responsible else "",
            "contact_uiterlijk": long_date(complaint.contact_due),
            "afhandeling_uiterlijk": long_date(complaint.resolve_due),
            "afhandeltermijn": str(organisation.resolution_days),
            "reden_verlenging": complaint.resolve_extension_reason,
            "afspraak_datum": date_format(starts, "l j F Y") if starts else "",
            "afspraak_tijd": date_format(starts, "H:i") if starts else "",
            "afspraak_plaats": place,
            "gesprek_op": long_date(complaint.conversation_at),
            "besproken": complaint.discussion_summary,
            "afspraken": agreements_text(complaint),
            "uitkomst": str(Outcome(complaint.outcome).label) if complaint.outcome else "",
            "oplossing": complaint.resolution,
            "organisatie": organisation.name,
            "telefoon": organisation.phone,
            "kwaliteitsinbox": organisation.quality_inbox,
        }
