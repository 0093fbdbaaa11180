"""{% timeline events %} builds the complaint page's timeline in Python; it must say what the
template loop it replaced said, in either language and across a change of summer time."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from accounts.models import User
from complaints.models import TimelineEvent

LOOP = Template(
    "{% for event in events %}"
    '<li><time datetime="{{ event.at|date:\'c\' }}">{{ event.at|date:"j M Y H:i" }}</time> · '
    '{{ event.actor_name|default:"–" }}<br>{{ event.message }}</li>'
    "{% endfor %}"
)
TAG = Template("{% load complaint_page %}{% timeline events %}")


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


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_timeline_says_what_the_template_loop_said(language: str) -> None:
    with translation.override(language):
        context = Context({"events": events()})
        expected, built = LOOP.render(context), TAG.render(context)

    assert parse_html(built) == parse_html(expected)
    assert "<script>" not in built
