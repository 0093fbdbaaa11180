"""The back office's links: each set of roles sees its own, in the page's language."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# username: (roles, is_staff)
PEOPLE: dict[str, tuple[tuple[Role, ...], bool]] = {
    "kwaliteit": ((Role.QUALITY_MANAGER,), False),
    "balie": ((Role.BACK_OFFICE,), False),
    "manager": ((Role.RESPONSIBLE,), False),
    "directie": ((Role.MANAGEMENT,), False),
    "privacy": ((Role.PRIVACY_OFFICER,), True),
    "beheer": ((Role.QUALITY_MANAGER, Role.PRIVACY_OFFICER), True),
}


def links_tag(user: object) -> str:
    return render_to_string("backoffice/links.html", {"user": user})


def test_the_links_follow_the_language_and_the_roles() -> None:
    quality = make_user("kwaliteit", Role.QUALITY_MANAGER)
    management = make_user("directie", Role.MANAGEMENT)
    with translation.override("nl"):
        dutch = links_tag(quality)
    with translation.override("en"):
        english = links_tag(quality)

    assert "Mijn werk" in dutch and "My work" in english
    assert reverse("outbox:list") in dutch
    assert reverse("outbox:list") not in links_tag(management)
    assert reverse("complaints:list") not in links_tag(management)


@pytest.mark.parametrize("username", list(PEOPLE))
def test_only_staff_see_the_technical_admin(username: str) -> None:
    roles, is_staff = PEOPLE[username]
    user = make_user(username, *roles, is_staff=is_staff)
    assert (reverse("admin:index") in links_tag(user)) is is_staff


def test_the_page_shows_the_links_and_the_name_of_whoever_is_logged_in() -> None:
    for name in ("Anna", "Bert"):
        user = make_user(name.lower(), Role.QUALITY_MANAGER, first_name=name)
        client = Client()
        client.force_login(user)
        page = client.get(reverse("complaints:home")).content.decode()
        assert f"<span>{name}</span>" in page
        assert f'href="{reverse("outbox:list")}"' in page
