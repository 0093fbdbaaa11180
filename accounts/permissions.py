"""View decorators that check roles: 403 for a function the role may not use.
Objects the user may not see are refused with 404 by the selectors instead."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import Role

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def is_administrator(user: object) -> bool:
    """Administrators manage staff, roles, tokens and the organisation's settings: the privacy
    officer / administrator role, or Django staff."""
    return bool(getattr(user, "is_active", False) and (user.is_staff or user.has_role(Role.PRIVACY_OFFICER)))  # type: ignore[attr-defined]


def administrator_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
