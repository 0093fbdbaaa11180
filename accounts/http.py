"""The request a view behind login_required or role_required receives: its user is one of our
staff accounts, never AnonymousUser (as django-stubs suggests for such views)."""

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    user: User
