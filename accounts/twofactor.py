"""Two-factor authentication: an authenticator app (TOTP) plus one-time recovery codes."""

import secrets
from base64 import b32encode

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCode, RecoveryCodeDevice, User, normalise_code, recovery_digest

RECOVERY_CODE_COUNT = 10
# No 0/O, 1/I/L: codes are read off paper.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def has_confirmed_device(user: User) -> bool:
    found: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return found


# Whether the session's user has an authenticator, kept in the session so that ordinary page
# views cost no extra query. Set at first need, and updated by enrolment and verification.
ENROLLED_SESSION_KEY = "two_factor_enrolled"


def session_has_device(request: HttpRequest, user: User) -> bool:
    enrolled = request.session.get(ENROLLED_SESSION_KEY)
    if enrolled is None:
        enrolled = has_confirmed_device(user)
        request.session[ENROLLED_SESSION_KEY] = enrolled
    return bool(enrolled)


def remember_enrolment(request: HttpRequest, enrolled: bool) -> None:
    request.session[ENROLLED_SESSION_KEY] = enrolled


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so reloading the
    page does not invalidate a QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code as a data: URI, allowed by the CSP's img-src and never sent elsewhere."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32 for typing into an app, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_enrolment(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new authenticator with a code from it. Returns fresh recovery codes, or None
    when the code is wrong. Any earlier authenticator of the user stops working."""
    if device.user_id != user.pk or not device.verify_token(normalise_code(token)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user=user)


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes; the returned plain codes are shown once and not kept."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user=user).delete()
        device = RecoveryCodeDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recovery_digest(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def verify_second_factor(*, user: User, token: str) -> TOTPDevice | RecoveryCodeDevice | None:
    """The device that accepts the token: the authenticator for six digits, else a recovery code."""
    token = normalise_code(token)
    if not token:
        return None
    if token.isdigit() and len(token) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
        return None
    for recovery in RecoveryCodeDevice.objects.filter(user=user, confirmed=True):
        if recovery.verify_token(token):
            return recovery
    return None
