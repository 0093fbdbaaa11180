from datetime import date
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from complaints.models import Complaint

from ..display import ComplaintDeadline, calendar_for, complaint_deadlines
from ..status import State

register = template.Library()


@register.simple_tag(takes_context=True)
def deadlines_of(context: template.Context, complaint: Complaint) -> list[ComplaintDeadline]:
    """{% deadlines_of complaint as deadlines %}: the complaint's three deadlines as they stand."""
    today, closed = calendar_for(context.get("request"))
    return complaint_deadlines(complaint, today=today, closure_days=closed)


def _day(value: date | None, format_string: str) -> str:
    return formatted_day(value, format_string, get_language())


@lru_cache(maxsize=4096)
def formatted_day(value: date | None, format_string: str, language: str | None) -> str:
    # A page shows the same few days many times, and localised date formatting dominates the
    # cost of a badge; the language is part of the key because month names are translated.
    return date_filter(value, format_string)


def badge(deadline: ComplaintDeadline, *, compact: bool = False, language: str | None = None) -> SafeString:
    """One deadline: its name (visually hidden in tables), its day and how it stands; in the
    current language unless a list that knows it already passes it."""
    return _badge(deadline, compact, language or get_language())


@lru_cache(maxsize=8192)
def _badge(deadline: ComplaintDeadline, compact: bool, language: str | None) -> SafeString:
    # A badge depends only on the deadline's kind, day, state and the day it was met, and on
    # the language: lists show the same few hundred combinations over and over.
    status = deadline.status
    if status.state == State.MET:
        text = gettext("met on %(day)s") % {"day": _day(status.met_on, "j M Y")}
    elif status.state == State.MET_LATE:
        text = gettext("met late on %(day)s") % {"day": _day(status.met_on, "j M Y")}
    else:
        text = status.label
    name_format = '<span class="visually-hidden">{}: </span>' if compact else '<span class="deadline-name">{}:</span> '
    return format_html(
        '<span class="deadline">{}<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n',
        format_html(name_format, capfirst(deadline.label)),
        _day(status.due, "Y-m-d"),
        _day(status.due, "j M Y"),
        status.css,
        text,
    )


@register.simple_tag(name="deadline_badge")
def deadline_badge(deadline: ComplaintDeadline, compact: bool = False) -> SafeString:
    """{% deadline_badge deadline %}: one deadline of {% deadlines_of %} as a badge."""
    return badge(deadline, compact=compact)
