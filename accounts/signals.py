"""Authentication events in the log (logger "security.auth"), for monitoring and incident work.
User names of failed attempts are logged as a short hash: a password typed into the user-name
field must not end up in the log."""

import hashlib
import logging
import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from security.middleware import StaffSessionLifetimeMiddleware
from security.throttle import client_address

logger = logging.getLogger("security.auth")


def _address(request: HttpRequest | None) -> str:
    return client_address(request) if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    logger.info("login user=%s from=%s", user.pk, _address(request))


@receiver(user_logged_in)
def start_session_clock(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """The session's maximum age counts from the login (security.middleware.StaffSessionLifetimeMiddleware)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[StaffSessionLifetimeMiddleware.STARTED] = now
        request.session[StaffSessionLifetimeMiddleware.SEEN] = now


@receiver(user_logged_out)
def log_logout(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    logger.info("logout user=%s from=%s", getattr(user, "pk", "-"), _address(request))


@receiver(user_login_failed)
def log_login_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    name = str(credentials.get("username", ""))
    digest = hashlib.sha256(name.strip().casefold().encode()).hexdigest()[:12]
    logger.warning("login failed account=%s from=%s", digest, _address(request))
