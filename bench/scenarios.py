"""What the benchmark measures: the pages and the form driven by wrk, the reports one at a time,
the periodic jobs, the exports and a letter, with the targets each is held to."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode

from bench.data import sampled_references
from bench.server import APP_PORT, BENCH, HELLO_PORT, RESULTS, cpu_seconds_by_process, cpu_used_by_group, fetch

# The floors the app holds (docs/architecture.md): PostgreSQL, 1 M complaints, 8 connections,
# on a machine whose hello view serves HELLO_REFERENCE_RPS; a figure measured on a slower or
# busier machine is scaled by (hello req/s / HELLO_REFERENCE_RPS) before it is judged.
HELLO_REFERENCE_RPS = 6000
BACKOFFICE_P95_MS = 100  # every back-office page and search
FORM_P95_MS = 50


REPORT_SECONDS = 1.0


# A report for any period, computed from the per-day figures rather than read from the cache.
REPORT_COMPUTED_MS = 300


SWEEP_IDLE_SECONDS = 5.0
# The retention sweep of RETENTION_DUE due complaints, each in its own transaction.
RETENTION_SWEEP_SECONDS = 10.0


RSS_MB = 150


@dataclass
class Scenario:
    name: str
    label: str
    kind: str  # "page", "search", "form", "hello", "report"
    paths: list[str] = field(default_factory=list)
    cookie: str = ""
    script: str = "report.lua"
    env: dict[str, str] = field(default_factory=dict)
    port: int = APP_PORT
    expect: int = 200
    # False: every path is asked for once, so nothing comes from a cache the check filled.
    warm_up: bool = True


@dataclass
class Measurement:
    name: str
    label: str
    kind: str
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    # CPU milliseconds per request, by process group (app workers, PostgreSQL, Redis, wrk).
    cpu_ms: dict[str, float] = field(default_factory=dict)
    share_of_hello: float | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""


def run_wrk(scenario: Scenario, *, duration: int, connections: int) -> dict[str, Any]:
    env = {**os.environ, "BENCH_LUA_DIR": str(BENCH / "wrk"), **scenario.env}
    paths_file = None
    if len(scenario.paths) > 1:
        paths_file = RESULTS / f"paths-{scenario.name}.txt"
        paths_file.write_text("\n".join(scenario.paths) + "\n")
        env["BENCH_PATHS"] = str(paths_file)
    command = [
        "wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{duration}s",
        "--timeout", "10s", "--latency", "--script", str(BENCH / "wrk" / scenario.script),
    ]  # fmt: skip
    if scenario.cookie:
        command += ["--header", f"Cookie: {scenario.cookie}"]
    command.append(f"http://127.0.0.1:{scenario.port}{scenario.paths[0] if scenario.paths else '/'}")
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next((x for x in output.splitlines() if x.startswith("BENCH-JSON ")), None)
    if line is None:
        raise SystemExit(f"bench: wrk gave no result for {scenario.name}:\n{output}")
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH-JSON "))
    return result


def measure(scenario: Scenario, *, duration: int, connections: int) -> Measurement:
    # Check the scenario answers as it should before timing it, and warm the workers up.
    for path in scenario.paths[:3] or ["/"]:
        if scenario.kind == "form" or not scenario.warm_up:
            break
        status, location, _, _ = fetch("GET", path, port=scenario.port, cookie=scenario.cookie)
        if status != scenario.expect:
            raise SystemExit(f"bench: {scenario.name}: GET {path} answered {status} {location}")
    if scenario.kind == "report":
        return measure_sequentially(scenario)
    run_wrk(scenario, duration=1, connections=connections)
    cpu_before, wrk_before = cpu_seconds_by_process(), resource.getrusage(resource.RUSAGE_CHILDREN)
    raw = run_wrk(scenario, duration=duration, connections=connections)
    cpu_after, wrk_after = cpu_seconds_by_process(), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_used_by_group(cpu_before, cpu_after)
    cpu["wrk"] = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts"))
    return Measurement(
        name=scenario.name,
        label=scenario.label,
        kind=scenario.kind,
        requests=raw["requests"],
        seconds=round(seconds, 2),
        rps=round(raw["requests"] / seconds, 1),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        errors=errors,
        cpu_ms={group: round(used / raw["requests"] * 1000, 2) for group, used in cpu.items()}
        if raw["requests"]
        else {},
    )


def measure_sequentially(scenario: Scenario, repeat: int = 5) -> Measurement:
    """A page one person asks for now and then (a year's report): one request at a time, over
    the scenario's paths in turn."""
    times = []
    for index in range(repeat):
        started = time.perf_counter()
        path = scenario.paths[index % len(scenario.paths)]
        status, _, _, _ = fetch("GET", path, port=scenario.port, cookie=scenario.cookie)
        times.append(time.perf_counter() - started)
        if status != scenario.expect:
            raise SystemExit(f"bench: {scenario.name} answered {status}")
    times.sort()
    return Measurement(
        name=scenario.name,
        label=f"{scenario.label} (one at a time)",
        kind=scenario.kind,
        requests=repeat,
        seconds=round(sum(times), 2),
        rps=round(repeat / sum(times), 1),
        p50_ms=round(times[len(times) // 2] * 1000, 1),
        p95_ms=round(times[-1] * 1000, 1),
        p99_ms=round(times[-1] * 1000, 1),
    )


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[list[float], Any]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return times, value


def sample_scenarios(cookies: dict[str, str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios, with paths sampled from the data; and notes on what could not be measured."""
    import random

    from django.urls import NoReverseMatch, reverse

    from bench.generate import LAST_NAMES, OBJECTS
    from complaints.forms import ComplaintFilterForm
    from complaints.models import Complaint
    from lib.pagination import encode_cursor

    rng = random.Random(9)
    notes: list[str] = []
    qm = cookies["bench_kwaliteit"]
    list_url = reverse("complaints:list")
    top = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    references = sampled_references()
    filters: list[str] = []
    form = ComplaintFilterForm()
    for name, form_field in form.fields.items():
        for value, _label in getattr(form_field, "choices", []):
            if value not in ("", None) and not isinstance(value, (list, tuple)):
                filters.append(f"{list_url}?{urlencode({name: value})}")
    middle = Complaint.objects.order_by("-received_at", "-pk").values_list("received_at", "pk")[top // 2 : top // 2 + 1]
    deep = [f"{list_url}?{urlencode({'cursor': encode_cursor(m, pk)})}" for m, pk in middle]
    names = [n.replace("-", " ") for n in LAST_NAMES]
    rng.shuffle(names)
    scenarios = [
        Scenario("hello", "hello-world Django view (ceiling)", "hello", ["/"], port=HELLO_PORT),
        Scenario(
            "form_post",
            "public form POST",
            "form",
            ["/klacht/"],
            script="form_post.lua",
            expect=302,
        ),
        Scenario(
            "form_post_attachment",
            "public form POST with a 250 kB PDF",
            "form",
            ["/klacht/"],
            script="form_post.lua",
            expect=302,
        ),
        Scenario("my_work", 'quality manager\'s "my work"', "page", [reverse("complaints:home")], cookie=qm),
        Scenario("list", "complaint list, newest first", "page", [list_url], cookie=qm),
        Scenario("list_filtered", "complaint list with a filter", "page", filters or [list_url], cookie=qm),
        Scenario("list_deep_page", "complaint list, a page in the middle", "page", deep or [list_url], cookie=qm),
        Scenario(
            "detail",
            "complaint detail",
            "page",
            [reverse("complaints:detail", args=[r]) for r in references],
            cookie=qm,
        ),
        Scenario(
            "search_reference",
            "search by reference",
            "search",
            [f"{list_url}?{urlencode({'q': r})}" for r in references],
            cookie=qm,
        ),
        Scenario(
            "search_name",
            "search by name",
            "search",
            [f"{list_url}?{urlencode({'q': n})}" for n in names],
            cookie=qm,
        ),
        Scenario(
            "search_word",
            "search by a word from the description",
            "search",
            [f"{list_url}?{urlencode({'q': w})}" for w in OBJECTS],
            cookie=qm,
        ),
    ]
    try:
        report_url = reverse("reports:index")
    except NoReverseMatch:
        notes.append("The reports page does not exist yet: not measured.")
    else:
        year = datetime.now(UTC).year - 1
        # Computed: five periods of almost a year that no one asked for before (the cache holds a
        # report per period); from the cache: last year, asked for again.
        fresh = [f"{report_url}?van={year}-01-{day:02d}&tot={year}-12-31" for day in range(1, 6)]
        scenarios += [
            Scenario(
                "report_computed", f"reports page, a custom period of {year}, computed", "report", fresh,
                cookie=qm, warm_up=False,
            ),
            Scenario("report_cached", f"reports page for {year}, from the cache", "report",
                     [f"{report_url}?p={year}"], cookie=qm),
        ]  # fmt: skip
    return scenarios, notes


# The retention sweep anonymises this many complaints, made due for it first (and put back after).
RETENTION_DUE = 1000


def make_due_for_retention(count: int) -> None:
    """Move the closing of `count` closed complaints back past the retention period, so the
    retention sweep has them to do, as a month's worth of a large organisation."""
    from complaints.models import Complaint, Status
    from privacy.anonymise import retention_cutoff

    long_ago = retention_cutoff() - timedelta(days=30)
    chosen = list(
        Complaint.objects.filter(status=Status.CLOSED, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    Complaint.objects.filter(pk__in=chosen).update(closed_at=long_ago)


def time_periodic_jobs() -> tuple[list[dict[str, Any]], list[str]]:
    """Each sweep twice over the data, inside a transaction that is rolled back so the data
    stays as generated: the first run does what is due, the second finds nothing due. The
    retention sweep first gets RETENTION_DUE complaints to anonymise."""
    from django.conf import settings
    from django.db import transaction
    from django.utils.module_loading import import_string

    wanted = {
        "deadlines.jobs.send_reminders": "reminder and escalation sweep",
        "privacy.anonymise.anonymise_due": "retention sweep",
    }
    rows, notes = [], []
    for path, label in wanted.items():
        if path not in settings.PERIODIC_JOBS:
            notes.append(f"{path} is not a periodic job (yet): not timed.")
            continue
        job = import_string(path)
        if path == "privacy.anonymise.anonymise_due":
            job = partial(job, limit=RETENTION_DUE)

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                if path == "privacy.anonymise.anonymise_due":
                    make_due_for_retention(RETENTION_DUE)
                (first,), done = timed(job)
                (second,), again = timed(job)
                raise Rollback
        except Rollback:
            pass
        rows.append(
            {
                "name": path,
                "label": label,
                "first_seconds": round(first, 3),
                "first_result": str(done),
                "idle_seconds": round(second, 3),
                "idle_result": str(again),
            }
        )
    return rows, notes


def time_exports() -> list[dict[str, Any]]:
    """The anonymised list of last year's complaints as the worker makes it, as CSV and as
    XLSX: seconds and rows per second. The exports and their files are removed afterwards."""
    from accounts.models import User
    from reports import periods
    from reports.export_jobs import make_export, request_export
    from reports.models import ReportExport

    user = User.objects.get(username="bench_kwaliteit")
    period = periods.year(datetime.now(UTC).year - 1)
    rows = []
    for fmt in ("csv", "xlsx"):
        export = request_export(user=user, period=period, fmt=fmt)
        if export.status != "queued":  # one left over from an interrupted run
            export.file.delete(save=False)
            export.delete()
            export = request_export(user=user, period=period, fmt=fmt)
        (seconds,), _none = timed(lambda: make_export(export.pk))  # noqa: B023  (called at once)
        export = ReportExport.objects.get(pk=export.pk)
        rows.append(
            {
                "label": f"anonymised list of {period.label} as {fmt.upper()}",
                "status": export.status,
                "rows": export.rows_done,
                "seconds": round(seconds, 2),
                "rows_per_second": round(export.rows_done / seconds) if seconds else None,
            }
        )
        export.file.delete(save=False)
        export.delete()
    return rows


def time_letter_pdf() -> tuple[dict[str, Any] | None, str]:
    from django.apps import apps
    from django.db import transaction

    if not apps.is_installed("correspondence"):
        return None, "The correspondence app does not exist yet: no letter rendered."
    from accounts.models import User
    from complaints.models import Complaint
    from correspondence.renderer import generate
    from correspondence.services import draft_letter

    user = User.objects.get(username="bench_kwaliteit")
    from correspondence.services import letter_offers

    # A letter the complaint's state calls for now, e.g. the confirmation after a call.
    offer, complaint = None, None
    for complaint in Complaint.objects.filter(status="in_progress", first_contact_at__isnull=False).order_by("-pk")[
        :50
    ]:
        offer = next(iter(letter_offers(complaint)), None)
        if offer is not None:
            break
    if offer is None or complaint is None:
        return None, "No complaint that calls for a letter now: no letter rendered."

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            letter = draft_letter(complaint=complaint, kind=offer.kind, by=user, contact=offer.contact)
            times, (_name, _type, pdf) = timed(lambda: generate(letter), repeat=3)
            raise Rollback
    except Rollback:
        pass
    return {
        "kind": str(offer.kind),
        "first_seconds": round(times[0], 3),
        "warm_seconds": round(min(times[1:]), 3),
        "bytes": len(pdf),
    }, ""
