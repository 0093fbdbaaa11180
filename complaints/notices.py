"""Mail to staff about a complaint's hand-over. Like every staff mail, it carries the reference,
the channel, the date of receipt, the next deadline and a link: never the complaint's text or
the complainant's name or contact details."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from outbox.services import queue_mail

from .models import Complaint


def queue_handover_notices(*, complaint: Complaint, to: User, previous: User | None) -> None:
    """The new owner hears at once; a previous owner gets a short notice. Call inside the
    transaction that hands over, so the mail exists if and only if the hand-over does."""
    context = {
        "complaint": complaint,
        "to": to,
        "previous": previous,
        "url": settings.SITE_URL + reverse("complaints:detail", args=[complaint.reference]),
        "contact_due": None if complaint.first_contact_at else complaint.contact_due,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if to.email:
            queue_mail(
                kind="handed_over",
                notice=True,
                complaint=complaint,
                to=[to.email],
                subject=render_to_string("complaints/mail/handed_over_subject.txt", context).strip(),
                text=render_to_string("complaints/mail/handed_over.txt", context),
            )
        if previous is not None and previous.email and previous.is_active:
            queue_mail(
                kind="handed_on",
                notice=True,
                complaint=complaint,
                to=[previous.email],
                subject=render_to_string("complaints/mail/handed_on_subject.txt", context).strip(),
                text=render_to_string("complaints/mail/handed_on.txt", context),
            )
