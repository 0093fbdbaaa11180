"""Reading the quality loop's data, scoped to what the user may see."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint
from complaints.queue_counts import kept_until_work_changes
from complaints.rules import handles
from complaints.selectors import complaints_for
from lib.dates import local_date

from .models import ActionStatus, Category, Classification, ComplaintLink, CorrectiveAction, RootCause, SurveyInvitation


def can_classify(user: User, complaint: Complaint) -> bool:
    """Whoever handles (and closes) the complaint: the quality manager or its responsible
    person, never the person it is about — the procedure's own rule."""
    return handles(user, complaint)


def classification_of(complaint: Complaint) -> Classification | None:
    return Classification.objects.select_related("category__parent", "root_cause").filter(complaint=complaint).first()


def category_choices(*, include: Category | None = None) -> list[Category]:
    """Active categories in tree order (parents before their children), plus `include`
    when it is retired, so an existing classification stays visible in a form."""
    nodes = list(Category.objects.select_related("parent").filter(Q(active=True) | Q(pk=getattr(include, "pk", None))))
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[Category] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, []):
            node.depth = depth  # type: ignore[attr-defined]
            ordered.append(node)
            walk(node.pk, depth + 1)

    walk(None, 0)
    known = {n.pk for n in ordered}
    # A child of a retired parent is still offered, at the top level.
    for node in nodes:
        if node.pk not in known:
            node.depth = 0  # type: ignore[attr-defined]
            ordered.append(node)
    return ordered


def all_categories() -> list[Category]:
    nodes = list(Category.objects.select_related("parent"))
    return sorted(nodes, key=lambda n: n.path.lower())


def active_root_causes(*, include: RootCause | None = None) -> QuerySet[RootCause]:
    return RootCause.objects.filter(Q(active=True) | Q(pk=getattr(include, "pk", None)))


@dataclass(frozen=True)
class RelatedComplaint:
    link: ComplaintLink
    complaint: Complaint


def related_complaints(user: User, complaint: Complaint) -> list[RelatedComplaint]:
    """The complaints linked to this one that the user may see (others are left out, not hinted at)."""
    links = list(ComplaintLink.objects.filter(Q(first=complaint) | Q(second=complaint)).order_by("created_at", "pk"))
    if not links:
        # Most complaints have none; building the scoped query alone costs half a millisecond.
        return []
    other_ids = {link.second_id if link.first_id == complaint.pk else link.first_id for link in links}
    visible = {c.pk: c for c in complaints_for(user).filter(pk__in=other_ids)}
    result = []
    for link in links:
        other_id = link.second_id if link.first_id == complaint.pk else link.first_id
        if other_id in visible:
            result.append(RelatedComplaint(link=link, complaint=visible[other_id]))
    return result


def get_link_for(user: User, complaint: Complaint, link_id: int) -> ComplaintLink:
    link = ComplaintLink.objects.filter(Q(first=complaint) | Q(second=complaint), pk=link_id).first()
    if link is None:
        raise Http404("No such link.")
    return link


def actions_for(user: User) -> QuerySet[CorrectiveAction]:
    """The quality manager sees every corrective action; anyone else the ones they own."""
    if not user.is_authenticated or not user.is_active:
        return CorrectiveAction.objects.none()
    actions = CorrectiveAction.objects.all()
    if not user.has_role(Role.QUALITY_MANAGER):
        actions = actions.filter(owner=user)
    return actions


def with_effect(actions: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    """Annotate `complaints_since`: complaints in the watched category received since the
    action was done (one correlated subquery per action, in the same query: no N+1)."""
    since = (
        Classification.objects.filter(category=OuterRef("category"), complaint__received_at__gte=OuterRef("done_at"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return actions.annotate(complaints_since=Coalesce(Subquery(since), 0))


def get_action_for(user: User, pk: int) -> CorrectiveAction:
    action = with_effect(actions_for(user)).select_related("owner", "category__parent").filter(pk=pk).first()
    if action is None:
        raise Http404("No such corrective action.")
    return action


@dataclass(frozen=True)
class ActionRow:
    pk: int
    title: str
    owner_name: str
    due: date
    check_due: date | None


@dataclass(frozen=True)
class UnhappyRow:
    reference: str
    score: int | None  # always given: only an answer is flagged
    answered_at: datetime | None


@dataclass(frozen=True)
class WorkQueue:
    open_actions: list[ActionRow]
    overdue_count: int
    checks_due: list[ActionRow]
    unhappy: list[UnhappyRow]
    today: date

    @property
    def is_empty(self) -> bool:
        return not (self.open_actions or self.checks_due or self.unhappy)


def work_queue(user: User) -> WorkQueue:
    """What the quality loop asks of this user: open (and overdue) corrective actions they
    own or, for the quality manager, all of them; effectiveness checks due; unhappy answers.

    Kept with the rest of "my work" until a complaint or a corrective action changes
    (complaints.queue_counts): on most views of the page it costs no query."""
    today = local_date(timezone.now())
    key = f"quality:work-queue:{user.pk}:{today.isoformat()}"
    return kept_until_work_changes(key, lambda: _work_queue(user, today))


def _action_rows(actions: QuerySet[CorrectiveAction]) -> list[ActionRow]:
    return [
        ActionRow(pk=a.pk, title=a.title, owner_name=a.owner.display_name, due=a.due, check_due=a.check_due)
        for a in actions.select_related("owner")[:50]
    ]


def _work_queue(user: User, today: date) -> WorkQueue:
    actions = actions_for(user)
    open_actions = _action_rows(actions.filter(status=ActionStatus.OPEN).order_by("due", "pk"))
    checks: list[ActionRow] = []
    unhappy: list[UnhappyRow] = []
    if user.has_role(Role.QUALITY_MANAGER):
        checks = _action_rows(
            actions.filter(status=ActionStatus.DONE, check_due__lte=today, checked_at__isnull=True).order_by(
                "check_due", "pk"
            )
        )
        unhappy = [
            UnhappyRow(reference=reference, score=score, answered_at=answered_at)
            for reference, score, answered_at in SurveyInvitation.objects.filter(
                flagged=True, complaint__in=complaints_for(user)
            )
            .order_by("answered_at")
            .values_list("complaint__reference", "score", "answered_at")[:50]
        ]
    overdue = sum(1 for action in open_actions if action.due < today)
    return WorkQueue(open_actions=open_actions, overdue_count=overdue, checks_due=checks, unhappy=unhappy, today=today)
