from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from complaints import services as procedure
from correspondence.calendar_invite import REQUEST, meeting_ics
from correspondence.placeholders import substitute, unknown_placeholders
from organisation.selectors import get_organisation


def test_placeholders_are_replaced_once_and_values_are_never_read_again():
    values = {"naam": "{referentie} {{ x }}", "referentie": "KL-2026-00001"}
    assert (
        substitute("{naam} / {referentie} / {onbekend}", values) == "{referentie} {{ x }} / KL-2026-00001 / {onbekend}"
    )


def test_unknown_placeholders_are_named():
    assert unknown_placeholders("{naam} {wachtwoord} {{ naam }} {Naam}") == ["wachtwoord"]


@pytest.mark.django_db
def test_a_meeting_without_an_end_lasts_an_hour_in_utc(make_complaint, quality_manager, director):
    complaint = make_complaint()
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    meeting = procedure.plan_meeting(
        complaint=complaint, by=director, starts_at=starts, video_link="https://meet.example/x"
    )
    ics = meeting_ics(
        contact=meeting, complaint=complaint, organisation=get_organisation(), method=REQUEST, summary="Gesprek"
    )
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert b"DTSTART:" in ics and ics.count(b"Z\r\n") >= 2  # UTC times, no floating local time
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)
    assert str(event["LOCATION"]) == "https://meet.example/x"
    assert str(event["ATTENDEE"]) == "mailto:jan@example.nl"
