"""Mail to a staff member about their own account."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from organisation.selectors import get_organisation
from outbox.services import queue_mail

from .models import User


def queue_login_failure_notice(*, username: str, failures: int, minutes: int) -> None:
    """Tell the holder of `username` that many wrong passwords were tried on their account.
    Nothing is sent for a name that is no active account with an address."""
    user = User.objects.filter(username__iexact=username, is_active=True).exclude(email="").first()
    if user is None:
        return
    context = {
        "user": user,
        "failures": failures,
        "minutes": minutes,
        "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        "organisation": get_organisation(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/mail/login_failures_subject.txt", context).strip()
        text = render_to_string("accounts/mail/login_failures.txt", context)
    with transaction.atomic():
        queue_mail(kind="login_failures", to=[user.email], subject=subject, text=text, notice=True)
