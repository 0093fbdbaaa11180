"""Mail to staff about a complaint. Every such notice carries the reference, the channel, the
date of receipt, the next deadline and a link: never the complaint's text or the complainant's
name or contact details (a mailbox is out of reach of the retention period and the access log)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from organisation.selectors import get_organisation
from outbox.services import queue_mail

from .models import Complaint


def queue_staff_notice(
    *, complaint: Complaint, kind: str, address: str, template: str, html: bool = False, **extra: object
) -> None:
    """Queue a notice about `complaint` to the staff address `address`, from the templates
    `<template>_subject.txt`, `<template>.txt` and, with `html`, `<template>.html`. They get the
    complaint, the organisation, the link to the complaint and `extra`. Staff mail is in the
    site's language, whatever language the complainant used."""
    context = {
        "complaint": complaint,
        "organisation": get_organisation(),
        "url": settings.SITE_URL + reverse("complaints:detail", args=[complaint.reference]),
        **extra,
    }
    with translation.override(settings.LANGUAGE_CODE):
        queue_mail(
            kind=kind,
            notice=True,
            complaint=complaint,
            to=[address],
            subject=render_to_string(f"{template}_subject.txt", context).strip(),
            text=render_to_string(f"{template}.txt", context),
            html=render_to_string(f"{template}.html", context) if html else "",
        )


def queue_handover_notices(*, complaint: Complaint, to: User, previous: User | None) -> None:
    """The new owner hears at once; a previous owner gets a short notice. Call inside the
    transaction that hands over, so the mail exists if and only if the hand-over does."""
    contact_due = None if complaint.first_contact_at else complaint.contact_due
    if to.email:
        queue_staff_notice(
            complaint=complaint,
            kind="handed_over",
            address=to.email,
            template="complaints/mail/handed_over",
            to=to,
            previous=previous,
            contact_due=contact_due,
        )
    if previous is not None and previous.email and previous.is_active:
        queue_staff_notice(
            complaint=complaint,
            kind="handed_on",
            address=previous.email,
            template="complaints/mail/handed_on",
            to=to,
            previous=previous,
            contact_due=contact_due,
        )
