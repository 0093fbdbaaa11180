from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from outbox.services import queue_mail


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The six digits your authenticator app shows after scanning."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail written to the outbox and the link built from
    SITE_URL, never from the Host header of the request."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            context = {
                "user": user,
                "url": settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token]),
            }
            with transaction.atomic():
                queue_mail(
                    kind="password_reset",
                    to=[getattr(user, user.get_email_field_name())],
                    subject=render_to_string("accounts/mail/password_reset_subject.txt", context).strip(),
                    text=render_to_string("accounts/mail/password_reset_email.txt", context),
                )
