"""{% backoffice_links %}: the back office's navigation links, rendered once per process for
each set of roles and language.

Every back-office page shows them, and through the template engine (a dozen links, an include
per app) they cost about half a millisecond per page. They depend on the user's roles, whether
the user is staff, and the language only: templates/backoffice/links.html is rendered with a
stand-in user that has nothing else, so a name or an address added to it later would come out
empty rather than shown to the next user with the same roles."""

from dataclasses import dataclass
from typing import cast

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from lib.rendering import kept_per_process

register = template.Library()


@dataclass(frozen=True)
class LinksUser:
    """What the links may know of the user."""

    roles: frozenset[str]
    is_staff: bool
    # Only a logged-in user sees the back office's pages.
    is_authenticated = True

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


@register.simple_tag(takes_context=True)
def backoffice_links(context: template.Context) -> SafeString:
    user = context.get("user")
    return _links(get_language(), frozenset(getattr(user, "roles", ())), bool(getattr(user, "is_staff", False)))


@kept_per_process(maxsize=256)
def _links(language: str, roles: frozenset[str], is_staff: bool) -> SafeString:
    # The language is part of the key: render_to_string renders in the active one. What the
    # template engine renders is marked safe already (it escaped the values itself).
    return cast(SafeString, render_to_string("backoffice/links.html", {"user": LinksUser(roles, is_staff)}))
