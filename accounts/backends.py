"""Password login throttled per account and per client address, for every login form
(the back office's and the admin's) because the check sits in the authentication backend."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from security import throttle

# Set on the request when a login was refused for too many failures; the login view then
# answers 429 with Retry-After instead of the usual "wrong password".
THROTTLED_ATTRIBUTE = "login_throttled_for"


def account_identity(username: str) -> str:
    return username.strip().casefold()


class ThrottledModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The user of a logged-in request, with their roles in the same query."""
        from .models import User

        user = User.with_roles().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None or username is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        per_account = throttle.Limit.from_setting("login_account")
        per_address = throttle.Limit.from_setting("login_address")
        account, address = account_identity(username), throttle.client_address(request)
        for scope, identity, limit in (
            ("login-account", account, per_account),
            ("login-address", address, per_address),
        ):
            verdict = throttle.check(scope, identity, limit)
            if not verdict.allowed:
                setattr(request, THROTTLED_ATTRIBUTE, verdict.retry_after)
                return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.hit("login-account", account, per_account)
            throttle.hit("login-address", address, per_address)
        else:
            throttle.reset("login-account", account, per_account)
        return user
