"""The complaint page's timeline ({% timeline events %}, complaints/jinja2/complaints/timeline.html):
local times across a change of summer time, month names in the reader's language, everything
escaped."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.models import User
from complaints.models import TimelineEvent


def events() -> list[TimelineEvent]:
    someone = User(first_name="Tom <&>", last_name="O'Brien", username="tom")
    moments = [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 in Amsterdam, before summer time
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00, after
        datetime(2026, 5, 1, 22, 30, 15, 123456, tzinfo=UTC),  # the next day in Amsterdam
        datetime(2026, 12, 31, 23, 5, tzinfo=UTC),
    ]
    made = []
    for i, at in enumerate(moments):
        event = TimelineEvent(at=at, kind="note", message=f"<script>alert({i})</script> & more")
        if i % 2:
            event.actor = someone
        else:
            event.actor_label = "" if i == 0 else "klager <b>"
        made.append(event)
    return made


@pytest.mark.parametrize(("language", "month"), [("nl", "mrt"), ("en", "Mar")])
def test_the_timeline_shows_local_times_in_the_readers_language_and_escapes_everything(
    language: str, month: str
) -> None:
    with translation.override(language):
        html = Template("{% load complaint_page %}{% timeline events %}").render(Context({"events": events()}))

    assert f'<time datetime="2026-03-29T01:59:00+01:00">29 {month} 2026 01:59</time> · –' in html
    assert f'<time datetime="2026-03-29T03:00:00+02:00">29 {month} 2026 03:00</time>' in html
    january = "jan" if language == "nl" else "Jan"
    assert f'<time datetime="2027-01-01T00:05:00+01:00">1 {january} 2027 00:05</time>' in html
    assert "00:30</time> · klager &lt;b&gt;<br>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(0)&lt;/script&gt; &amp; more" in html


@pytest.mark.parametrize(
    ("language", "complainant", "system"), [("nl", "klager", "systeem"), ("en", "complainant", "system")]
)
def test_the_complainant_and_the_system_are_named_in_the_readers_language(
    language: str, complainant: str, system: str
) -> None:
    # Recorded in Dutch, as the organisation's language had it then, or in English.
    recorded = [TimelineEvent(actor_label=label) for label in ("klager", "systeem", "complainant", "System")]
    mail = TimelineEvent(actor_label="jan@example.nl")
    with translation.override(language):
        assert [event.actor_name for event in recorded] == [complainant, system, complainant, system]
        assert mail.actor_name == "jan@example.nl"
