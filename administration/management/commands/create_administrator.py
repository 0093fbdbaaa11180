"""The first administrator of a new installation: `manage.py create_administrator USERNAME EMAIL`.

Prints a one-time link to choose the password (valid for three days), so no password is typed
on a command line or kept in a shell history. The administrator then invites everyone else in
the back office under Beheer → Medewerkers."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.invitations import invitation_url
from administration.services import create_administrator


class Command(BaseCommand):
    help = "Create an administrator and print a one-time link to choose the password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = create_administrator(
                username=options["username"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items())
            raise CommandError(messages) from None
        self.stdout.write(f"Administrator {user.username} created. Choose the password within three days at:")
        self.stdout.write(invitation_url(user))
