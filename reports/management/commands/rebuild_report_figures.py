from typing import Any

from django.core.management.base import BaseCommand

from reports import daily


class Command(BaseCommand):
    help = (
        "Compute the reports' figures per day of receipt again from the complaints: all days, or "
        "with --stale only the days marked as changed (what the worker does every minute)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--stale", action="store_true", help="only the days marked as changed")

    def handle(self, *args: Any, stale: bool = False, **options: Any) -> None:
        days = daily.refresh_stale() if stale else daily.rebuild()
        self.stdout.write(f"{days} days computed.")
