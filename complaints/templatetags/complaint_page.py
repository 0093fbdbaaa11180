"""{% timeline events %}: a complaint's timeline on its page.

A complaint's history grows with every step, and each event shows a localised moment; the
items come from the Jinja2 template complaints/timeline.html (lib.jinja2), with each day
formatted once per page."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from complaints.models import TimelineEvent
from deadlines.templatetags.deadlines import Badges
from lib.jinja2 import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline(context: template.Context, events: Iterable[TimelineEvent]) -> SafeString:
    """{% timeline events %}: one <li> per event (select_related("actor") keeps it to one query)."""
    return render_fragment("complaints/timeline.html", {"events": events, "dates": Badges.of(context)})
