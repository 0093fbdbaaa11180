import time

from django.core.management.base import BaseCommand, CommandParser

from lib.periodic import run_periodic_jobs


class Command(BaseCommand):
    help = "Run every periodic job once (cron/systemd timer), or forever with --every SECONDS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (development).")

    def handle(self, *args: object, every: int, **options: object) -> None:
        while True:
            results = run_periodic_jobs()
            self.stdout.write(", ".join(f"{name.rsplit('.', 1)[-1]}={value}" for name, value in results.items()))
            if not every:
                return
            time.sleep(every)
