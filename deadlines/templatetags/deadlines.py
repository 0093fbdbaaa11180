from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from complaints.models import Complaint

from ..display import ComplaintDeadline, calendar_for, complaint_deadlines
from ..status import State

register = template.Library()


@register.simple_tag(takes_context=True)
def deadlines_of(context: template.Context, complaint: Complaint) -> list[ComplaintDeadline]:
    """{% deadlines_of complaint as deadlines %}: the complaint's three deadlines as they stand."""
    today, closed = calendar_for(context.get("request"))
    return complaint_deadlines(complaint, today=today, closure_days=closed)


@register.simple_tag(name="deadline_badge")
def deadline_badge(deadline: ComplaintDeadline, compact: bool = False) -> SafeString:
    """{% deadline_badge deadline %}: one deadline of {% deadlines_of %} as a badge: its name
    (visually hidden in tables, `compact=True`), its day and how it stands."""
    status = deadline.status
    if status.state == State.MET:
        text = gettext("met on %(day)s") % {"day": date_filter(status.met_on, "j M Y")}
    elif status.state == State.MET_LATE:
        text = gettext("met late on %(day)s") % {"day": date_filter(status.met_on, "j M Y")}
    else:
        text = status.label
    name_format = '<span class="visually-hidden">{}: </span>' if compact else '<span class="deadline-name">{}:</span> '
    return format_html(
        '<span class="deadline">{}<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n',
        format_html(name_format, capfirst(deadline.label)),
        date_filter(status.due, "Y-m-d"),
        date_filter(status.due, "j M Y"),
        status.css,
        text,
    )
