"""Password login throttled per account and client address together, and per client address,
for every login form (the back office's and the admin's) because the check sits in the
authentication backend. Someone guessing from elsewhere therefore cannot lock a staff member
out of their own workplace; the staff member is told by mail when their account draws many
failures from anywhere."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from security import throttle

from .models import User
from .notices import queue_login_failure_notice

# Set on the request when a login was refused for too many failures; the login view then
# answers 429 with Retry-After instead of the usual "wrong password".
THROTTLED_ATTRIBUTE = "login_throttled_for"


def account_identity(username: str) -> str:
    return username.strip().casefold()


class ThrottledModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The user of a logged-in request, with their roles in the same query."""
        user = User.with_roles().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None or username is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        per_pair = throttle.Limit.from_setting("login_account_address")
        per_address = throttle.Limit.from_setting("login_address")
        account, address = account_identity(username), throttle.client_address(request)
        pair = f"{account}\n{address}"
        for scope, identity, limit in (
            ("login-account-address", pair, per_pair),
            ("login-address", address, per_address),
        ):
            verdict = throttle.check(scope, identity, limit)
            if not verdict.allowed:
                setattr(request, THROTTLED_ATTRIBUTE, verdict.retry_after)
                return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.hit("login-account-address", pair, per_pair)
            throttle.hit("login-address", address, per_address)
            _count_failure_for_notice(username)
        else:
            throttle.reset("login-account-address", pair, per_pair)
        return user


def _count_failure_for_notice(username: str) -> None:
    """Failures on one account from any address; past the limit its holder is mailed, once
    per window."""
    limit = throttle.Limit.from_setting("login_failures_notice")
    account = account_identity(username)
    if throttle.hit("login-failures", account, limit).allowed:
        return
    if throttle.hit("login-failures-noticed", account, throttle.Limit(limit=1, window=limit.window)).allowed:
        queue_login_failure_notice(username=username.strip(), failures=limit.limit, minutes=limit.window // 60)
