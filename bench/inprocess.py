"""Time one page in-process: the app's own cost per request, without gunicorn and wrk.

    python -m bench.inprocess list 200          # my_work, list, detail, search, form_post

Runs N requests through Django's test client under the benchmark's settings against the data
`make bench` generated (PostgreSQL klachten_bench, or DATABASE_URL), with Redis as `make bench`
uses it, logged in as the bench's quality manager. Prints the queries of one request and the
mean time per request: the app's own CPU and its database round trips. With 8 connections on
2 workers a page's p95 under `make bench` is about four times that. It also prints the CPU
time per request of the app and, when PostgreSQL runs on this machine, of the database
backend: steadier figures than the time on the clock when other work shares the machine. The form posts go into a
copy of the data, dropped afterwards, as `make bench` does.
"""

import math
import os
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from bench.data import sampled_references, working_copy
from bench.server import BENCH_REDIS, redis_available

BENCH_DATABASE = "postgres://postgres@127.0.0.1:5432/klachten_bench"

SCENARIOS = ("my_work", "list", "detail", "search", "form_post")


def main(argv: list[str]) -> None:
    if len(argv) < 1 or argv[0] not in SCENARIOS:
        raise SystemExit(f"usage: python -m bench.inprocess {{{','.join(SCENARIOS)}}} [requests]")
    scenario, count = argv[0], int(argv[1]) if len(argv) > 1 else 100
    database_url = os.environ.get("DATABASE_URL", BENCH_DATABASE)
    # The posted complaints would otherwise become the newest rows of every later run.
    with working_copy(database_url) if scenario == "form_post" else nullcontext(database_url) as url:
        os.environ["DATABASE_URL"] = url
        measure(scenario, count)


def measure(scenario: str, count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The cache and the task queue on Redis when it runs, as `make bench` serves the app.
    if "REDIS_URL" not in os.environ and redis_available():
        os.environ["REDIS_URL"] = BENCH_REDIS
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from bench.generate import LAST_NAMES

    client = Client(HTTP_HOST="127.0.0.1")
    if scenario != "form_post":
        client.force_login(User.objects.get(username="bench_kwaliteit"))
    # The complaints bench.run asks for, so that both time the same pages.
    references = sampled_references()
    names = [name.replace("-", " ") for name in LAST_NAMES]

    def request(n: int) -> Any:
        if scenario == "my_work":
            return client.get("/backoffice/")
        if scenario == "list":
            return client.get("/backoffice/klachten/")
        if scenario == "detail":
            return client.get(f"/backoffice/klachten/{references[n % len(references)]}/")
        if scenario == "search":
            return client.get("/backoffice/klachten/", {"q": names[n % len(names)]})
        return client.post(
            "/klacht/",
            {
                "submission_key": str(uuid.uuid4()),
                "website": "",
                "name": "Bench Klager",
                "company": "",
                "complaint_date": timezone.localdate().isoformat(),
                "about": "Planning",
                "email": "klager@example.nl",
                "postal_address": "",
                "phone": "06 12345678",
                "subject": "service",
                "description": "De monteur kwam niet opdagen en de thermostaat is nog steeds kapot.",
                "desired_outcome": "",
            },
        )

    response = request(0)
    if response.status_code != (302 if scenario == "form_post" else 200):
        raise SystemExit(f"{scenario}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        request(1)
    print(f"{scenario}: {len(queries.captured_queries)} queries per request")
    database_cpu = backend_cpu_reader(connection)
    started, cpu_started, database_started = time.perf_counter(), time.process_time(), database_cpu()
    for n in range(count):
        request(n)
    elapsed, cpu, database = (
        time.perf_counter() - started,
        time.process_time() - cpu_started,
        database_cpu() - database_started,
    )
    print(f"{scenario}: {elapsed / count * 1000:.1f} ms per request ({count} requests)")
    # CPU time, unlike the time on the clock, hardly changes with what else the machine does.
    figures = f"{scenario}: CPU per request: app {cpu / count * 1000:.2f} ms"
    if database == database:  # not NaN: the database server runs on this machine
        figures += f", PostgreSQL {database / count * 1000:.2f} ms"
    print(figures)


def backend_cpu_reader(connection: Any) -> Callable[[], float]:
    """Seconds of CPU the PostgreSQL backend serving this connection has used so far, read
    from /proc when the server runs on this machine; NaN otherwise."""
    if connection.vendor != "postgresql":
        return lambda: math.nan
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks_per_second = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        # utime and stime: the 14th and 15th fields, counted from the process id.
        return (int(fields[11]) + int(fields[12])) / ticks_per_second

    return read


if __name__ == "__main__":
    main(sys.argv[1:])
