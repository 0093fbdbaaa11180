"""Invitations for new staff members: a one-time link to choose a password.

The link's token is Django's password-reset token under its own salt: it expires after
settings.PASSWORD_RESET_TIMEOUT and stops working once a password is chosen (the token
covers the password hash), so a link works exactly once."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from outbox.services import queue_mail

from .models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user: User) -> str:
    """The link is built from SITE_URL, never from the Host header of a request."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse("accounts:invitation", args=[uid, invitation_tokens.make_token(user)])


def queue_invitation(*, user: User, invited_by: User | None) -> OutboxMessage:
    """The invitation mail, written to the outbox; call inside the transaction that invites.
    It is in the site's language: the new colleague has not chosen one yet."""
    context = {
        "user": user,
        "invited_by": invited_by,
        "url": invitation_url(user),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "organisation": get_organisation(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/mail/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/mail/invitation.txt", context)
    return queue_mail(kind="invitation", to=[user.email], subject=subject, text=text)
