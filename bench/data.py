"""The benchmark's data: a copy of the generated database per run (bench.generate builds it),
and samples of it for the scenarios."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import RESULTS


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


def sampled_references() -> list[str]:
    """The complaints whose pages the benchmark asks for: up to 400 picked at random, the same
    ones in every run over the same data (bench.inprocess asks for them too)."""
    import random

    from complaints.models import Complaint

    rng = random.Random(9)
    top = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(400)]
    return list(Complaint.objects.filter(pk__in=ids).order_by("pk").values_list("reference", flat=True))


def attachment_file() -> Path:
    """A 250 kB PDF-shaped file, as the upload check sees a scanned letter."""
    path = RESULTS / "attachment.pdf"
    if not path.exists():
        filler = b"".join(b"%% scanned page data %06d\n" % i for i in range(10_000))
        path.write_bytes(b"%PDF-1.4\n" + filler[:250_000] + b"\n%%EOF\n")
    return path
