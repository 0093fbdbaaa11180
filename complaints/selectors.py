"""Reading complaints, always scoped to what the user may see.

Views fetch complaints only through these functions; a complaint outside the user's
reach does not exist for them (404)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField, Case, Count, Exists, F, Model, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import BaseExpression
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

from .models import OPEN_STATUSES, Agreement, Complaint
from .queue_counts import counts_for


class _Visibility(TypedDict):
    contents_visible: bool


if TYPE_CHECKING:
    # Only for the type checker: django-stubs-ext is a development dependency.
    from django_stubs_ext import WithAnnotations

    # A complaint as the selectors hand it out: with `contents_visible` (see complaints_for).
    ScopedComplaint = WithAnnotations[Complaint, _Visibility]


def complaints_for(user: User) -> "QuerySet[ScopedComplaint]":
    if not user.is_authenticated or not user.is_active:
        return Complaint.objects.annotate(contents_visible=Value(False)).none()
    if user.has_role(Role.QUALITY_MANAGER):
        scope = Q()
    else:
        scope = Q(pk__in=[])
        if user.has_role(Role.RESPONSIBLE):
            scope |= Q(assigned_to=user)
        if user.has_role(Role.BACK_OFFICE):
            scope |= Q(registered_by=user)
    # The person a complaint is about never sees it, whatever their role.
    # `contents_visible`: need to know. Back office staff keep seeing what they registered in
    # their list, but once it is handed over only its reference and status.
    return (
        Complaint.objects.filter(scope)
        .exclude(Exists(_linked_to(user)))
        .annotate(contents_visible=_contents_visible(user))
    )


def _linked_to(user: User, complaint: str = "pk") -> QuerySet[Model]:
    """The complaint of the outer query (its primary key, or the field naming it) is about this user."""
    return Complaint.about_staff.through.objects.filter(complaint=OuterRef(complaint), user=user)


def _contents_visible(user: User) -> Case | Value:
    if user.has_role(Role.QUALITY_MANAGER):
        return Value(True)
    readable = Q(pk__in=[])
    if user.has_role(Role.RESPONSIBLE):
        readable |= Q(assigned_to=user)
    if user.has_role(Role.BACK_OFFICE):
        readable |= Q(registered_by=user, assigned_to__isnull=True)
    return Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())


class ComplaintNotFound(Http404):
    """A complaint the user may not reach, or that does not exist: a 404 either way, which
    privacy.middleware writes to the access log when the reference exists."""

    def __init__(self, reference: str) -> None:
        super().__init__("No such complaint.")
        self.reference = reference


def get_complaint_for(
    user: User,
    reference: str,
    *,
    contents: bool = True,
    annotations: Mapping[str, BaseExpression] | None = None,
) -> "ScopedComplaint":
    """The complaint, if the user may read it (404 otherwise). With contents=False also a
    complaint of which the user may only see the reference and status (the detail page).
    `annotations`: further values to compute in the same query."""
    complaints = complaints_for(user)
    if contents:
        complaints = complaints.filter(contents_visible=True)
    if annotations:
        complaints = complaints.annotate(**annotations)
    try:
        return complaints.select_related("assigned_to", "registered_by", "received_by").get(reference=reference)
    except Complaint.DoesNotExist:
        raise ComplaintNotFound(reference) from None


# The columns a complaint table shows (complaints/complaint_table.html). A list
# reads only these: not the complainant's description, address and the rest of the text.
TABLE_FIELDS = (
    "reference",
    "received_at",
    "name",
    "channel",
    "status",
    "acknowledge_due",
    "contact_due",
    "resolve_due",
    "acknowledged_at",
    "first_contact_at",
    "closed_at",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
)


def for_table[QS: QuerySet[Any, Any]](complaints: QS) -> QS:
    return complaints.select_related("assigned_to").only(*TABLE_FIELDS)


def open_deadline_filters(*, today: date, limit: date) -> tuple[Q, Q]:
    """(overdue, due soon): an unmet deadline before today, or from today up to `limit`.

    Each branch is served by one of the (status, <deadline>_due) indexes."""
    overdue = (
        Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)
        | Q(first_contact_at__isnull=True, contact_due__lt=today)
        | Q(resolve_due__lt=today)
    )
    soon = (
        Q(acknowledged_at__isnull=True, acknowledge_due__gte=today, acknowledge_due__lte=limit)
        | Q(first_contact_at__isnull=True, contact_due__gte=today, contact_due__lte=limit)
        | Q(resolve_due__gte=today, resolve_due__lte=limit)
    )
    return overdue, soon


@dataclass
class Queue:
    key: str
    title: str | Promise
    items: list[Complaint]
    count: int


# The most urgent few of each queue: every row costs rendering (three deadline badges), and
# with 4 queues of 50 "my work" took 200 rows, far over its 50 ms budget at a million complaints.
QUEUE_SIZE = 10


def _queue(key: str, title: str | Promise, complaints: QuerySet[Complaint], count: int | None = None) -> Queue:
    items = list(complaints[:QUEUE_SIZE])
    return Queue(key=key, title=title, items=items, count=complaints.count() if count is None else count)


def work_queues(user: User, *, today: date, limit: date) -> list[Queue]:
    """The "my work" page: what this user must act on, most urgent first; each a bounded list and a count."""
    open_complaints = for_table(complaints_for(user).filter(status__in=OPEN_STATUSES))
    queues = []
    if user.has_role(Role.QUALITY_MANAGER):
        overdue, soon = open_deadline_filters(today=today, limit=limit)
        filters = {
            "not_acknowledged": Q(acknowledged_at__isnull=True),
            "not_assigned": Q(assigned_to__isnull=True),
            "due_soon": soon,
            "overdue": overdue,
        }
        ordered = {
            "not_acknowledged": ("acknowledge_due", "pk"),
            "not_assigned": ("contact_due", "pk"),
            "due_soon": ("contact_due", "pk"),
            "overdue": ("acknowledge_due", "pk"),
        }

        def survey() -> dict[str, Any]:
            # One pass over the open complaints counts all four queues, instead of four passes.
            counts = open_complaints.order_by().aggregate(**{k: Count("pk", filter=f) for k, f in filters.items()})
            firsts = {
                key: list(open_complaints.filter(f).order_by(*ordered[key]).values_list("pk", flat=True)[:QUEUE_SIZE])
                for key, f in filters.items()
            }
            return {"counts": counts, "firsts": firsts}

        # Counted, and the most urgent of each queue chosen, only after a complaint changed (see
        # queue_counts); the rows themselves are read afresh, those of all four queues in one query.
        found = counts_for(user_pk=user.pk, today=today, limit=limit, count=survey)
        wanted = {pk for pks in found["firsts"].values() for pk in pks}
        rows = {c.pk: c for c in open_complaints.filter(pk__in=wanted)} if wanted else {}
        titles = {
            "not_acknowledged": _("Not yet acknowledged"),
            "not_assigned": _("Not yet assigned"),
            "due_soon": _("Due within 2 working days"),
            "overdue": _("Overdue"),
        }
        queues += [
            Queue(
                key=key,
                title=title,
                items=[rows[pk] for pk in found["firsts"][key] if pk in rows],
                count=found["counts"][key],
            )
            for key, title in titles.items()
        ]
    if user.has_role(Role.RESPONSIBLE):
        # Theirs is the contact deadline until the first contact, then the resolution deadline.
        next_due = Case(When(first_contact_at__isnull=True, then=F("contact_due")), default=F("resolve_due"))
        mine = open_complaints.filter(assigned_to=user).annotate(next_due=next_due).order_by("next_due", "pk")
        open_agreements = Agreement.objects.filter(complaint=OuterRef("pk"), done_at__isnull=True)
        queues += [
            _queue("mine_new", _("New for me: no contact yet"), mine.filter(first_contact_at__isnull=True)),
            _queue("mine_overdue", _("My overdue complaints"), mine.filter(next_due__lt=today)),
            _queue(
                "mine_due_soon",
                _("My complaints due within 2 working days"),
                mine.filter(next_due__gte=today, next_due__lte=limit),
            ),
            _queue("mine_agreements", _("My complaints with open agreements"), mine.filter(Exists(open_agreements))),
            _queue("mine", _("My complaints, by next deadline"), mine),
        ]
    return queues


def my_open_agreements(user: User) -> "QuerySet[Agreement]":
    """The open agreements of open complaints this staff member carries out (never of a complaint
    about them)."""
    return Agreement.objects.filter(owner_user=user, done_at__isnull=True, complaint__status__in=OPEN_STATUSES).exclude(
        Exists(_linked_to(user, "complaint"))
    )


def my_agreements(user: User) -> list[Agreement]:
    """The open agreements this staff member carries out, by date: on their "my work" even when
    the complaint itself is outside their reach (then by reference only)."""
    agreements = list(
        my_open_agreements(user)
        .select_related("complaint")
        .only("description", "due", "done_at", "complaint__reference")
        .order_by("due", "pk")[: QUEUE_SIZE * 2]
    )
    if not agreements:
        return []
    visible = set(complaints_for(user).filter(pk__in=[a.complaint_id for a in agreements]).values_list("pk", flat=True))
    for agreement in agreements:
        agreement.complaint_visible = agreement.complaint_id in visible  # type: ignore[attr-defined]
    return agreements
