"""The quality loop's steps: classify, link, corrective actions and the satisfaction survey.
Each is atomic, takes keyword-only arguments and an explicit actor, and records what it did
on the complaint's timeline where a complaint is involved."""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.errors import ProcedureError
from complaints.models import Complaint, Outcome
from complaints.sentences import Sentence
from complaints.timeline import record_event
from lib.dates import local_date
from mailintake.selectors import may_answer_automatically
from organisation.selectors import get_organisation
from outbox.services import queue_mail

from .models import (
    ActionStatus,
    Category,
    Classification,
    ComplaintLink,
    CorrectiveAction,
    Effectiveness,
    EffectivenessCheck,
    LinkReason,
    RootCause,
    Severity,
    SurveyInvitation,
)

# A survey link older than this no longer accepts an answer.
SURVEY_VALID_FOR = timedelta(days=60)
# Scores at or below this flag the complaint for the quality manager.
UNHAPPY_SCORE = 2


# --- Categories and root causes -------------------------------------------------------------


def save_category(
    *,
    by: User,
    name: str,
    parent: Category | None,
    name_en: str = "",
    position: int = 0,
    active: bool = True,
    category: Category | None = None,
) -> Category:
    """Add a category or change one; refuses a parent that would make the tree a loop."""
    name = name.strip()
    if not name:
        raise ProcedureError(_("A category needs a name."))
    node = parent
    while node is not None:
        if category is not None and node.pk == category.pk:
            raise ProcedureError(_("A category cannot be placed under itself or under one of its subcategories."))
        node = node.parent
    duplicate = Category.objects.filter(parent=parent, name__iexact=name)
    if category is not None:
        duplicate = duplicate.exclude(pk=category.pk)
    if duplicate.exists():
        raise ProcedureError(_("There is already a category with this name at this place in the tree."))
    category = category or Category()
    category.name, category.name_en = name, name_en.strip()
    category.parent, category.position, category.active = parent, position, active
    category.save()
    return category


def save_root_cause(
    *,
    by: User,
    name: str,
    name_en: str = "",
    position: int = 0,
    active: bool = True,
    root_cause: RootCause | None = None,
) -> RootCause:
    name = name.strip()
    if not name:
        raise ProcedureError(_("A root cause needs a name."))
    duplicate = RootCause.objects.filter(name__iexact=name)
    if root_cause is not None:
        duplicate = duplicate.exclude(pk=root_cause.pk)
    if duplicate.exists():
        raise ProcedureError(_("There is already a root cause with this name."))
    root_cause = root_cause or RootCause()
    root_cause.name, root_cause.name_en = name, name_en.strip()
    root_cause.position, root_cause.active = position, active
    root_cause.save()
    return root_cause


# --- Classification -------------------------------------------------------------------------


@transaction.atomic
def classify(
    *,
    complaint: Complaint,
    by: User,
    category: Category | None,
    root_cause: RootCause | None = None,
    severity: Severity | str = "",
) -> Classification:
    """Set the complaint's category, root cause and severity; one timeline event per change."""
    if category is not None and not category.active:
        raise ProcedureError(_("This category is no longer in use; choose another one."))
    if root_cause is not None and not root_cause.active:
        raise ProcedureError(_("This root cause is no longer in use; choose another one."))
    if severity and severity not in Severity.values:
        raise ProcedureError(_("Unknown severity."))
    classification, _created = Classification.objects.select_for_update().get_or_create(complaint=complaint)
    before = (classification.category_id, classification.root_cause_id, classification.severity)
    classification.category = category
    classification.root_cause = root_cause
    classification.severity = severity
    classification.updated_by = by
    if before == (classification.category_id, classification.root_cause_id, classification.severity):
        return classification
    classification.save()
    record_event(
        complaint=complaint,
        kind="classified",
        actor=by,
        message=Sentence(
            gettext_noop("Classified: category %(category)s, root cause %(root_cause)s, severity %(severity)s."),
            category=category.path if category else "–",
            root_cause=root_cause.label if root_cause else "–",
            severity=Severity(severity).label if severity else "–",
        ),
        data={
            "category": classification.category_id,
            "root_cause": classification.root_cause_id,
            "severity": classification.severity,
        },
    )
    return classification


def closing_problem(complaint: Complaint) -> str:
    """Why the classification stops `complaint` from being closed ("" when it does not):
    closing needs a category, so the reports can say what the complaint was about."""
    if not Classification.objects.filter(complaint=complaint, category__isnull=False).exists():
        return _("Choose a category for this complaint before closing it.")
    return ""


def ensure_classified(complaint: Complaint) -> None:
    problem = closing_problem(complaint)
    if problem:
        raise ProcedureError(problem)


# --- Related complaints ---------------------------------------------------------------------


@transaction.atomic
def link_complaints(*, complaint: Complaint, other: Complaint, reason: LinkReason | str, by: User) -> ComplaintLink:
    if complaint.pk == other.pk:
        raise ProcedureError(_("A complaint cannot be linked to itself."))
    if reason not in LinkReason.values:
        raise ProcedureError(_("Choose why the complaints are related."))
    first, second = sorted((complaint, other), key=lambda c: c.pk)
    try:
        with transaction.atomic():
            link = ComplaintLink.objects.create(first=first, second=second, reason=reason, created_by=by)
    except IntegrityError:
        raise ProcedureError(_("These complaints are already linked for this reason.")) from None
    for here, there in ((complaint, other), (other, complaint)):
        record_event(
            complaint=here,
            kind="linked",
            actor=by,
            message=Sentence(
                gettext_noop("Linked to %(reference)s (%(reason)s)."),
                reference=there.reference,
                reason=LinkReason(reason).label,
            ),
            data={"other": there.pk, "reason": reason},
        )
    return link


@transaction.atomic
def unlink_complaints(*, link: ComplaintLink, by: User) -> None:
    first, second, reason = link.first, link.second, link.reason
    link.delete()
    for here, there in ((first, second), (second, first)):
        record_event(
            complaint=here,
            kind="unlinked",
            actor=by,
            message=Sentence(
                gettext_noop("No longer linked to %(reference)s (%(reason)s)."),
                reference=there.reference,
                reason=LinkReason(reason).label,
            ),
            data={"other": there.pk, "reason": reason},
        )


# --- Corrective actions ---------------------------------------------------------------------


@transaction.atomic
def open_action(
    *,
    by: User,
    title: str,
    owner: User,
    due: date,
    complaints: list[Complaint],
    description: str = "",
    category: Category | None = None,
    check_due: date | None = None,
) -> CorrectiveAction:
    """Open a corrective action from one or more complaints.

    Without an explicit category to watch, the first complaint's category is taken."""
    if not title.strip():
        raise ProcedureError(_("Say what will be done."))
    if not complaints:
        raise ProcedureError(_("A corrective action starts from at least one complaint."))
    if not owner.is_active:
        raise ProcedureError(_("The person responsible for the action must be an active user."))
    if check_due is not None and check_due < due:
        raise ProcedureError(_("The effectiveness check comes after the action is due."))
    if category is None:
        category = (
            Category.objects.filter(pk__in=Classification.objects.filter(complaint__in=complaints).values("category"))
            .order_by("pk")
            .first()
        )
    action = CorrectiveAction.objects.create(
        title=title.strip(),
        description=description,
        owner=owner,
        due=due,
        category=category,
        check_due=check_due,
        created_by=by,
    )
    action.complaints.set(complaints)
    for complaint in complaints:
        record_event(
            complaint=complaint,
            kind="corrective_action",
            actor=by,
            message=Sentence(
                gettext_noop("Corrective action opened: %(title)s (%(owner)s, by %(due)s)."),
                title=action.title,
                owner=owner.display_name,
                due=due,
            ),
            data={"action": action.pk},
        )
    return action


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().get(pk=action.pk)


def _on_linked_complaints(action: CorrectiveAction, *, kind: str, by: User, message: Sentence | list[Sentence]) -> None:
    """What happens to an action stands on the (internal) timeline of each complaint it came from."""
    for complaint in action.complaints.all():
        record_event(complaint=complaint, kind=kind, actor=by, message=message, data={"action": action.pk})


@transaction.atomic
def complete_action(*, action: CorrectiveAction, by: User, check_due: date | None = None) -> CorrectiveAction:
    action = _locked(action)
    if action.status != ActionStatus.OPEN:
        raise ProcedureError(_("Only an open corrective action can be marked done."))
    action.status = ActionStatus.DONE
    action.done_at = timezone.now()
    action.done_by = by
    if check_due is not None:
        action.check_due = check_due
    action.save(update_fields=["status", "done_at", "done_by", "check_due"])
    message = [Sentence(gettext_noop("Corrective action done: %(title)s."), title=action.title)]
    if action.check_due:
        message.append(Sentence(gettext_noop("Its effect is checked on %(date)s."), date=action.check_due))
    _on_linked_complaints(action, kind="corrective_action_done", by=by, message=message)
    return action


@transaction.atomic
def cancel_action(*, action: CorrectiveAction, by: User) -> CorrectiveAction:
    action = _locked(action)
    if action.status != ActionStatus.OPEN:
        raise ProcedureError(_("Only an open corrective action can be cancelled."))
    action.status = ActionStatus.CANCELLED
    action.save(update_fields=["status"])
    message = Sentence(gettext_noop("Corrective action cancelled: %(title)s."), title=action.title)
    _on_linked_complaints(action, kind="corrective_action_cancelled", by=by, message=message)
    return action


def _complaints_in_category(category_id: int | None, start: datetime, end: datetime) -> int | None:
    if category_id is None:
        return None
    return Classification.objects.filter(
        category_id=category_id, complaint__received_at__gte=start, complaint__received_at__lt=end
    ).count()


@transaction.atomic
def record_effectiveness(
    *,
    action: CorrectiveAction,
    by: User,
    result: Effectiveness | str,
    notes: str = "",
    early_reason: str = "",
    new_due: date | None = None,
) -> EffectivenessCheck:
    """Check whether a done action worked, as a record that stays (ISO 9001 §10.2.2).

    The evidence is counted at the moment of the check: complaints in the watched category in
    as many days before the action was done as have passed since. A check before its date needs
    a reason; "not effective" reopens the action, to be done again by `new_due`."""
    action = _locked(action)
    if action.status != ActionStatus.DONE or action.done_at is None:
        raise ProcedureError(_("The effect can be checked once the action is done."))
    if result not in Effectiveness.values:
        raise ProcedureError(_("Choose whether the action had effect."))
    now = timezone.now()
    today = local_date(now)
    early_reason = early_reason.strip()
    if action.check_due and today < action.check_due and not early_reason:
        raise ProcedureError(
            _("The effect is to be checked on %(date)s. To check it earlier, say why.")
            % {"date": action.check_due.strftime("%d-%m-%Y")}
        )
    reopen = result == Effectiveness.NOT_EFFECTIVE
    if reopen and (new_due is None or new_due < today):
        raise ProcedureError(_("Not effective: give the date by which the action is done again."))
    window = now - action.done_at
    check = EffectivenessCheck.objects.create(
        action=action,
        checked_at=now,
        checked_by=by,
        result=result,
        notes=notes,
        early_reason=early_reason,
        window_days=window.days,
        complaints_before=_complaints_in_category(action.category_id, action.done_at - window, action.done_at),
        complaints_after=_complaints_in_category(action.category_id, action.done_at, now),
    )
    action.check_result, action.check_notes, action.checked_at = result, notes, now
    fields = ["check_result", "check_notes", "checked_at"]
    if reopen:
        assert new_due is not None
        action.status, action.due, action.done_at, action.done_by, action.check_due = (
            ActionStatus.OPEN,
            new_due,
            None,
            None,
            None,
        )
        fields += ["status", "due", "done_at", "done_by", "check_due"]
    action.save(update_fields=fields)
    message = [
        Sentence(
            gettext_noop("Effect of corrective action “%(title)s” checked: %(result)s."),
            title=action.title,
            result=Effectiveness(check.result).label,
        )
    ]
    if check.complaints_before is not None:
        message.append(
            Sentence(
                gettext_noop(
                    "Complaints in the watched category: %(before)s in the %(days)s days before it was done, "
                    "%(after)s since."
                ),
                before=check.complaints_before,
                after=check.complaints_after,
                days=check.window_days,
            )
        )
    if reopen:
        message.append(Sentence(gettext_noop("The action is open again, to be done by %(date)s."), date=new_due))
    _on_linked_complaints(action, kind="corrective_action_checked", by=by, message=message)
    return check


# --- Satisfaction survey --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_survey(*, complaint: Complaint) -> SurveyInvitation | None:
    """Invite the complainant to the two-question survey, once per complaint.

    Call inside the closing transaction: the mail exists if and only if the closing does.
    Nothing is sent without an e-mail address, when the complaint was withdrawn, or when it came
    from mail a machine wrote (an answer would go to that machine)."""
    if not complaint.email or complaint.outcome == Outcome.WITHDRAWN:
        return None
    if not may_answer_automatically(complaint):
        with translation.override(settings.LANGUAGE_CODE):
            record_event(
                complaint=complaint,
                kind="survey_skipped",
                actor_label=_("system"),
                message=Sentence(gettext_noop("No satisfaction survey: the complaint came from an automatic e-mail.")),
            )
        return None
    if SurveyInvitation.objects.filter(complaint=complaint).exists():
        return None
    # 256 bits from the OS; only its hash is stored, so a database leak gives no working links.
    token = secrets.token_urlsafe(32)
    invitation = SurveyInvitation.objects.create(
        complaint=complaint, token_hash=token_hash(token), sent_at=timezone.now()
    )
    context = {
        "complaint": complaint,
        "organisation": get_organisation(),
        "url": settings.SITE_URL + reverse("satisfaction:survey", args=[token]),
    }
    # The complainant's mail is Dutch: the language the organisation publishes its procedure in.
    with translation.override(settings.LANGUAGE_CODE):
        queue_mail(
            kind="satisfaction_survey",
            complaint=complaint,
            to=[complaint.email],
            subject=render_to_string("quality/mail/survey_subject.txt", context).strip(),
            text=render_to_string("quality/mail/survey.txt", context),
            html=render_to_string("quality/mail/survey.html", context),
        )
        record_event(
            complaint=complaint,
            kind="survey_sent",
            actor_label=_("system"),
            message=Sentence(gettext_noop("Satisfaction survey sent to the complainant.")),
        )
    return invitation


def invitation_for_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > 100:
        return None
    return SurveyInvitation.objects.select_related("complaint").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def answer_survey(*, invitation: SurveyInvitation, score: int, comment: str = "") -> SurveyInvitation:
    """Store the complainant's answer; the link works once. An unhappy score flags the
    complaint for the quality manager."""
    if not 1 <= score <= 5:
        raise ProcedureError(_("Choose a score from 1 to 5."))
    now = timezone.now()
    flagged = score <= UNHAPPY_SCORE
    # Locked: of two simultaneous answers exactly one is stored.
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise ProcedureError(_("This survey has already been answered. Thank you!"))
    invitation.answered_at, invitation.score, invitation.comment = now, score, comment.strip()
    invitation.flagged = flagged
    invitation.save(update_fields=["answered_at", "score", "comment", "flagged"])
    record_event(
        complaint=invitation.complaint,
        kind="survey_answered",
        actor_label=_("complainant"),
        message=[Sentence(gettext_noop("The complainant rated the handling %(score)s out of 5."), score=score)]
        + ([Sentence(gettext_noop("Flagged for the quality manager."))] if flagged else []),
        data={"score": score, "flagged": flagged},
    )
    return invitation


def is_expired(invitation: SurveyInvitation, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) - invitation.sent_at > SURVEY_VALID_FOR
