"""The first administrator of a new installation:
`manage.py create_administrator USERNAME EMAIL --first-name FIRST --last-name LAST`.

Prints a one-time link to choose the password (valid for three days), so no password is typed
on a command line or kept in a shell history. The administrator then invites everyone else in
the back office under Beheer → Medewerkers."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.invitations import invitation_url
from administration.services import create_administrator

# The command's arguments by the model field each fills, to name them in an error.
ARGUMENTS = {"username": "USERNAME", "email": "EMAIL", "first_name": "--first-name", "last_name": "--last-name"}


class Command(BaseCommand):
    help = "Create an administrator and print a one-time link to choose the password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        # Commands run in English by default; the person who installs reads the site's language.
        translation.activate(settings.LANGUAGE_CODE)
        try:
            user = create_administrator(
                username=options["username"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            messages = "; ".join(
                f"{ARGUMENTS.get(field, field)}: {' '.join(errors)}" for field, errors in error.message_dict.items()
            )
            raise CommandError(messages) from None
        self.stdout.write(
            _("Administrator %(username)s created. Choose the password within three days at:")
            % {"username": user.username}
        )
        self.stdout.write(invitation_url(user))
