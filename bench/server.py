"""Serving the app for the benchmark: gunicorn on loopback, logging in over HTTP, and the CPU
and memory the processes use."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


BENCH = ROOT / "bench"


RESULTS = BENCH / "results"


PYTHON = sys.executable


APP_PORT = 8601


HELLO_PORT = 8602


# A Redis database of its own for the bench's cache and queue; emptied before each run.
BENCH_REDIS = "redis://127.0.0.1:6379/13"


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


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


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
