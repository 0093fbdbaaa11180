from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.tokens import issue_token


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args: object, username: str, name: str, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        _token, raw = issue_token(user=user, name=name, by=None)
        self.stdout.write(raw)
