"""The iCalendar (.ics) attachment of a meeting invitation, its update or its cancellation.

The event's UID is the meeting's own uid and its SEQUENCE the meeting's sequence, which the
procedure raises on every change: a calendar program replaces the earlier invitation
instead of adding a second one. Times are written in UTC, which every program understands
without a VTIMEZONE block."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from complaints.models import Complaint, Contact
from organisation.models import OrganisationSettings

DEFAULT_LENGTH = timedelta(hours=1)
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def event_uid(contact: Contact) -> str:
    return f"{contact.uid}@{settings.MESSAGE_ID_DOMAIN}"


def meeting_ics(
    *, contact: Contact, complaint: Complaint, organisation: OrganisationSettings, method: str, summary: str
) -> bytes:
    assert contact.starts_at is not None
    calendar = Calendar()
    calendar.add("prodid", f"-//{organisation.name}//Klachtenregeling//NL")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", event_uid(contact))
    event.add("sequence", contact.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", contact.starts_at.astimezone(UTC))
    event.add("dtend", (contact.ends_at or contact.starts_at + DEFAULT_LENGTH).astimezone(UTC))
    event.add("summary", summary)
    location = ", ".join(part for part in (contact.location, contact.video_link) if part)
    if location:
        event.add("location", location)
    if contact.video_link:
        event.add("url", contact.video_link)
    event.add("description", f"{complaint.reference}")
    organizer = vCalAddress(f"mailto:{organisation.quality_inbox}")
    organizer.params["cn"] = vText(organisation.name)
    event.add("organizer", organizer)
    if complaint.email:
        attendee = vCalAddress(f"mailto:{complaint.email}")
        attendee.params["cn"] = vText(complaint.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
