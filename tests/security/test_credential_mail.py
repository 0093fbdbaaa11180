"""Finding (browser walk): the quality manager could read an administrator's invitation in the
sent-mail page, one-time link included, and so choose that administrator's password. Mail that
holds such a link shows who got it and when, never its text."""

import re

from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from administration.services import invite_staff
from outbox.models import OutboxMessage


def test_the_sent_mail_page_does_not_show_an_invitation_link(privacy_officer: User, quality_manager: User) -> None:
    invite_staff(
        by=privacy_officer,
        username="beheer2",
        first_name="Bea",
        last_name="Beheer",
        email="bea@supportoplus.nl",
        roles=[Role.PRIVACY_OFFICER],
    )
    Client().post("/accounts/wachtwoord-vergeten/", {"email": quality_manager.email})
    client = Client()
    client.force_login(quality_manager)
    for kind in ("invitation", "password_reset"):
        message = OutboxMessage.objects.get(kind=kind)
        link = re.search(r"https?://\S+", message.body_text).group(0)  # type: ignore[union-attr]
        page = client.get(reverse("outbox:detail", args=[message.pk])).content.decode()
        assert message.to[0] in page, "who got it stays visible"
        token = link.rstrip("/").rsplit("/", 1)[-1]
        assert link not in page and token not in page
        assert "niet getoond" in page
