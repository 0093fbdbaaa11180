"""The complainant's status page: the secret link that opens it, a fresh link on request, and
what the complainant adds there. Letters carry the link (correspondence.services)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.attachments import UploadedFile, ensure_room_for_attachment, store_attachment
from complaints.errors import ProcedureError
from complaints.models import Complaint, Visibility
from complaints.notices import queue_staff_notice
from complaints.sentences import Sentence
from complaints.timeline import record_event
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from outbox.services import queue_mail
from privacy.restriction import ensure_not_restricted
from security import throttle

from .models import StatusLink
from .renderer import render_status_link_letter

logger = logging.getLogger(__name__)

COMPLAINANT_MESSAGES_PER_WINDOW = 10


def usable_complaint(complaint: Complaint | None) -> Complaint | None:
    """The complaint, if its status page may still be opened: not anonymised, and not closed
    longer than STATUS_LINK_DAYS_AFTER_CLOSING ago."""
    if complaint is None or complaint.anonymised_at is not None:
        return None
    if complaint.closed_at is not None:
        valid_until = complaint.closed_at + timedelta(days=settings.STATUS_LINK_DAYS_AFTER_CLOSING)
        if timezone.now() > valid_until:
            return None
    return complaint


COMPLAINANT_MESSAGES_WINDOW = timedelta(hours=1)


def no_address_message() -> str:
    return _(
        "The complainant gave neither an e-mail address nor a postal address, so this letter "
        "cannot be sent. Ask the complainant for one; the privacy officer adds it as a correction "
        "under Privacy requests. Then send the letter."
    )


def status_url(token: str) -> str:
    return settings.SITE_URL + reverse("correspondence:status", args=[token])


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_status_link(*, complaint: Complaint) -> str:
    """A new private link for the complainant; an earlier one, and every status session
    started with it, stops working.

    Returns the token itself: it is not stored anywhere, only its hash."""
    token = secrets.token_urlsafe(32)  # 256 bits
    StatusLink.objects.update_or_create(
        complaint=complaint, defaults={"token_hash": hash_token(token), "claimed_at": None}
    )
    return token


def claim_status_link(*, link: StatusLink) -> bool:
    """Use the link once: True for the first opening, False when it was used already."""
    return bool(StatusLink.objects.filter(pk=link.pk, claimed_at__isnull=True).update(claimed_at=timezone.now()))


def send_fresh_status_link(*, complaint: Complaint) -> OutboxMessage:
    """Mail a new link to the address the complainant gave; the old link stops working."""
    with translation.override("nl"), transaction.atomic():
        link = status_url(issue_status_link(complaint=complaint))
        context = {"complaint": complaint, "organisation": get_organisation(), "status_url": link}
        return queue_mail(
            kind="status_link",
            complaint=complaint,
            to=[complaint.email],
            subject=render_to_string("correspondence/mail/status_link_subject.txt", context).strip(),
            text=render_to_string("correspondence/mail/status_link.txt", context),
            notice=True,
        )


def request_fresh_status_link(*, reference: str, email: str) -> None:
    """The complainant's request for a new link. Nothing is said about whether reference and
    address matched; at most settings.THROTTLES["status_fresh_link_complaint"] mails per
    complaint go out, so the form cannot be used to flood a complainant's inbox."""
    complaint = (
        Complaint.objects.filter(reference__iexact=reference.strip(), email__iexact=email.strip())
        .exclude(email="")
        .first()
    )
    if complaint is None or usable_complaint(complaint) is None:
        return
    limit = throttle.Limit.from_setting("status_fresh_link_complaint")
    if throttle.hit("status-fresh-link-complaint", str(complaint.pk), limit).allowed:
        send_fresh_status_link(complaint=complaint)


def reissue_status_link(*, complaint: Complaint, by: User) -> tuple[str, bytes] | None:
    """Staff send the complainant a new link: by e-mail when they gave an address, else as a
    letter to print and post, returned as (file name, PDF). That letter is not stored: the link
    in it is a key, and the timeline records that it went out."""
    if complaint.anonymised_at is not None:
        raise ProcedureError(_("The personal data of this complaint has been removed; no link can go out."))
    if not complaint.email and not complaint.postal_address.strip():
        raise ProcedureError(no_address_message())
    with translation.override("nl"), transaction.atomic():
        if complaint.email:
            send_fresh_status_link(complaint=complaint)
            message, result = Sentence(gettext_noop("A new link to the status page sent by e-mail.")), None
        else:
            link = status_url(issue_status_link(complaint=complaint))
            pdf = render_status_link_letter(complaint=complaint, status_url=link)
            message = Sentence(gettext_noop("A new link to the status page printed, to be sent by post."))
            result = (f"{complaint.reference}-statuslink.pdf", pdf)
        record_event(complaint=complaint, kind="status_link_sent", actor=by, message=message)
    return result


def add_information(*, complaint: Complaint, text: str, upload: UploadedFile | None = None) -> None:
    """The complainant adds information or a file through their status page.

    It lands on the timeline (visible to them) and the responsible person, or the quality
    inbox while there is none, gets a mail with a link (not the content)."""
    text = (text or "").strip()
    if not text and upload is None:
        raise ProcedureError(_("Write a message or choose a file."))
    with transaction.atomic():
        current = Complaint.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=complaint.pk)
        if current.anonymised_at is not None or not current.is_open:
            raise ProcedureError(_("Your complaint has been closed; you can no longer add information here."))
        # Restricted processing (art. 18): nothing is added or mailed until it is lifted.
        ensure_not_restricted(current)
        # Each message mails a person; a link in the wrong hands must not become a mail cannon.
        recent = current.events.filter(
            kind="complainant_information", at__gte=timezone.now() - COMPLAINANT_MESSAGES_WINDOW
        ).count()
        if recent >= COMPLAINANT_MESSAGES_PER_WINDOW:
            raise ProcedureError(
                _("You have sent us several messages in a short time. Please wait an hour, or call us.")
            )
        if upload is not None:
            ensure_room_for_attachment(complaint=current, size=len(upload.content))
        attachment = store_attachment(complaint=current, upload=upload, by=None) if upload else None
        try:
            if text and attachment:
                message = Sentence(
                    gettext_noop("Message from the complainant (with the file %(name)s): %(text)s"),
                    name=attachment.original_name,
                    text=text,
                )
            elif attachment:
                message = Sentence(
                    gettext_noop("The complainant added the file %(name)s."), name=attachment.original_name
                )
            else:
                message = Sentence(gettext_noop("Message from the complainant: %(text)s"), text=text)
            record_event(
                complaint=current,
                kind="complainant_information",
                actor_label=_("complainant"),
                message=message,
                visibility=Visibility.PUBLIC,
                data={"attachment": attachment.pk if attachment else None},
            )
            _notify_handler(current)
        except BaseException:
            if attachment is not None:
                attachment.file.delete(save=False)
            raise


def _notify_handler(complaint: Complaint) -> None:
    person = complaint.assigned_to
    queue_staff_notice(
        complaint=complaint,
        kind="complainant_information",
        address=person.email if person is not None and person.email else get_organisation().quality_inbox,
        template="correspondence/mail/new_information",
        html=True,
    )


@task
def look_up_and_send_fresh_link(reference: str, email: str) -> None:
    """The complainant's request for a new link, looked up in the worker: the request does the
    same work whether or not reference and address match, so its timing tells nothing."""
    request_fresh_status_link(reference=reference, email=email)
