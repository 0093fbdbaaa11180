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
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
APP_PORT = 8601
HELLO_PORT = 8602
# A Redis database of its own for the bench's cache and queue; emptied before each run.
BENCH_REDIS = "redis://127.0.0.1:6379/13"

# Targets of issue 9 (PostgreSQL, 1 M complaints, 8 concurrent connections).
FORM_SHARE_OF_HELLO = 0.15
FORM_P99_MS = 50
PAGE_P95_MS = 50
SEARCH_P95_MS = 100
REPORT_SECONDS = 1.0
# A report for any period, computed rather than read from the cache (issue: per-day aggregates).
REPORT_COMPUTED_MS = 300
SWEEP_IDLE_SECONDS = 5.0
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


# --------------------------------------------------------------------------------------
# Processes.


def environment(database_url: str, redis_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        # The sweeps log every complaint they touch; the benchmark wants only their totals.
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: the server on port {port} stopped (exit {process.returncode}); see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: nothing answers on port {port}")


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        PYTHON, "-m", "gunicorn", app,
        "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else os.devnull,
        "--error-logfile", str(log),
        "--timeout", "60",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_rss_mb(master: subprocess.Popen[bytes]) -> list[float]:
    """Resident memory of the gunicorn master's worker processes, from /proc."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master.pid) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


# --------------------------------------------------------------------------------------
# HTTP, for logging in and checking each scenario before measuring it.


def fetch(
    method: str,
    path: str,
    *,
    port: int = APP_PORT,
    cookie: str = "",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, str, list[str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    all_headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookie:
        all_headers["Cookie"] = cookie
    connection.request(method, path, body=body or None, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Location", ""), response.msg.get_all("Set-Cookie") or [], data


def cookies_from(set_cookies: list[str]) -> dict[str, str]:
    jar = {}
    for header in set_cookies:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def csrf_for(path: str, cookie: str = "") -> tuple[str, str]:
    """(cookie value, form token) from a page with a form."""
    status, _, set_cookies, data = fetch("GET", path, cookie=cookie)
    if status != 200:
        raise SystemExit(f"bench: GET {path} answered {status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
    jar = cookies_from(set_cookies)
    if token is None or "csrftoken" not in jar:
        raise SystemExit(f"bench: no CSRF token on {path}")
    return jar["csrftoken"], token.group(1).decode()


def log_in(username: str, password: str) -> str:
    csrf_cookie, token = csrf_for("/accounts/login/")
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    status, location, set_cookies, _ = fetch(
        "POST",
        "/accounts/login/",
        cookie=f"csrftoken={csrf_cookie}",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    session = cookies_from(set_cookies).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"bench: logging in as {username} failed ({status} {location})")
    cookie = f"sessionid={session}; csrftoken={csrf_cookie}"
    status, location, _, _ = fetch("GET", "/backoffice/", cookie=cookie)
    if status != 200:
        raise SystemExit(f"bench: {username} cannot open /backoffice/ after logging in ({status} {location})")
    return cookie


# --------------------------------------------------------------------------------------
# Load.


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
    return json.loads(line.removeprefix("BENCH-JSON "))


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


# Which process does what, from its command line: the app's and the hello view's gunicorn
# processes, PostgreSQL's server processes (backends and background workers) and Redis.
CPU_GROUPS = (
    ("app", "klachtenregeling.wsgi"),
    ("hello", "bench.hello"),
    ("postgresql", "postgres"),
    ("redis", "redis-server"),
)


CPU_COLUMNS = ("app", "hello", "postgresql", "redis", "wrk")


def cpu_seconds_by_process() -> dict[int, tuple[str, float]]:
    """(group, CPU seconds used so far) of each process of the groups running on this machine,
    from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = next((g for g, marker in CPU_GROUPS if marker in command), None)
        if group is not None:
            # utime and stime: the 14th and 15th fields, counted from the process id.
            processes[int(entry.name)] = (group, (int(stat[11]) + int(stat[12])) / ticks)
    return processes


def cpu_used_by_group(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds each group used between two readings: by the processes still running at the
    second (one started in between counts from zero; one that ended in between, such as a
    PostgreSQL backend of a closed connection, is left out rather than counted negative)."""
    used = dict.fromkeys((group for group, _marker in CPU_GROUPS), 0.0)
    for pid, (group, seconds) in after.items():
        earlier = before.get(pid)
        used[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
    return used


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


# --------------------------------------------------------------------------------------
# What to ask for: sampled from the data, through the app's own code.


def sampled_references() -> list[str]:
    """The complaints whose pages the benchmark asks for: up to 400 picked at random, the same
    ones in every run over the same data (bench.inprocess asks for them too)."""
    import random

    from complaints.models import Complaint

    rng = random.Random(9)
    top = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(400)]
    return list(Complaint.objects.filter(pk__in=ids).order_by("pk").values_list("reference", flat=True))


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


def time_periodic_jobs() -> tuple[list[dict[str, Any]], list[str]]:
    """Each sweep twice over the data, inside a transaction that is rolled back so the data
    stays as generated: the first run does what is due, the second finds nothing due."""
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

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
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


# --------------------------------------------------------------------------------------
# Verdicts and output.


def judge(m: Measurement, hello_rps: float) -> None:
    m.share_of_hello = round(m.rps / hello_rps, 3) if hello_rps else None
    if m.errors or not m.requests:
        m.verdict = "INVALID"
        m.note = f"{m.errors} failed requests" if m.errors else "no request finished"
        return
    if m.kind == "form":
        m.target = f">= {FORM_SHARE_OF_HELLO:.0%} of hello, p99 < {FORM_P99_MS} ms"
        ok = (m.share_of_hello or 0) >= FORM_SHARE_OF_HELLO and m.p99_ms < FORM_P99_MS
    elif m.kind == "page":
        m.target = f"p95 < {PAGE_P95_MS} ms"
        ok = m.p95_ms < PAGE_P95_MS
    elif m.kind == "search":
        m.target = f"p95 < {SEARCH_P95_MS} ms"
        ok = m.p95_ms < SEARCH_P95_MS
    elif m.kind == "report" and m.name == "report_computed":
        m.target = f"< {REPORT_COMPUTED_MS} ms"
        ok = m.p95_ms < REPORT_COMPUTED_MS
    elif m.kind == "report":
        m.target = f"< {REPORT_SECONDS:.0f} s"
        ok = m.p95_ms < REPORT_SECONDS * 1000
    else:
        return
    m.verdict = "PASS" if ok else "MISS"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark {result['started_at']} — {result['database']}, {result['complaints']:,} complaints",
        "",
        f"gunicorn 2 sync workers, wrk {result['connections']} connections, {result['duration']} s per scenario, "
        f"{result['cpus']} CPUs.",
        "",
        "| scenario | req/s | × hello | p50 ms | p95 ms | p99 ms | target | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for m in result["http"]:
        share = f"{m['share_of_hello']:.3f}" if m["share_of_hello"] is not None else ""
        lines.append(
            f"| {m['label']} | {m['rps']:,.0f} | {share} | {m['p50_ms']} | {m['p95_ms']} | {m['p99_ms']} | "
            f"{m['target']} | {m['verdict']} {m['note']} |"
        )
    lines += ["", "| job | first run | nothing due | target | verdict |", "| --- | --- | --- | --- | --- |"]
    for j in result["jobs"]:
        lines.append(
            f"| {j['label']} | {j['first_seconds']} s ({j['first_result']}) | {j['idle_seconds']} s | "
            f"< {SWEEP_IDLE_SECONDS:.0f} s idle | {j['verdict']} |"
        )
    if result.get("letter"):
        lines.append(
            f"| rendering one letter PDF | {result['letter']['first_seconds']} s | "
            f"{result['letter']['warm_seconds']} s warm | | |"
        )
    if result.get("exports"):
        lines += [
            "",
            "| export made by the worker | rows | seconds | rows/s | status |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for e in result["exports"]:
            lines.append(
                f"| {e['label']} | {e['rows']:,} | {e['seconds']} | {e['rows_per_second']:,} | {e['status']} |"
            )
    lines += [
        "",
        "CPU milliseconds per request, by process (the machine has "
        f"{result['cpus']} CPUs: their sum caps the throughput at {result['cpus']} × 1000 / total req/s):",
        "",
        "| scenario | app | hello | PostgreSQL | Redis | wrk | total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in result["http"]:
        if m["cpu_ms"]:
            cells = " | ".join(f"{m['cpu_ms'].get(group, 0):.2f}" for group in CPU_COLUMNS)
            lines.append(f"| {m['label']} | {cells} | {sum(m['cpu_ms'].values()):.2f} |")
    rss = result["worker_rss_mb"]
    lines += [
        "",
        f"Web worker RSS after the run: {', '.join(f'{x:.0f} MB' for x in rss)} "
        f"(target < {RSS_MB} MB: {result['rss_verdict']}).",
    ]
    if result["notes"]:
        lines += ["", *[f"- {n}" for n in result["notes"]]]
    return "\n".join(lines) + "\n"


def print_table(result: dict[str, Any]) -> None:
    print()
    print(f"{'scenario':<44} {'req/s':>8} {'×hello':>7} {'p50':>7} {'p95':>7} {'p99':>7}  verdict")
    for m in result["http"]:
        share = f"{m['share_of_hello']:.3f}" if m["share_of_hello"] is not None else ""
        print(
            f"{m['label'][:44]:<44} {m['rps']:>8.1f} {share:>7} {m['p50_ms']:>7.1f} {m['p95_ms']:>7.1f} "
            f"{m['p99_ms']:>7.1f}  {m['verdict']} {m['target']} {m['note']}"
        )
    for j in result["jobs"]:
        print(
            f"{j['label']:<44} first {j['first_seconds']} s ({j['first_result']}), "
            f"nothing due {j['idle_seconds']} s  {j['verdict']}"
        )
    if result.get("letter"):
        letter = result["letter"]
        print(f"{'rendering one letter PDF':<44} {letter['first_seconds']} s, warm {letter['warm_seconds']} s")
    for e in result.get("exports") or []:
        print(
            f"{e['label'][:44]:<44} {e['rows']:,} rows in {e['seconds']} s: "
            f"{e['rows_per_second']:,} rows/s  {e['status']}"
        )
    print(f"{'web worker RSS':<44} {result['worker_rss_mb']} MB  {result['rss_verdict']}")
    print()
    print(f"{'CPU ms per request':<44} {'app':>7} {'hello':>7} {'pg':>7} {'redis':>7} {'wrk':>7} {'total':>7}")
    for m in result["http"]:
        if m["cpu_ms"]:
            cpu = m["cpu_ms"]
            print(
                f"{m['label'][:44]:<44} "
                + " ".join(f"{cpu.get(group, 0):>7.2f}" for group in CPU_COLUMNS)
                + f" {sum(cpu.values()):>7.2f}"
            )
    for note in result["notes"]:
        print(f"note: {note}")


# --------------------------------------------------------------------------------------


def attachment_file() -> Path:
    """A 250 kB PDF-shaped file, as the upload check sees a scanned letter."""
    path = RESULTS / "attachment.pdf"
    if not path.exists():
        filler = b"".join(b"%% scanned page data %06d\n" % i for i in range(10_000))
        path.write_bytes(b"%PDF-1.4\n" + filler[:250_000] + b"\n%%EOF\n")
    return path


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


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


@contextmanager
def working_copy(database_url: str) -> Iterator[str]:
    """A copy of the generated data for this run, dropped afterwards: the complaints a run
    posts would otherwise pile up as the newest rows and skew the next run's lists."""
    if database_url.startswith("sqlite:///"):
        source = Path(database_url.removeprefix("sqlite:///"))
        copy = source.with_name(source.stem + "-run.sqlite3")
        shutil.copy(source, copy)
        try:
            yield f"sqlite:///{copy}"
        finally:
            copy.unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    base, source_name = database_url.rsplit("/", 1)
    copy_name = source_name + "_run"
    print("== working copy of the data")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy_name)))
        # FILE_COPY: the files as they are, with the visibility map the generator's VACUUM built.
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(copy_name), sql.Identifier(source_name)
            )
        )
    try:
        yield f"{base}/{copy_name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy_name)))


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
        j["verdict"] = "PASS" if j["idle_seconds"] < SWEEP_IDLE_SECONDS else "MISS"
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
