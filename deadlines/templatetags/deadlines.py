from datetime import date, datetime

from django import template
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from complaints.models import Complaint

from ..display import ComplaintDeadline, calendar_for, complaint_deadlines
from ..status import State

register = template.Library()

# A deadline as a badge: its name (visually hidden in tables), its day and how it stands.
BADGE = (
    '<span class="deadline"><span class="deadline-name">{}:</span> '
    '<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n'
)
COMPACT_BADGE = (
    '<span class="deadline"><span class="visually-hidden">{}: </span>'
    '<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n'
)

# Where a page's Badges instance is kept in its render context.
BADGES_KEY = "deadlines.badges"


@register.simple_tag(takes_context=True)
def deadlines_of(context: template.Context, complaint: Complaint) -> list[ComplaintDeadline]:
    """{% deadlines_of complaint as deadlines %}: the complaint's three deadlines as they stand."""
    today, closed = calendar_for(context.get("request"))
    return complaint_deadlines(complaint, today=today, closure_days=closed)


class Badges:
    """Renders the deadline badges and the moments of one page. A table shows a few hundred
    badges, most with the same few labels and days, and a timeline many moments of the same
    days, so the translated labels and the formatted days are looked up once per page: one
    instance lives in the page's render context (Django's place for a tag's state during one
    rendering), and is handed to the fragments that render a table's rows or a timeline."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self.days: dict[date, str] = {}
        self.labels: dict[object, str] = {}
        self.texts: dict[tuple[State, date | None], str] = {}
        self.badges: dict[tuple[ComplaintDeadline, bool], SafeString] = {}

    @classmethod
    def of(cls, context: template.Context) -> "Badges":
        badges: Badges | None = context.render_context.get(BADGES_KEY)
        if badges is None:
            badges = cls(context.get("request"))
            context.render_context[BADGES_KEY] = badges
        return badges

    def day(self, value: date) -> str:
        if value not in self.days:
            self.days[value] = date_filter(value, "SHORT_DATE_FORMAT")
        return self.days[value]

    def label(self, deadline: ComplaintDeadline) -> str:
        if deadline.kind not in self.labels:
            self.labels[deadline.kind] = capfirst(deadline.label)
        return self.labels[deadline.kind]

    def text(self, deadline: ComplaintDeadline) -> str:
        status = deadline.status
        key = (status.state, status.met_on)
        if key not in self.texts:
            if status.state == State.MET and status.met_on is not None:
                self.texts[key] = gettext("met on %(day)s") % {"day": self.day(status.met_on)}
            elif status.state == State.MET_LATE and status.met_on is not None:
                self.texts[key] = gettext("met late on %(day)s") % {"day": self.day(status.met_on)}
            else:
                self.texts[key] = status.label
        return self.texts[key]

    def badge(self, deadline: ComplaintDeadline, *, compact: bool) -> SafeString:
        """One deadline: its name (visually hidden in tables), its day and how it stands. A
        table's complaints received on one day share their deadlines, so each is rendered once."""
        key = (deadline, compact)
        if key not in self.badges:
            self.badges[key] = self._badge(deadline, compact=compact)
        return self.badges[key]

    def _badge(self, deadline: ComplaintDeadline, *, compact: bool) -> SafeString:
        status = deadline.status
        return format_html(
            COMPACT_BADGE if compact else BADGE,
            self.label(deadline),
            status.due.isoformat(),
            self.day(status.due),
            status.css,
            self.text(deadline),
        )

    def iso(self, value: datetime) -> str:
        """A moment in the current time zone, machine-readable (as the `date:"c"` filter)."""
        return timezone.localtime(value).isoformat()

    def moment(self, value: datetime) -> str:
        """A moment in the short date-and-time format in the current time zone, its day formatted once per page."""
        local = timezone.localtime(value)
        return f"{self.day(local.date())} {local:%H:%M}"

    def cell(self, complaint: Complaint) -> SafeString:
        """A table cell's badges: the complaint's three deadlines with their names visually hidden."""
        today, closure_days = calendar_for(self.request)
        deadlines = complaint_deadlines(complaint, today=today, closure_days=closure_days)
        return format_html_join("", "{}", ((self.badge(deadline, compact=True),) for deadline in deadlines))


@register.simple_tag(name="deadline_badge", takes_context=True)
def deadline_badge(context: template.Context, deadline: ComplaintDeadline, compact: bool = False) -> SafeString:
    """{% deadline_badge deadline %}: one deadline of {% deadlines_of %} as a badge."""
    return Badges.of(context).badge(deadline, compact=compact)
