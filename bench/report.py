"""The benchmark's verdicts and its tables, printed and written to bench/results/."""

from __future__ import annotations

from typing import Any

from bench.scenarios import (
    BACKOFFICE_P95_MS,
    FORM_P95_MS,
    HELLO_REFERENCE_RPS,
    REPORT_COMPUTED_MS,
    REPORT_SECONDS,
    RETENTION_DUE,
    RETENTION_SWEEP_SECONDS,
    RSS_MB,
    SWEEP_IDLE_SECONDS,
    Measurement,
)
from bench.server import CPU_COLUMNS


def judge(m: Measurement, hello_rps: float) -> None:
    m.share_of_hello = round(m.rps / hello_rps, 3) if hello_rps else None
    if m.errors or not m.requests:
        m.verdict = "INVALID"
        m.note = f"{m.errors} failed requests" if m.errors else "no request finished"
        return
    if m.kind in ("form", "page", "search"):
        floor = FORM_P95_MS if m.kind == "form" else BACKOFFICE_P95_MS
        # The floors hold on a machine whose hello view serves HELLO_REFERENCE_RPS.
        scaled = round(m.p95_ms * hello_rps / HELLO_REFERENCE_RPS, 1)
        m.target = f"p95 <= {floor} ms (scaled by hello: {scaled} ms)"
        ok = scaled <= floor
    elif m.kind == "report" and m.name == "report_computed":
        m.target = f"< {REPORT_COMPUTED_MS} ms"
        ok = m.p95_ms < REPORT_COMPUTED_MS
    elif m.kind == "report":
        m.target = f"< {REPORT_SECONDS:.0f} s"
        ok = m.p95_ms < REPORT_SECONDS * 1000
    else:
        return
    m.verdict = "PASS" if ok else "MISS"


def judge_job(job: dict[str, Any]) -> None:
    """A sweep with nothing due must be quick; the retention sweep also with RETENTION_DUE due."""
    ok = job["idle_seconds"] < SWEEP_IDLE_SECONDS
    job["target"] = f"< {SWEEP_IDLE_SECONDS:.0f} s idle"
    if job["name"] == "privacy.anonymise.anonymise_due":
        ok = ok and job["first_seconds"] < RETENTION_SWEEP_SECONDS
        job["target"] = f"{RETENTION_DUE:,} due < {RETENTION_SWEEP_SECONDS:.0f} s, " + job["target"]
    job["verdict"] = "PASS" if ok else "MISS"


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
            f"{j['target']} | {j['verdict']} |"
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
            f"nothing due {j['idle_seconds']} s  {j['verdict']} {j['target']}"
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
