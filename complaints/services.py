"""The complaint's life, one named atomic function per step. Each checks the state,
records the change on the timeline and reports it through the outbox when needed."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from accounts.roles import Role
from deadlines import calendar
from deadlines.profiles import latest_extension, profile_for
from deadlines.services import move_open_reminders
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation
from privacy.restriction import ensure_not_restricted
from quality.services import closing_problem, send_survey

from . import rules
from .errors import NotPermitted, ProcedureError
from .models import (
    Agreement,
    Complaint,
    Contact,
    ContactKind,
    ContactStatus,
    Outcome,
    Status,
    Visibility,
)
from .notices import queue_handover_notices
from .sentences import Sentence
from .timeline import record_event

# The procedure's steps -------------------------------------------------------------------
#
# Each step: lock the complaint's row (two people clicking at once are serialised, and the
# second one sees the first one's change), check who acts and the state, change, write one
# timeline event. The caller's instance is brought up to date as well.


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _sync(target: Model, source: Model) -> None:
    for model_field in source._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(source, model_field.attname))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _require_open(complaint: Complaint) -> None:
    if complaint.anonymised_at is not None:
        raise ProcedureError(_("The personal data of this complaint has been removed; it cannot change any more."))
    if complaint.status == Status.CLOSED:
        raise ProcedureError(_("The complaint is closed."))
    if complaint.status == Status.WITHDRAWN:
        raise ProcedureError(_("The complaint has been withdrawn."))
    # Restriction of processing (GDPR art. 18): stored only, no step until it is lifted.
    ensure_not_restricted(complaint)


def _require_aware(moment: datetime | None, what: str) -> None:
    if moment is not None and timezone.is_naive(moment):
        # A naive moment would be read in the server's zone and shift deadlines silently.
        raise ValueError(f"{what} must be timezone-aware")


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ProcedureError(message)
    return value


def _not_in_future(moment: datetime, message: str) -> None:
    if moment > timezone.now():
        raise ProcedureError(message)


def _date_label(day: date) -> str:
    return date_format(day, "j F Y")


def acknowledge(*, complaint: Complaint, by: User, at: datetime | None = None) -> Complaint:
    """Record that the written acknowledgement went out (meets the acknowledgement deadline)."""
    _require_aware(at, "at")
    _require(rules.may(by, "acknowledge", complaint), _("Only the quality manager acknowledges a complaint."))
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if current.acknowledged_at is not None:
            raise ProcedureError(
                _("The acknowledgement was already recorded on %(date)s.")
                % {"date": _date_label(local_date(current.acknowledged_at))}
            )
        at = at or timezone.now()
        _not_in_future(at, _("The acknowledgement cannot have gone out in the future."))
        if local_date(at) < local_date(current.received_at):
            raise ProcedureError(_("The acknowledgement cannot have gone out before the complaint was received."))
        current.acknowledged_at = at
        current.save(update_fields=["acknowledged_at"])
        record_event(
            complaint=current,
            kind="acknowledged",
            actor=by,
            message=Sentence(gettext_noop("Acknowledgement of receipt sent.")),
            visibility=Visibility.PUBLIC,
            at=at,
        )
    _sync(complaint, current)
    return complaint


def staff_suggestions(text: str) -> list[User]:
    """Staff the free text "Persoon / functie" may mean, by name or job title, e.g. "directeur"
    → the directors. Only ever offered: a person decides whom a complaint is about."""
    words = {word for word in re.findall(r"\w+", text.casefold()) if len(word) >= 4}
    if not words:
        return []

    def matches(user: User) -> bool:
        theirs = {w for w in re.findall(r"\w+", f"{user.first_name} {user.last_name} {user.job_title}".casefold())}
        return any(a[:5] == b[:5] and min(len(a), len(b)) >= 4 for a in words for b in theirs)

    return [user for user in User.active_staff() if matches(user)]


def link_person(*, complaint: Complaint, person: User, by: User) -> Complaint:
    """Link the complaint to a staff member it is about (one of them, when it is about several).

    That person cannot be handed the complaint and no longer sees it anywhere. A complaint about
    a quality manager goes to the deputy named in the organisation's settings."""
    _require(
        rules.may(by, "link_person", complaint),
        _("Only the quality manager or the back office links a complaint to the person it is about."),
    )
    if not person.is_active:
        raise ProcedureError(_("%(name)s has no active account.") % {"name": person.display_name})
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if current.is_about(person):
            raise ProcedureError(_("The complaint is already linked to %(name)s.") % {"name": person.display_name})
        if current.assigned_to_id == person.pk:
            raise ProcedureError(
                _("%(name)s handles this complaint. Hand it to someone else first, then link it to them.")
                % {"name": person.display_name}
            )
        current.about_staff.add(person)
        current.forget_linked_staff()
        record_event(
            complaint=current,
            kind="person_linked",
            actor=by,
            message=Sentence(gettext_noop("Linked to a staff member it is about: %(name)s."), name=person.display_name),
            data={"person": person.pk},
        )
        _take_agreements_from(current, person, by=by)
        if person.has_role(Role.QUALITY_MANAGER):
            _hand_to_deputy(current, by=by)
    _sync(complaint, current)
    complaint.forget_linked_staff()
    return complaint


def _take_agreements_from(complaint: Complaint, person: User, *, by: User) -> None:
    """The open agreements a newly linked person was to carry out pass to the complaint's
    handler (or, without one, to nobody on the staff until someone records a new one)."""
    handler = complaint.assigned_to
    for agreement in complaint.agreements.filter(owner_user=person, done_at__isnull=True):
        agreement.owner_user = handler
        agreement.owner = handler.display_name if handler else str(_("quality manager"))
        agreement.save(update_fields=["owner_user", "owner"])
        record_event(
            complaint=complaint,
            kind="agreement_owner_changed",
            actor=by,
            message=Sentence(
                gettext_noop("Agreement “%(description)s” is now carried out by %(owner)s."),
                description=agreement.description,
                owner=agreement.owner,
            ),
            data={"agreement": agreement.pk},
        )


def unlink_person(*, complaint: Complaint, person: User, by: User) -> Complaint:
    """Undo a link: the complaint turns out not to be about this staff member after all."""
    _require(
        rules.may(by, "link_person", complaint),
        _("Only the quality manager or the back office links a complaint to the person it is about."),
    )
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if not current.is_about(person):
            raise ProcedureError(_("The complaint is not linked to %(name)s.") % {"name": person.display_name})
        current.about_staff.remove(person)
        record_event(
            complaint=current,
            kind="person_unlinked",
            actor=by,
            message=Sentence(gettext_noop("No longer linked to %(name)s."), name=person.display_name),
            data={"person": person.pk},
        )
    _sync(complaint, current)
    complaint.forget_linked_staff()
    return complaint


def _hand_to_deputy(complaint: Complaint, *, by: User) -> None:
    """A complaint about a quality manager: the deputy of the organisation's settings takes it."""
    deputy = get_organisation().deputy
    if deputy is None or not deputy.is_active or complaint.is_about(deputy):
        if deputy is not None and deputy.is_active:
            message = Sentence(
                gettext_noop(
                    "This complaint is about a quality manager and about the deputy too: another quality manager "
                    "or a director hands it over."
                )
            )
        else:
            message = Sentence(
                gettext_noop(
                    "This complaint is about a quality manager and no deputy is set: the administrator names one "
                    "under Organisation, or another quality manager hands it over."
                )
            )
        record_event(complaint=complaint, kind="deputy_missing", actor=by, message=message)
        return
    if deputy.has_role(Role.RESPONSIBLE) and complaint.assigned_to_id is None:
        message = Sentence(
            gettext_noop("Handed to the deputy for complaints about the quality manager: %(name)s."),
            name=deputy.display_name,
        )
        _hand_over(complaint, to=deputy, by=by, message=message, deputy=True)


def assign(*, complaint: Complaint, to: User, by: User) -> Complaint:
    """Hand the complaint to a responsible person, or to another one (reassigning)."""
    _require(rules.may(by, "assign", complaint), _("Only the quality manager hands a complaint over."))
    if not to.is_active or not to.has_role(Role.RESPONSIBLE):
        raise ProcedureError(
            _("%(name)s is not a responsible person and cannot handle complaints.") % {"name": to.display_name}
        )
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if current.is_about(to):
            raise ProcedureError(
                _("%(name)s cannot handle this complaint: it is about them.") % {"name": to.display_name}
            )
        if current.assigned_to_id == to.pk:
            raise ProcedureError(_("The complaint is already assigned to %(name)s.") % {"name": to.display_name})
        previous = current.assigned_to
        if previous is None:
            message = Sentence(gettext_noop("Handed over to %(name)s."), name=to.display_name)
        else:
            message = Sentence(
                gettext_noop("Reassigned from %(previous)s to %(name)s."),
                previous=previous.display_name,
                name=to.display_name,
            )
        _hand_over(current, to=to, by=by, message=message)
    _sync(complaint, current)
    return complaint


def _hand_over(current: Complaint, *, to: User, by: User, message: Sentence, deputy: bool = False) -> None:
    """The hand-over itself, inside the caller's transaction on the locked complaint: the new
    owner on the timeline and mailed, a previous owner told, unsent reminders moved to the new one."""
    previous = current.assigned_to
    from_status = current.status
    current.assigned_to = to
    current.assigned_at = timezone.now()
    current.status = Status.IN_PROGRESS
    current.save(update_fields=["assigned_to", "assigned_at", "status"])
    data: dict[str, object] = {"to": to.pk, "previous": previous.pk if previous else None}
    if deputy:
        data["deputy"] = True
    record_event(
        complaint=current,
        kind="assigned",
        actor=by,
        message=message,
        from_status=from_status,
        to_status=current.status,
        data=data,
        at=current.assigned_at,
    )
    queue_handover_notices(complaint=current, to=to, previous=previous)
    move_open_reminders(complaint_pk=current.pk, to_address=to.email)


def _record_first_contact(complaint: Complaint, at: datetime, *, conversation: bool) -> None:
    # The earliest contact meets the first-contact deadline, whichever is recorded first; a call
    # or a meeting held is also the conversation that the written confirmation confirms.
    fields = []
    if complaint.first_contact_at is None or at < complaint.first_contact_at:
        complaint.first_contact_at = at
        fields.append("first_contact_at")
    if conversation and (complaint.conversation_at is None or at < complaint.conversation_at):
        complaint.conversation_at = at
        fields.append("conversation_at")
    if fields:
        complaint.save(update_fields=fields)


def record_invitation_sent(*, complaint: Complaint, by: User, at: datetime) -> Complaint:
    """An invitation to a meeting went out: that is contact as the procedure means it, at the
    moment it was sent, whenever the meeting itself takes place. Called by the letter's sending."""
    _require_aware(at, "at")
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        first = current.first_contact_at is None
        _record_first_contact(current, at, conversation=False)
        if first:
            record_event(
                complaint=current,
                kind="contact_invitation",
                actor=by,
                message=Sentence(gettext_noop("Contact: the complainant has been invited to a meeting.")),
                visibility=Visibility.PUBLIC,
                at=at,
            )
    _sync(complaint, current)
    return complaint


def _to_the_minute(moment: datetime) -> datetime:
    # Times are entered to the minute: a call in the minute of receipt is not "before" it.
    return moment.replace(second=0, microsecond=0)


def log_call(*, complaint: Complaint, by: User, at: datetime, summary: str) -> Contact:
    """Record a phone call with the complainant that took place at `at`."""
    _require_aware(at, "at")
    _require(rules.may(by, "log_call", complaint), _("Only the responsible person or the quality manager logs calls."))
    summary = _require_text(summary, _("Say briefly what the call was about."))
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        _not_in_future(at, _("A call can only be logged once it has taken place."))
        if at < _to_the_minute(current.received_at):
            raise ProcedureError(_("The call cannot have taken place before the complaint was received."))
        contact = Contact.objects.create(
            complaint=current,
            kind=ContactKind.CALL,
            status=ContactStatus.HELD,
            happened_at=at,
            summary=summary,
            created_by=by,
        )
        _record_first_contact(current, at, conversation=True)
        record_event(
            complaint=current,
            kind="call_logged",
            actor=by,
            message=Sentence(gettext_noop("Phone call with the complainant.")),
            visibility=Visibility.PUBLIC,
            data={"contact": contact.pk},
            at=at,
        )
    _sync(complaint, current)
    return contact


def _check_meeting_times(starts_at: datetime, ends_at: datetime | None, location: str, video_link: str) -> None:
    _require_aware(starts_at, "starts_at")
    _require_aware(ends_at, "ends_at")
    if starts_at <= timezone.now():
        raise ProcedureError(_("A meeting is planned in the future; for a conversation that took place, log it."))
    if ends_at is not None and ends_at <= starts_at:
        raise ProcedureError(_("The meeting must end after it starts."))
    if not location.strip() and not video_link.strip():
        raise ProcedureError(_("Give a place or a video link for the meeting."))
    if video_link.strip():
        try:
            # Shown as a link to staff and in the invitation: web addresses only, never javascript: or data:.
            URLValidator(schemes=["https", "http"])(video_link.strip())
        except ValidationError:
            raise ProcedureError(_("The video link must be a web address (https://…).")) from None


def plan_meeting(
    *,
    complaint: Complaint,
    by: User,
    starts_at: datetime,
    ends_at: datetime | None = None,
    location: str = "",
    video_link: str = "",
    participants: str = "",
) -> Contact:
    """Plan a meeting with the complainant. Sending its invitation meets the contact deadline."""
    _require(
        rules.may(by, "plan_meeting", complaint),
        _("Only the responsible person or the quality manager plans meetings."),
    )
    _check_meeting_times(starts_at, ends_at, location, video_link)
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        contact = Contact.objects.create(
            complaint=current,
            kind=ContactKind.MEETING,
            status=ContactStatus.PLANNED,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location.strip(),
            video_link=video_link.strip(),
            participants=participants.strip(),
            created_by=by,
        )
        record_event(
            complaint=current,
            kind="meeting_planned",
            actor=by,
            message=Sentence(gettext_noop("Meeting planned for %(when)s."), when=contact.starts_at),
            visibility=Visibility.PUBLIC,
            data={"contact": contact.pk},
        )
    _sync(complaint, current)
    return contact


def _locked_meeting(contact: Contact) -> tuple[Complaint, Contact]:
    current = _locked(contact.complaint)
    meeting = Contact.objects.select_for_update().get(pk=contact.pk)
    _require_open(current)
    if meeting.kind != ContactKind.MEETING:
        raise ProcedureError(_("This is not a meeting."))
    if meeting.status != ContactStatus.PLANNED:
        raise ProcedureError(
            _("The meeting is no longer planned (it is %(status)s).") % {"status": meeting.get_status_display()}
        )
    return current, meeting


def reschedule_meeting(
    *,
    contact: Contact,
    by: User,
    starts_at: datetime,
    ends_at: datetime | None = None,
    location: str = "",
    video_link: str = "",
) -> Contact:
    """Move a planned meeting; the invitation's sequence goes up so calendars update it."""
    _require(
        rules.may(by, "meeting", contact.complaint),
        _("Only the responsible person or the quality manager changes meetings."),
    )
    _check_meeting_times(starts_at, ends_at, location, video_link)
    with transaction.atomic():
        current, meeting = _locked_meeting(contact)
        meeting.starts_at = starts_at
        meeting.ends_at = ends_at
        meeting.location = location.strip()
        meeting.video_link = video_link.strip()
        meeting.sequence += 1
        meeting.save(update_fields=["starts_at", "ends_at", "location", "video_link", "sequence"])
        record_event(
            complaint=current,
            kind="meeting_rescheduled",
            actor=by,
            message=Sentence(gettext_noop("Meeting moved to %(when)s."), when=meeting.starts_at),
            visibility=Visibility.PUBLIC,
            data={"contact": meeting.pk, "sequence": meeting.sequence},
        )
    _sync(contact, meeting)
    return contact


def record_meeting_held(*, contact: Contact, by: User, at: datetime | None = None, summary: str = "") -> Contact:
    """Record that a planned meeting took place.

    Without `at`, the meeting took place at its planned start; that start must then have passed."""
    _require_aware(at, "at")
    _require(
        rules.may(by, "meeting", contact.complaint),
        _("Only the responsible person or the quality manager records meetings."),
    )
    with transaction.atomic():
        current, meeting = _locked_meeting(contact)
        held_at = at or meeting.starts_at
        assert held_at is not None
        _not_in_future(held_at, _("A meeting can only be recorded as held once it has taken place."))
        if held_at < _to_the_minute(current.received_at):
            raise ProcedureError(_("The meeting cannot have taken place before the complaint was received."))
        meeting.status = ContactStatus.HELD
        meeting.happened_at = held_at
        meeting.summary = summary.strip()
        meeting.save(update_fields=["status", "happened_at", "summary"])
        _record_first_contact(current, held_at, conversation=True)
        record_event(
            complaint=current,
            kind="meeting_held",
            actor=by,
            message=Sentence(gettext_noop("Meeting with the complainant held.")),
            visibility=Visibility.PUBLIC,
            data={"contact": meeting.pk},
            at=held_at,
        )
    _sync(contact, meeting)
    _sync(contact.complaint, current)
    return contact


def cancel_meeting(*, contact: Contact, by: User, reason: str) -> Contact:
    """Cancel a planned meeting; the invitation's sequence goes up so calendars drop it."""
    _require(
        rules.may(by, "meeting", contact.complaint),
        _("Only the responsible person or the quality manager cancels meetings."),
    )
    reason = _require_text(reason, _("Give a reason for cancelling the meeting."))
    with transaction.atomic():
        current, meeting = _locked_meeting(contact)
        meeting.status = ContactStatus.CANCELLED
        meeting.cancel_reason = reason
        meeting.sequence += 1
        meeting.save(update_fields=["status", "cancel_reason", "sequence"])
        record_event(
            complaint=current,
            kind="meeting_cancelled",
            actor=by,
            message=Sentence(
                gettext_noop("Meeting of %(when)s cancelled: %(reason)s"), when=meeting.starts_at, reason=reason
            ),
            visibility=Visibility.PUBLIC,
            data={"contact": meeting.pk, "sequence": meeting.sequence},
        )
    _sync(contact, meeting)
    return contact


def record_discussion(*, complaint: Complaint, by: User, summary: str) -> Complaint:
    """Record what was discussed with the complainant (the confirmation repeats it)."""
    _require(
        rules.may(by, "discussion", complaint),
        _("Only the responsible person or the quality manager records the conversation."),
    )
    summary = _require_text(summary, _("Write down what was discussed."))
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        replaced = bool(current.discussion_summary)
        current.discussion_summary = summary
        current.save(update_fields=["discussion_summary"])
        record_event(
            complaint=current,
            kind="discussion_recorded",
            actor=by,
            message=Sentence(
                gettext_noop("Summary of the conversation updated.")
                if replaced
                else gettext_noop("Summary of the conversation recorded.")
            ),
            data={"summary": summary},
        )
    _sync(complaint, current)
    return complaint


def add_agreement(*, complaint: Complaint, by: User, description: str, owner: "str | User", due: date) -> Agreement:
    """Record an agreement: what will be done (description), by whom (owner: a staff member, or
    free text for the complainant or an outside party) and by when."""
    _require(
        rules.may(by, "agreement", complaint),
        _("Only the responsible person or the quality manager records agreements."),
    )
    description = _require_text(description, _("Describe the agreement."))
    owner_user = owner if isinstance(owner, User) else None
    owner = _require_text(str(owner.display_name if isinstance(owner, User) else owner), _("Say who does it."))
    if owner_user is not None and not owner_user.is_active:
        raise ProcedureError(_("%(name)s has no active account.") % {"name": owner_user.display_name})
    if isinstance(due, datetime) or not isinstance(due, date):
        raise ProcedureError(_("Give the date by which it is done."))
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if due < local_date(timezone.now()):
            raise ProcedureError(_("An agreement cannot be due in the past."))
        if owner_user is not None and current.is_about(owner_user):
            raise ProcedureError(
                _("%(name)s cannot carry out an agreement of this complaint: it is about them.")
                % {"name": owner_user.display_name}
            )
        agreement = Agreement.objects.create(
            complaint=current, description=description, owner=owner, owner_user=owner_user, due=due, created_by=by
        )
        record_event(
            complaint=current,
            kind="agreement_added",
            actor=by,
            message=Sentence(
                gettext_noop("Agreement: %(description)s (%(owner)s, by %(due)s)."),
                description=description,
                owner=owner,
                due=due,
            ),
            visibility=Visibility.PUBLIC,
            data={"agreement": agreement.pk},
        )
    return agreement


def complete_agreement(*, agreement: Agreement, by: User) -> Agreement:
    """Tick an agreement off; also after closing, when the quality manager closed it with open ones."""
    _require(
        rules.may_complete_agreement(by, agreement),
        _("Only the responsible person, the quality manager or whoever carries it out ticks an agreement off."),
    )
    with transaction.atomic():
        current = _locked(agreement.complaint)
        if current.status == Status.WITHDRAWN or current.anonymised_at is not None:
            _require_open(current)
        # A conditional UPDATE: of two clicks, only one ticks it off.
        now = timezone.now()
        if not Agreement.objects.filter(pk=agreement.pk, done_at__isnull=True).update(done_at=now, done_by=by):
            raise ProcedureError(_("This agreement was already ticked off."))
        record_event(
            complaint=current,
            kind="agreement_done",
            actor=by,
            message=Sentence(gettext_noop("Agreement done: %(description)s."), description=agreement.description),
            visibility=Visibility.PUBLIC,
            data={"agreement": agreement.pk},
            at=now,
        )
    agreement.done_at = now
    agreement.done_by = by
    return agreement


def mark_confirmation_sent(*, complaint: Complaint, by: User, at: datetime | None = None) -> Complaint:
    """Record that the written confirmation of the conversation and agreements went out."""
    _require_aware(at, "at")
    _require(
        rules.may(by, "confirm", complaint),
        _("Only the responsible person or the quality manager confirms the conversation."),
    )
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if current.conversation_at is None:
            raise ProcedureError(_("There has been no conversation to confirm yet."))
        if current.confirmed_at is not None:
            raise ProcedureError(
                _("The confirmation was already sent on %(date)s.")
                % {"date": _date_label(local_date(current.confirmed_at))}
            )
        at = at or timezone.now()
        _not_in_future(at, _("The confirmation cannot have gone out in the future."))
        current.confirmed_at = at
        current.save(update_fields=["confirmed_at"])
        record_event(
            complaint=current,
            kind="confirmation_sent",
            actor=by,
            message=Sentence(gettext_noop("Written confirmation of the conversation and agreements sent.")),
            visibility=Visibility.PUBLIC,
            at=at,
        )
    _sync(complaint, current)
    return complaint


def extend_resolution(*, complaint: Complaint, by: User, new_due: date, reason: str, consent: str = "") -> Complaint:
    """Move the resolution deadline to a later working day, with a reason.

    Under a statutory procedure (deadlines.profiles) one extension without the complainant's
    consent is allowed, told before the deadline passes and no longer than the law's extension;
    `consent` says how the complainant agreed to anything more. The correspondence capability
    sends the complainant the notice; listen for the "resolution_extended" timeline event or
    call it from here."""
    _require(rules.may(by, "extend", complaint), _("Only the quality manager extends the resolution deadline."))
    reason = _require_text(reason, _("Give the reason for the extension; the complainant is told."))
    consent = (consent or "").strip()
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        if not consent:
            _require_statutory_extension(current, new_due)
        if new_due <= current.resolve_due:
            raise ProcedureError(
                _("The new date must be after the current deadline (%(date)s).")
                % {"date": _date_label(current.resolve_due)}
            )
        closed = closure_days()
        if not calendar.is_working_day(new_due, closure_days=closed):
            raise ProcedureError(
                _("%(date)s is not a working day; the next working day is %(next)s.")
                % {
                    "date": _date_label(new_due),
                    "next": _date_label(calendar.next_working_day(new_due, closure_days=closed)),
                }
            )
        previous = current.resolve_due
        current.resolve_due = new_due
        current.resolve_extension_reason = reason
        current.save(update_fields=["resolve_due", "resolve_extension_reason"])
        record_event(
            complaint=current,
            kind="resolution_extended",
            actor=by,
            message=Sentence(
                gettext_noop("Resolution deadline extended from %(previous)s to %(new)s: %(reason)s"),
                previous=previous,
                new=new_due,
                reason=reason,
            ),
            visibility=Visibility.PUBLIC,
            data={
                "previous": previous.isoformat(),
                "new": new_due.isoformat(),
                "reason": reason,
                **({"consent": consent} if consent else {}),
            },
        )
    _sync(complaint, current)
    return complaint


def _require_statutory_extension(complaint: Complaint, new_due: date) -> None:
    """Refuse what the complaint's procedure allows only with the complainant's consent."""
    profile = profile_for(complaint.procedure)
    rule = profile.extension
    if not rule.once_and_in_time:
        return
    ask = _("With the complainant's consent it can; record how they gave it.")
    if local_date(timezone.now()) > complaint.resolve_due:
        raise ProcedureError(
            _("Too late to extend: the complainant had to be told before the deadline of %(date)s passed.")
            % {"date": _date_label(complaint.resolve_due)}
            + " "
            + ask
        )
    if complaint.events.filter(kind="resolution_extended").exists():
        raise ProcedureError(
            _("The deadline was extended once already; a second extension is not allowed.") + " " + ask
        )
    latest = latest_extension(profile, local_date(complaint.received_at))
    if latest is not None and new_due > latest:
        raise ProcedureError(
            _("An extension may add at most %(weeks)s weeks: the latest date is %(date)s.")
            % {"weeks": rule.at_most_weeks, "date": _date_label(latest)}
            + " "
            + ask
        )


def skipped_steps(complaint: Complaint) -> list[Promise]:
    """The procedure's steps before closing that have not happened."""
    steps: list[Promise] = []
    if complaint.acknowledged_at is None:
        steps.append(gettext_lazy("the written acknowledgement"))
    if complaint.first_contact_at is None:
        steps.append(gettext_lazy("the contact with the complainant"))
    return steps


def closing_problems(*, complaint: Complaint, by: User, override_reason: str, skip_reason: str = "") -> list[str]:
    """Why `complaint` cannot be closed now (empty: it can). Add further closing rules here."""
    problems = [problem for problem in [closing_problem(complaint)] if problem]
    skipped = skipped_steps(complaint)
    if skipped and not skip_reason:
        problems.append(
            _(
                "Not done yet: %(steps)s. Send the letter or record the contact first, or the quality manager "
                "closes with the reason these steps were skipped."
            )
            % {"steps": ", ".join(str(step) for step in skipped)}
        )
    open_agreements = complaint.agreements.filter(done_at__isnull=True).count()
    if open_agreements and not override_reason:
        problems.append(
            _("%(count)d agreement(s) still open; tick them off first, or the quality manager closes with a reason.")
            % {"count": open_agreements}
        )
    return problems


def close(
    *,
    complaint: Complaint,
    by: User,
    outcome: Outcome | str,
    resolution: str,
    complainant_agrees: bool | None,
    override_reason: str = "",
    skip_reason: str = "",
) -> Complaint:
    """Close the complaint with its outcome, a short resolution and whether the complainant agrees.

    Refused before the acknowledgement and the first contact, unless the quality manager records
    why they were skipped (`skip_reason`), and while agreements are open, unless the quality
    manager overrides that with its own reason. The satisfaction survey goes out in the same
    transaction."""
    _require(
        rules.may(by, "close", complaint), _("Only the responsible person or the quality manager closes a complaint.")
    )
    override_reason = (override_reason or "").strip()
    skip_reason = (skip_reason or "").strip()
    if override_reason and not rules.is_quality_manager(by):
        raise NotPermitted(_("Only the quality manager closes a complaint with open agreements."))
    if skip_reason and not rules.is_quality_manager(by):
        raise NotPermitted(_("Only the quality manager closes a complaint whose steps were skipped."))
    if outcome not in Outcome.values:
        raise ProcedureError(_("Choose the outcome."))
    resolution = _require_text(resolution, _("Describe the resolution briefly."))
    if complainant_agrees not in (True, False, None):
        raise ProcedureError(_("Say whether the complainant agrees."))
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        problems = closing_problems(complaint=current, by=by, override_reason=override_reason, skip_reason=skip_reason)
        if problems:
            raise ProcedureError(" ".join(problems))
        skipped = skipped_steps(current)
        from_status = current.status
        current.status = Status.CLOSED
        current.closed_at = timezone.now()
        current.outcome = outcome
        current.resolution = resolution
        current.complainant_agrees = complainant_agrees
        current.save(update_fields=["status", "closed_at", "outcome", "resolution", "complainant_agrees"])
        message = [Sentence(gettext_noop("Complaint closed: %(outcome)s."), outcome=Outcome(outcome).label)]
        if skipped:
            message.append(
                Sentence(gettext_noop("Closed without %(steps)s: %(reason)s"), steps=skipped, reason=skip_reason)
            )
        if override_reason:
            message.append(Sentence(gettext_noop("Closed with open agreements: %(reason)s"), reason=override_reason))
        record_event(
            complaint=current,
            kind="closed",
            actor=by,
            message=message,
            from_status=from_status,
            to_status=current.status,
            visibility=Visibility.PUBLIC,
            data={
                "outcome": outcome,
                "complainant_agrees": complainant_agrees,
                "override_reason": override_reason,
                "skip_reason": skip_reason if skipped else "",
            },
            at=current.closed_at,
        )
        send_survey(complaint=current)
    _sync(complaint, current)
    return complaint


def reopen(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """Reopen a closed complaint; its earlier outcome stays on the timeline."""
    _require(rules.may(by, "reopen", complaint), _("Only the quality manager reopens a complaint."))
    reason = _require_text(reason, _("Give the reason for reopening."))
    with transaction.atomic():
        current = _locked(complaint)
        if current.status != Status.CLOSED or current.anonymised_at is not None:
            raise ProcedureError(_("Only a closed complaint can be reopened."))
        previous = {
            "outcome": current.outcome,
            "resolution": current.resolution,
            "closed_at": current.closed_at.isoformat() if current.closed_at else None,
        }
        current.status = Status.IN_PROGRESS if current.assigned_to_id else Status.RECEIVED
        current.closed_at = None
        current.outcome = ""
        current.resolution = ""
        current.complainant_agrees = None
        current.save(update_fields=["status", "closed_at", "outcome", "resolution", "complainant_agrees"])
        record_event(
            complaint=current,
            kind="reopened",
            actor=by,
            message=Sentence(gettext_noop("Complaint reopened: %(reason)s"), reason=reason),
            from_status=Status.CLOSED,
            to_status=current.status,
            visibility=Visibility.PUBLIC,
            data={"reason": reason, "previous": previous},
        )
    _sync(complaint, current)
    return complaint


def withdraw(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """Record that the complainant withdrew the complaint (at any step while it is open)."""
    _require(rules.may(by, "withdraw", complaint), _("Your role does not record withdrawals."))
    reason = _require_text(reason, _("Say how and why the complainant withdrew."))
    return _withdrawn(
        complaint,
        by=by,
        reason=reason,
        told=Sentence(gettext_noop("Complaint withdrawn by the complainant: %(reason)s"), reason=reason),
    )


def withdraw_for_erasure(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """The privacy officer records that the complainant, in asking for their data to be erased
    (GDPR art. 17), ended the handling of an open complaint, so that the erasure can follow.
    They need not see the complaint's contents for it."""
    _require(
        by.has_role(Role.PRIVACY_OFFICER),
        _("Only the privacy officer ends the handling of a complaint for an erasure request."),
    )
    reason = _require_text(reason, _("Say how the complainant asked for the erasure."))
    return _withdrawn(
        complaint,
        by=by,
        reason=reason,
        told=Sentence(
            gettext_noop("Complaint withdrawn: the complainant asked for their data to be erased (%(reason)s)."),
            reason=reason,
        ),
    )


def _withdrawn(complaint: Complaint, *, by: User, reason: str, told: Sentence) -> Complaint:
    with transaction.atomic():
        current = _locked(complaint)
        _require_open(current)
        from_status = current.status
        current.status = Status.WITHDRAWN
        current.closed_at = timezone.now()
        current.outcome = Outcome.WITHDRAWN
        current.save(update_fields=["status", "closed_at", "outcome"])
        record_event(
            complaint=current,
            kind="withdrawn",
            actor=by,
            message=told,
            from_status=from_status,
            to_status=current.status,
            visibility=Visibility.PUBLIC,
            data={"reason": reason},
            at=current.closed_at,
        )
    _sync(complaint, current)
    return complaint
