"""Time the reports over the data at hand: computing a period's figures (what the warm-up job
and a cache miss cost) and serving them from the cache (what a page view costs).

    python manage.py time_reports --period 2025 --runs 3
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lib.dates import local_date
from reports import periods
from reports.cache import report_for
from reports.charts import chart_for
from reports.figures import build_report
from reports.tables import build_tables


class Command(BaseCommand):
    help = "Time computing and serving the reports for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="12m", help="12m, a year (2025) or a quarter (2025-Q2)")
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args: object, **options: object) -> None:
        period = periods.from_key(str(options["period"]), today=local_date(timezone.now()))
        if period is None:
            raise CommandError("Unknown period.")
        computed = []
        for _ in range(int(options["runs"])):  # type: ignore[call-overload]
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                tables = build_tables(build_report(period))
                [chart_for(table) for table in tables]
            computed.append(time.perf_counter() - started)
        report_for(period)
        started = time.perf_counter()
        build_tables(report_for(period).report)
        served = time.perf_counter() - started
        self.stdout.write(
            f"{period.label}: computed in {statistics.median(computed) * 1000:.0f} ms (median of {len(computed)}, "
            f"{len(queries.captured_queries)} queries); served from the cache in {served * 1000:.1f} ms"
        )
