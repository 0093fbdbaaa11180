"""Issuing, revoking and checking personal API tokens."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from .models import ApiToken

TOKEN_PREFIX = "kl_"  # noqa: S105 (a visible marker, not a secret)
# last_used_at is a hint for administrators, not an audit trail: writing it on every request
# would turn each read into a write, so it is refreshed at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token itself, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", token_hash=hash_token(raw), prefix=raw[:10], created_by=by
    )
    return token, raw


def revoke_token(*, token: ApiToken, by: User | None) -> bool:
    """Revoke a token; False when it was revoked already (the first revocation stands)."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    )


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = hash_token(raw)
    token = ApiToken.objects.select_related("user").filter(token_hash=digest, revoked_at__isnull=True).first()
    # The lookup is by hash already; the constant-time compare keeps it that way if it ever changes.
    if token is None or not hmac.compare_digest(token.token_hash, digest) or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION), pk=token.pk
    ).update(last_used_at=now)
    return token.user
