from datetime import date, datetime
from typing import NamedTuple

from django import template
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from complaints.models import Complaint

from ..display import ComplaintDeadline, calendar_for, complaint_deadlines
from ..status import State

register = template.Library()

# A deadline as a badge: its name, its day and how it stands. In the complaint tables the
# rows' template (complaints/jinja2/complaints/complaint_rows.html) writes the same badge with
# the name visually hidden.
BADGE = (
    '<span class="deadline"><span class="deadline-name">{}:</span> '
    '<time datetime="{}">{}</time> <span class="badge {}">{}</span></span>\n'
)

# Where a page's Badges instance is kept in its render context.
BADGES_KEY = "deadlines.badges"


@register.simple_tag(takes_context=True)
def deadlines_of(context: template.Context, complaint: Complaint) -> list[ComplaintDeadline]:
    """{% deadlines_of complaint as deadlines %}: the complaint's three deadlines as they stand."""
    today, closed = calendar_for(context.get("request"))
    return complaint_deadlines(complaint, today=today, closure_days=closed)


class ShownDeadline(NamedTuple):
    """What a badge shows, in the page's language: the deadline's name, its day (machine-readable
    and for people), the badge's colour class and how it stands."""

    label: str
    iso: str
    day: str
    css: str
    text: str


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
        self.shown: dict[ComplaintDeadline, ShownDeadline] = {}

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

    def show(self, deadline: ComplaintDeadline) -> ShownDeadline:
        """What the deadline's badge shows. A table's complaints received on one day share their
        deadlines, so each is worked out once."""
        shown = self.shown.get(deadline)
        if shown is None:
            status = deadline.status
            shown = ShownDeadline(
                self.label(deadline), status.due.isoformat(), self.day(status.due), status.css, self.text(deadline)
            )
            self.shown[deadline] = shown
        return shown

    def badge(self, deadline: ComplaintDeadline) -> SafeString:
        return format_html(BADGE, *self.show(deadline))

    def iso(self, value: datetime) -> str:
        """A moment in the current time zone, machine-readable (as the `date:"c"` filter)."""
        return timezone.localtime(value).isoformat()

    def moment(self, value: datetime) -> str:
        """A moment in the short date-and-time format in the current time zone, its day formatted once per page."""
        local = timezone.localtime(value)
        return f"{self.day(local.date())} {local:%H:%M}"

    def row(self, complaint: Complaint) -> list[ShownDeadline]:
        """The badges of a table row: the complaint's three deadlines."""
        today, closure_days = calendar_for(self.request)
        return [
            self.show(deadline) for deadline in complaint_deadlines(complaint, today=today, closure_days=closure_days)
        ]


@register.simple_tag(name="deadline_badge", takes_context=True)
def deadline_badge(context: template.Context, deadline: ComplaintDeadline) -> SafeString:
    """{% deadline_badge deadline %}: one deadline of {% deadlines_of %} as a badge."""
    return Badges.of(context).badge(deadline)
