"""{% backoffice_links %}: the links each set of roles sees, rendered once per process and the
same as the template renders them for the real user."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
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
    request = RequestFactory().get("/")
    return Template("{% load backoffice %}{% backoffice_links %}").render(Context({"user": user, "request": request}))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("username", list(PEOPLE))
def test_each_set_of_roles_gets_the_links_the_template_renders_for_the_real_user(username: str, language: str) -> None:
    roles, is_staff = PEOPLE[username]
    user = make_user(username, *roles, is_staff=is_staff)
    with translation.override(language):
        expected = render_to_string("backoffice/links.html", {"user": user})

        assert links_tag(user) == expected
        assert links_tag(user) == expected  # and again, from the process's copy


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


def test_the_page_shows_the_links_and_the_name_of_whoever_is_logged_in() -> None:
    for name in ("Anna", "Bert"):
        user = make_user(name.lower(), Role.QUALITY_MANAGER, first_name=name)
        client = Client()
        client.force_login(user)
        page = client.get(reverse("complaints:home")).content.decode()
        assert f"<span>{name}</span>" in page
        assert f'href="{reverse("outbox:list")}"' in page


def test_a_changed_template_in_development_makes_the_process_render_the_links_again() -> None:
    from pathlib import Path

    from django.conf import settings
    from django.utils.autoreload import file_changed

    from lib.templatetags.backoffice import _links

    links_tag(make_user("kwaliteit", Role.QUALITY_MANAGER))
    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "complaints" / "views.py")
    assert len(_links.fragments) > 0  # type: ignore[attr-defined]

    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "templates" / "backoffice" / "links.html")
    assert len(_links.fragments) == 0  # type: ignore[attr-defined]
