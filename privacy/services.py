"""The privacy steps: reads recorded in the access log, legal holds, restriction of
processing, data-subject requests, rectification and erasure. Each step is atomic, takes an
explicit actor and writes one timeline event where it touches a complaint."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.errors import ProcedureError
from complaints.models import OPEN_STATUSES, Complaint, Visibility
from complaints.sentences import Sentence
from complaints.timeline import record_event
from deadlines.calendar import add_months, next_working_day
from deadlines.models import DEADLINE_FIELDS
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation
from outbox.services import queue_mail

from .anonymise import anonymise_complaint
from .models import (
    AccessAction,
    AccessLog,
    DataSubjectRequest,
    LegalHold,
    ProcessingRestriction,
    RequestKind,
    RequestStatus,
)
from .registry import Category, Subject, declaration_for
from .restriction import LegalHoldActive, is_restricted

# The complaint fields a data subject may have corrected: their own identity and contact details.
RECTIFIABLE = tuple(
    f.name
    for f in (declaration_for(Complaint).personal if declaration_for(Complaint) else ())  # type: ignore[union-attr]
    if f.subject == Subject.COMPLAINANT and f.category in (Category.IDENTITY, Category.CONTACT)
)


def log_access(
    *, user: User | None, complaint: Complaint | None, action: AccessAction, detail: str = "", reason: str = ""
) -> AccessLog:
    """Record one read of personal data. `detail` names the thing read by number, never by
    a name a person gave it; `reason` is required for exports. No user: the complainant on their
    own status page."""
    if action == AccessAction.EXPORT and not reason.strip():
        raise ProcedureError(_("Give the reason for the export."))
    return AccessLog.objects.create(
        user=user, complaint=complaint, action=action, detail=detail[:200], reason=reason.strip()
    )


def log_refused(*, user: User, reference: str, path: str) -> None:
    """A staff member was refused a complaint (a 404: outside their reach or not there): recorded
    against the complaint when it exists, with the path that was asked for."""
    complaint = Complaint.objects.filter(reference=reference).only("pk").first()
    if complaint is not None:
        log_access(user=user, complaint=complaint, action=AccessAction.DENIED, detail=path)


def active_hold(complaint: Complaint) -> LegalHold | None:
    return LegalHold.objects.filter(complaint=complaint, lifted_at__isnull=True).first()


def place_legal_hold(*, complaint: Complaint, by: User, reason: str) -> LegalHold:
    reason = reason.strip()
    if not reason:
        raise ProcedureError(_("Give the reason for the legal hold."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.anonymised_at is not None:
            raise ProcedureError(_("This complaint has already been anonymised; there is nothing left to hold."))
        if active_hold(complaint) is not None:
            raise ProcedureError(_("This complaint is already on legal hold."))
        hold = LegalHold.objects.create(complaint=complaint, reason=reason, placed_by=by)
        record_event(
            complaint=complaint,
            kind="legal_hold_placed",
            actor=by,
            message=Sentence(
                gettext_noop("Legal hold placed: the data is kept until it is lifted. Reason: %(reason)s"),
                reason=reason,
            ),
        )
    return hold


def lift_legal_hold(*, hold: LegalHold, by: User) -> None:
    with transaction.atomic():
        if not LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=by
        ):
            raise ProcedureError(_("This legal hold has already been lifted."))
        record_event(
            complaint=hold.complaint,
            kind="legal_hold_lifted",
            actor=by,
            message=Sentence(gettext_noop("Legal hold lifted; the retention period applies again.")),
        )


def restrict_processing(
    *, complaint: Complaint, by: User, reason: str, request: DataSubjectRequest | None = None
) -> ProcessingRestriction:
    reason = reason.strip()
    if not reason:
        raise ProcedureError(_("Give the reason for the restriction."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.anonymised_at is not None:
            raise ProcedureError(_("This complaint has already been anonymised."))
        if is_restricted(complaint):
            raise ProcedureError(_("Processing of this complaint is already restricted."))
        restriction = ProcessingRestriction.objects.create(
            complaint=complaint, reason=reason, placed_by=by, request=request
        )
        record_event(
            complaint=complaint,
            kind="restricted",
            actor=by,
            message=Sentence(
                gettext_noop(
                    "Processing restricted: the complaint is only stored; no mail and no changes until lifted."
                )
            ),
        )
    return restriction


def lift_restriction(*, restriction: ProcessingRestriction, by: User) -> None:
    """Lift it; the deadlines the complaint had not met yet move on by the days it was paused."""
    now = timezone.now()
    with transaction.atomic():
        if not ProcessingRestriction.objects.filter(pk=restriction.pk, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=by
        ):
            raise ProcedureError(_("This restriction has already been lifted."))
        complaint = Complaint.objects.select_for_update().get(pk=restriction.complaint_id)
        told = [Sentence(gettext_noop("Restriction of processing lifted."))]
        paused = (local_date(now) - local_date(restriction.placed_at)).days
        if paused and complaint.status in OPEN_STATUSES:
            closed = closure_days()
            moved = [due for due, met in DEADLINE_FIELDS.values() if getattr(complaint, met) is None]
            for due in moved:
                later = getattr(complaint, due) + timedelta(days=paused)
                setattr(complaint, due, next_working_day(later, closure_days=closed))
            complaint.save(update_fields=moved)
            if moved:
                told.append(
                    Sentence(
                        gettext_noop("The deadlines not met yet move on by the %(days)s days it was paused."),
                        days=paused,
                    )
                )
        record_event(complaint=complaint, kind="restriction_lifted", actor=by, message=told)


def answer_due(received_at: datetime, *, months: int) -> date:
    """The answer to a request is due `months` after receipt (GDPR art. 12(3)); a term that ends
    on a Saturday, Sunday or public holiday ends on the next working day (Algemene termijnenwet
    art. 1). The organisation's own closing days do not move a statutory term."""
    return next_working_day(add_months(local_date(received_at), months))


def register_request(
    *,
    kind: RequestKind,
    received_at: datetime,
    by: User,
    requester_name: str = "",
    requester_email: str = "",
    requester_phone: str = "",
    notes: str = "",
) -> DataSubjectRequest:
    if not (requester_name.strip() or requester_email.strip() or requester_phone.strip()):
        raise ProcedureError(_("Give at least the name, e-mail address or phone number of the person."))
    if received_at > timezone.now():
        raise ProcedureError(_("The date of receipt cannot be in the future."))
    return DataSubjectRequest.objects.create(
        kind=kind,
        received_at=received_at,
        due=answer_due(received_at, months=1),
        requester_name=requester_name.strip(),
        requester_email=requester_email.strip(),
        requester_phone=requester_phone.strip(),
        notes=notes.strip(),
        created_by=by,
    )


def link_complaints(*, request: DataSubjectRequest, complaints: list[Complaint], by: User) -> None:
    """Confirm which complaints belong to the person (after checking their identity)."""
    if not request.is_open:
        raise ProcedureError(_("This request has been handled already."))
    request.complaints.add(*complaints)
    for complaint in complaints:
        log_access(user=by, complaint=complaint, action=AccessAction.REQUEST, detail=f"request {request.pk}")


# The answer may be put off by two further months (art. 12(3)), once, and only with a notice
# to the person within the first month.
EXTENSION_MONTHS = 2


def extend_request(*, request: DataSubjectRequest, by: User, reason: str, notice: str = "") -> DataSubjectRequest:
    """Put off the answer by two months. The person is told why: by e-mail when their address
    is known (sent from here), otherwise `notice` records how they were told."""
    reason, notice = reason.strip(), notice.strip()
    if not reason:
        raise ProcedureError(_("Give the reason for the extension: the person is told it."))
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ProcedureError(_("This request has been handled already."))
        if request.extended_at is not None:
            raise ProcedureError(_("The answer has been put off once already; it cannot be put off again."))
        today = local_date(timezone.now())
        if today > request.due:
            raise ProcedureError(
                _("The extension had to be announced by %(due)s, within a month of receipt; that has passed.")
                % {"due": date_format(request.due, "j F Y")}
            )
        if not request.requester_email and not notice:
            raise ProcedureError(_("There is no e-mail address: write down how the person was told (e.g. by letter)."))
        request.due = answer_due(request.received_at, months=1 + EXTENSION_MONTHS)
        request.extended_at, request.extended_by, request.extension_reason = timezone.now(), by, reason
        if request.requester_email:
            notice = _("by e-mail to %(address)s") % {"address": request.requester_email}
            organisation = get_organisation()
            with translation.override(settings.LANGUAGE_CODE):
                queue_mail(
                    kind="dsr_extension",
                    to=[request.requester_email],
                    subject=_("Your request about your personal data"),
                    text=render_to_string(
                        "privacy/mail/extension.txt",
                        {"request": request, "organisation": organisation, "reason": reason},
                    ),
                    reply_to=organisation.privacy_contact_email or organisation.quality_inbox,
                    auto_submitted="auto-replied",
                )
        request.extension_notice = notice
        request.save(update_fields=["due", "extended_at", "extended_by", "extension_reason", "extension_notice"])
    return request


def complete_request(*, request: DataSubjectRequest, by: User, outcome: str, refused: bool = False) -> None:
    outcome = outcome.strip()
    if not outcome:
        raise ProcedureError(_("Write down the answer given to the person."))
    if not DataSubjectRequest.objects.filter(pk=request.pk, status=RequestStatus.OPEN).update(
        status=RequestStatus.REFUSED if refused else RequestStatus.DONE,
        completed_at=timezone.now(),
        completed_by=by,
        outcome=outcome,
    ):
        raise ProcedureError(_("This request has been handled already."))


def rectify(*, complaint: Complaint, field: str, value: str, by: User, request: DataSubjectRequest) -> None:
    """Correct one of the complainant's details. The old value is not repeated on the timeline:
    it was wrong, and keeping it there would keep the wrong data."""
    if field not in RECTIFIABLE:
        raise ProcedureError(_("This field cannot be rectified here."))
    model_field = Complaint._meta.get_field(field)
    try:
        value = model_field.clean(value.strip(), None)  # type: ignore[union-attr]
    except ValidationError as error:
        raise ProcedureError(" ".join(error.messages)) from None
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.anonymised_at is not None:
            raise ProcedureError(_("This complaint has been anonymised; there is nothing left to rectify."))
        Complaint.objects.filter(pk=complaint.pk).update(**{field: value})
        record_event(
            complaint=complaint,
            kind="rectified",
            actor=by,
            message=Sentence(
                gettext_noop("%(field)s rectified at the complainant's request."),
                field=model_field.verbose_name,  # type: ignore[union-attr]
            ),
            visibility=Visibility.PUBLIC,
            data={"field": field, "request": request.pk},
        )
        log_access(user=by, complaint=complaint, action=AccessAction.RECTIFY, detail=f"{field}, request {request.pk}")


def erase(*, complaint: Complaint, by: User, request: DataSubjectRequest) -> None:
    """Anonymise a complaint now at the complainant's request; refused while a legal hold applies."""
    if complaint.is_open:
        # Handling cannot go on without the person's details; the procedure records the end first.
        raise ProcedureError(
            _("Complaint %(reference)s is still being handled: end its handling first, then erase it.")
            % {"reference": complaint.reference}
        )
    hold = active_hold(complaint)
    if hold is not None:
        raise LegalHoldActive(
            _("Erasure refused: complaint %(reference)s is on legal hold (%(reason)s).")
            % {"reference": complaint.reference, "reason": hold.reason}
        )
    anonymise_complaint(complaint_pk=complaint.pk, by=by, reason="erasure", request=request)
