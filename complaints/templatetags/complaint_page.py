"""The complaint page's repeated parts, built in Python: {% load complaint_page %}.

{% form_field field %} renders what includes/field.html renders (see complaints/form_rendering.py),
{% kept_form_field field %} the same, kept per process for a field of an unbound form;
{% timeline events %} the timeline's items. A complaint's history grows with every step, and
through the template engine each event cost two localised dates and a filter chain."""

from collections.abc import Iterable

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import get_language

from deadlines.templatetags.deadlines import formatted_day

from ..form_rendering import field_html, kept_field_html
from ..models import TimelineEvent

register = template.Library()


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """{% form_field form.name %}: as {% include "includes/field.html" with field=form.name %}."""
    return field_html(field)


@register.simple_tag
def kept_form_field(field: BoundField) -> SafeString:
    """{% kept_form_field form.name %}: as {% form_field %}, with the field's HTML kept per
    process where it can be (see kept_field_html for which forms may use it)."""
    return kept_field_html(field)


@register.simple_tag
def timeline(events: Iterable[TimelineEvent]) -> SafeString:
    """{% timeline events %}: one <li> per event (select_related("actor") keeps it to one query)."""

    language = get_language()

    def items() -> Iterable[tuple[str, str, str, str]]:
        for event in events:
            # As {{ event.at|date:"c" }} and {{ event.at|date:"j M Y H:i" }}, in the current time
            # zone; the localised day (a translated month) is formatted once per day and language.
            at = localtime(event.at)
            shown = f"{formatted_day(at.date(), 'j M Y', language)} {at:%H:%M}"
            yield at.isoformat(), shown, event.actor_name or "–", event.message

    return format_html_join("\n", '<li><time datetime="{}">{}</time> · {}<br>{}</li>', items())
