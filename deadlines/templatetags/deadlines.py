from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from complaints.models import Complaint

from ..display import ComplaintDeadline, calendar_for, complaint_deadlines
from ..status import State

register = template.Library()

# Where a page's Badges instance is kept in its render context.
BADGES_KEY = "deadlines.badges"


@register.simple_tag(takes_context=True)
def deadlines_of(context: template.Context, complaint: Complaint) -> list[ComplaintDeadline]:
    """{% deadlines_of complaint as deadlines %}: the complaint's three deadlines as they stand."""
    today, closed = calendar_for(context.get("request"))
    return complaint_deadlines(complaint, today=today, closure_days=closed)


class Badges:
    """Renders deadline badges. A table shows a few hundred of them, most with the same few
    labels and days, so the translated labels and the formatted days are looked up once per
    page: one instance lives in the page's render context (Django's place for a tag's state
    during one rendering)."""

    def __init__(self) -> None:
        self.days: dict[date, str] = {}
        self.labels: dict[object, str] = {}

    @classmethod
    def of(cls, context: template.Context) -> "Badges":
        badges: Badges | None = context.render_context.get(BADGES_KEY)
        if badges is None:
            badges = context.render_context[BADGES_KEY] = cls()
        return badges

    def day(self, value: date) -> str:
        if value not in self.days:
            self.days[value] = date_filter(value, "j M Y")
        return self.days[value]

    def label(self, deadline: ComplaintDeadline) -> str:
        if deadline.kind not in self.labels:
            self.labels[deadline.kind] = capfirst(deadline.label)
        return self.labels[deadline.kind]

    def badge(self, deadline: ComplaintDeadline, *, compact: bool) -> SafeString:
        """One deadline: its name (visually hidden in tables), its day and how it stands."""
        status = deadline.status
        if status.state == State.MET and status.met_on is not None:
            text = gettext("met on %(day)s") % {"day": self.day(status.met_on)}
        elif status.state == State.MET_LATE and status.met_on is not None:
            text = gettext("met late on %(day)s") % {"day": self.day(status.met_on)}
        else:
            text = status.label
        if compact:
            name_format = '<span class="visually-hidden">{}: </span>'
        else:
            name_format = '<span class="deadline-name">{}:</span> '
        return format_html(
            '<span class="deadline">{}<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n',
            format_html(name_format, self.label(deadline)),
            status.due.isoformat(),
            self.day(status.due),
            status.css,
            text,
        )


@register.simple_tag(name="deadline_badge", takes_context=True)
def deadline_badge(context: template.Context, deadline: ComplaintDeadline, compact: bool = False) -> SafeString:
    """{% deadline_badge deadline %}: one deadline of {% deadlines_of %} as a badge."""
    return Badges.of(context).badge(deadline, compact=compact)


@register.simple_tag(takes_context=True)
def deadline_badges(context: template.Context, complaint: Complaint) -> SafeString:
    """{% deadline_badges complaint %}: a table cell's badges, the three deadlines with their
    names visually hidden."""
    badges = Badges.of(context)
    return format_html_join(
        "", "{}", ((badges.badge(deadline, compact=True),) for deadline in deadlines_of(context, complaint))
    )
