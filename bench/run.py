"""The benchmark: the app served the production way, driven by wrk on loopback.

    python -m bench.run                      # PostgreSQL, 1,000,000 complaints (make bench)
    python -m bench.run --sqlite --complaints 50000          # (make bench-small)

1. Generate the data, or reuse it (bench.generate; --regenerate starts again), and work on a
   copy of it that is dropped afterwards, so every run starts from the same data.
2. Collect the static files (hashed names, as production serves them) and start two
   gunicorn servers with 2 sync workers each on 127.0.0.1: the app under the production
   settings (bench.settings), and a hello-world Django view as the ceiling.
3. Log in the bench accounts once over HTTP; fetch a CSRF token for the public form.
4. Drive each scenario with wrk (8 connections, --duration seconds) and read its
   throughput and latency percentiles; every throughput is also a share of the hello view's.
5. Time the periodic jobs directly over the data, render one letter, read the workers' RSS.
6. Print a table with PASS/MISS per target of issue 9 and write JSON and Markdown to
   bench/results/.

Why wrk: written in C, it costs the two cores of the machine far less than a Python load
generator would, so the server gets most of the CPU; a Lua script builds each form post
with the CSRF token and a fresh submission key.

The parts: bench.generate and bench.data (the data and its working copy), bench.server
(gunicorn, logging in, the processes' CPU and memory), bench.scenarios (what is measured, and
the target each is held to), bench.report (the verdicts and the tables).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime

from bench.data import attachment_file, working_copy
from bench.report import judge, judge_job, markdown, print_table
from bench.scenarios import (
    RSS_MB,
    measure,
    sample_scenarios,
    time_exports,
    time_letter_pdf,
    time_periodic_jobs,
)
from bench.server import (
    APP_PORT,
    BENCH_REDIS,
    HELLO_PORT,
    PYTHON,
    RESULTS,
    ROOT,
    csrf_for,
    environment,
    gunicorn,
    log_in,
    redis_available,
    worker_rss_mb,
)

# --------------------------------------------------------------------------------------
# Processes.


# --------------------------------------------------------------------------------------
# HTTP, for logging in and checking each scenario before measuring it.


# --------------------------------------------------------------------------------------
# Load.


# --------------------------------------------------------------------------------------
# What to ask for: sampled from the data, through the app's own code.


# --------------------------------------------------------------------------------------
# Verdicts and output.


# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the app served the production way.")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite (bench/results/bench.sqlite3)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", help="comma-separated scenario names (hello always runs)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing (Debian: apt-get install wrk)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(UTC).replace(microsecond=0)
    load_before = os.getloadavg()

    # 1. Data.
    generate = [PYTHON, "-m", "bench.generate", "--complaints", str(args.complaints)]
    if args.sqlite:
        sqlite_path = RESULTS / f"bench-{args.complaints}.sqlite3"
        generate += ["--sqlite", str(sqlite_path)]
        database_url = f"sqlite:///{sqlite_path}"
    else:
        database_url = "postgres://postgres@127.0.0.1:5432/klachten_bench"
        generate += ["--database-url", database_url]
    if args.regenerate:
        generate.append("--regenerate")
    print("== data")
    subprocess.run(generate, check=True, cwd=ROOT, env=environment(database_url, None))

    with working_copy(database_url) as run_url:
        return serve_and_measure(args, run_url, started_at=started_at, load_before=load_before)


def serve_and_measure(
    args: argparse.Namespace, database_url: str, *, started_at: datetime, load_before: tuple[float, float, float]
) -> int:
    redis_url = BENCH_REDIS if redis_available() else None
    env = environment(database_url, redis_url)
    os.environ.update({k: v for k, v in env.items() if k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LOG_LEVEL")})
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    import django

    django.setup()
    from django.conf import settings

    from bench.generate import BENCH_USERS, STAFF_PASSWORD
    from complaints.models import Complaint

    print("== static files")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], check=True, cwd=ROOT, env=env)
    complaints_before = Complaint.objects.count()
    notes: list[str] = []
    if not redis_url:
        notes.append("No Redis on 127.0.0.1:6379: cache in the database, tasks on the database queue.")

    # The hello view configures its own settings.
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    print("== serving")
    with (
        gunicorn("klachtenregeling.wsgi:application", APP_PORT, env, RESULTS / "gunicorn-app.log") as app,
        gunicorn("bench.hello:application", HELLO_PORT, hello_env, RESULTS / "gunicorn-hello.log"),
    ):
        cookies = {username: log_in(username, STAFF_PASSWORD) for username in BENCH_USERS}
        csrf_cookie, csrf_token = csrf_for("/klacht/")
        scenarios, scenario_notes = sample_scenarios(cookies)
        notes += scenario_notes
        form_env = {
            "BENCH_CSRF_TOKEN": csrf_token,
            "BENCH_DATE": datetime.now(UTC).date().isoformat(),
        }
        for s in scenarios:
            if s.kind == "form":
                s.cookie = f"csrftoken={csrf_cookie}"
                s.env = {**form_env, "BENCH_NONCE": secrets.token_hex(4)}
                if s.name == "form_post_attachment":
                    s.env["BENCH_ATTACHMENT"] = str(attachment_file())
        if args.only:
            chosen = {"hello", *args.only.split(",")}
            scenarios = [s for s in scenarios if s.name in chosen]
        # The form posts are measured last: the thousands of identical complaints they add would
        # otherwise be the newest rows of every list and search measured after them. The table
        # keeps the scenarios' order.
        measured = {}
        for s in sorted(scenarios, key=lambda s: s.kind == "form"):
            print(f"-- {s.label}", flush=True)
            measured[s.name] = measure(s, duration=args.duration, connections=args.connections)
        measurements = [measured[s.name] for s in scenarios]
        rss = worker_rss_mb(app)

    hello_rps = next(m.rps for m in measurements if m.name == "hello")
    for m in measurements:
        judge(m, hello_rps)
    posted = Complaint.objects.count() - complaints_before
    form_requests = sum(m.requests for m in measurements if m.kind == "form")
    if form_requests and posted < form_requests:
        notes.append(f"Only {posted} of {form_requests} form posts created a complaint.")

    print("== periodic jobs and letters", flush=True)
    jobs, job_notes = time_periodic_jobs()
    notes += job_notes
    for j in jobs:
        judge_job(j)
    letter, letter_note = time_letter_pdf()
    if letter_note:
        notes.append(letter_note)
    print("== exports", flush=True)
    exports = time_exports()

    from django.db import connection

    load_after = os.getloadavg()
    cpus = os.cpu_count() or 1
    if max(load_before[0], load_after[0]) > cpus:
        notes.append(
            f"Other work shared the machine: load average {load_before[0]:.1f} before and {load_after[0]:.1f} "
            f"after the run on {cpus} CPUs; the figures are lower than on an idle machine (the ratios to the "
            "hello view, measured in the same run, less so)."
        )
    result = {
        "started_at": started_at.isoformat(),
        "database": connection.vendor,
        "complaints": Complaint.objects.count(),
        "cpus": cpus,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "duration": args.duration,
        "connections": args.connections,
        "cache": settings.CACHES["default"]["BACKEND"],
        "tasks": settings.TASKS["default"]["BACKEND"],
        "http": [asdict(m) for m in measurements],
        "jobs": jobs,
        "letter": letter,
        "exports": exports,
        "worker_rss_mb": [round(x, 1) for x in rss],
        "rss_verdict": "PASS" if rss and max(rss) < RSS_MB else "MISS",
        "form_posts_stored": posted,
        "notes": notes,
    }
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    name = f"bench-{connection.vendor}-{result['complaints']}-{stamp}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    (RESULTS / f"{name}.md").write_text(markdown(result))
    shutil.copy(RESULTS / f"{name}.md", RESULTS / f"latest-{connection.vendor}.md")
    print_table(result)
    print(f"\nwritten: bench/results/{name}.json and .md")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    return 0


if __name__ == "__main__":
    sys.exit(main())
