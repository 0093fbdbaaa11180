from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint
from organisation.selectors import get_organisation
from outbox.services import queue_mail


def notify_quality_inbox(*, complaint: Complaint, attachment_count: int | None = None) -> None:
    """Tell the quality inbox a complaint came in, with its details and a link to it; called
    in the transaction that registers the complaint.

    The registration passes the number of attachments it just stored, saving a count."""
    organisation = get_organisation()
    context = {
        "complaint": complaint,
        "attachment_count": complaint.attachments.count() if attachment_count is None else attachment_count,
        "organisation": organisation,
        "url": settings.SITE_URL + reverse("complaints:detail", args=[complaint.reference]),
    }
    # Staff mail is Dutch, whatever language the complainant used on the form.
    with translation.override(settings.LANGUAGE_CODE):
        queue_mail(
            kind="new_complaint",
            complaint=complaint,
            to=[organisation.quality_inbox],
            subject=render_to_string("intake/mail/new_complaint_subject.txt", context).strip(),
            text=render_to_string("intake/mail/new_complaint.txt", context),
            html=render_to_string("intake/mail/new_complaint.html", context),
            complaint_is_new=True,
        )
