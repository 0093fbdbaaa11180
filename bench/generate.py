"""Realistic data at scale: ten years of complaints with their timelines, attachments'
metadata, contacts, agreements, letters and classifications, written with bulk inserts (COPY on PostgreSQL).

    python -m bench.generate --complaints 1000000            # PostgreSQL database klachten_bench
    python -m bench.generate --complaints 50000 --sqlite PATH
    python -m bench.generate ... --regenerate                # drop everything and start again

Data that exists is reused: the database is migrated, then every table that is still empty
is filled, so a table added by a later migration is filled without regenerating the rest.

1. Complaints are generated in order of receipt (ids ascend with received_at, as in real
   life), each with the moments of the steps it went through; 5 % are still open, most of
   them recent. Closed complaints older than the retention period are anonymised.
2. Every dependent table is derived from the complaints as stored, so each can be filled on
   its own later.
3. The reminder and retention sweeps run once, as they would have run all along, so the
   benchmark times them in the steady state of a real installation.

Outbox messages of the past are not generated: the outbox page reads its own table by its
own index, and its rows do not touch the pages and sweeps measured here.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Model

BENCH_DB = "klachten_bench"
SEED = 20261124
YEARS = 10
OPEN_SHARE = 0.05
STAFF_PASSWORD = "bench-password-0123456789"  # noqa: S105 (bench accounts on loopback)

FIRST_NAMES = """
Jan Piet Kees Anna Maria Sophie Emma Lotte Daan Sem Lucas Finn Julia Sara Eva Noah Liam Tess Fleur Ruben Thijs
Lars Bram Jesse Milan Sanne Iris Lisa Femke Anouk Willem Hendrik Johannes Cornelis Gerrit Wilma Ingrid Marieke
Esther Linda Peter Mark Erik Frank Hans Karin Monique Petra Ria Henk Ahmed Fatima Mohamed Yasmina Mehmet Ayse
Priya Raj Wei Mei Kofi Ama Dirk Joost Maarten Roos Nina Mila Zoë Sven Timo Stijn
""".split()
LAST_NAMES = """
Jansen de-Vries van-den-Berg van-Dijk Bakker Janssen Visser Smit Meijer de-Boer Mulder de-Groot Bos Vos Peters
Hendriks van-Leeuwen Dekker Brouwer de-Wit Dijkstra Smits de-Graaf van-der-Meer van-der-Linden Kok Jacobs
de-Haan Vermeulen van-den-Heuvel van-der-Veen van-den-Broek de-Bruijn de-Bruin van-der-Heijden Schouten
van-Beek Willems van-Vliet van-de-Ven Hoekstra Maas Verhoeven Koster van-Dam van-der-Wal Prins Blom Huisman
Peeters de-Jong Kuipers van-Wijk Postma Kuiper Veenstra Kramer van-den-Brink Scholten van-Wijngaarden Post
Martens Vink de-Ruiter Timmermans Groen Gerritsen Jonker van-Loon Boer van-der-Velde Willemsen Smeets de-Lange
de-Vos Bosch van-Dongen Evers Yilmaz El-Amrani Bouali Kaya Öztürk Pinas Sewdien
""".split()
COMPANIES = (
    "",
    "",
    "",
    "Bakkerij De Korenschoof",
    "Zorggroep Noord",
    "Van Dam Installatietechniek",
    "Gemeente Zaanstad",
)
SUBJECTS = (
    "De monteur",
    "De medewerker van de klantenservice",
    "Mijn begeleider",
    "De planning",
    "De factuur",
    "De telefonist",
    "Uw website",
    "De bezorger",
    "De teamleider",
    "Het afsprakenbureau",
    "De schoonmaakdienst",
)
PROBLEMS = (
    "kwam niet opdagen",
    "was onbeleefd",
    "heeft mijn vraag niet beantwoord",
    "kwam twee uur te laat",
    "klopt niet",
    "heeft de afspraak zonder bericht verzet",
    "liet de boel rommelig achter",
    "heeft verkeerde informatie gegeven",
    "reageert al weken niet",
    "heeft mij drie keer doorverbonden",
)
# Things complaints are about; each appears in roughly 1 in 200 descriptions, which is what
# a search for one word from a description has to find.
OBJECTS = """
thermostaat wasmachine rolstoel traplift koelkast rookmelder deurbel cv-ketel boiler douchestoel tillift
scootmobiel alarmknop medicijnrol rollator hoortoestel waterkoker zonnescherm dakgoot kozijn brievenbus
fietsenstalling parkeerplaats lift trapleuning badkamer keuken meterkast vaatwasser droger oven magnetron
televisie router telefoon tablet laptop printer sleutel toegangspas intercom
""".split()
TIMES = ("vorige week", "gisteren", "afgelopen maandag", "op dinsdagochtend", "al drie keer", "deze maand")
RESOLUTIONS = (
    "Excuses aangeboden en nieuwe afspraak gemaakt.",
    "Factuur gecorrigeerd.",
    "Werkwijze met het team besproken.",
    "Uitleg gegeven; klager is tevreden.",
    "Vergoeding toegekend.",
    "Planning aangepast.",
)
AGREEMENTS = (
    "Nieuwe afspraak inplannen",
    "Gecorrigeerde factuur sturen",
    "Teamoverleg over bejegening",
    "Terugbellen na herstel",
    "Vergoeding overmaken",
    "Werkinstructie aanpassen",
)
# Shares of the channels and of the outcomes of closed complaints.
CHANNELS = (("web", 0.6), ("phone", 0.2), ("letter", 0.12), ("email", 0.08))
OUTCOMES = (("well_founded", 0.35), ("partly_well_founded", 0.3), ("unfounded", 0.35))


def weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for value, share in choices:
        roll -= share
        if roll < 0:
            return value
    return choices[-1][0]


# --------------------------------------------------------------------------------------
# Writing rows: COPY on PostgreSQL, executemany on SQLite, both from the model's columns.


MISSING = object()


class Table:
    """A model's concrete columns, with a value for every column a generator leaves out
    (the field's default, else NULL or blank), so new fields added by later migrations
    do not break the generator."""

    def __init__(self, model: type[Model]) -> None:
        from django.db import models as m

        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.fallback: list[Any] = []
        for f in self.fields:
            if f.has_default():
                value = f.get_default()
            elif f.null or f.primary_key:
                value = None
            elif isinstance(f, (m.CharField, m.TextField)):
                value = ""
            elif isinstance(f, m.BooleanField):
                value = False
            elif isinstance(f, (m.DateTimeField)) and (f.auto_now or f.auto_now_add):
                value = datetime.now(UTC)
            else:
                value = MISSING
            self.fallback.append(value)

    def tuples(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        pairs = list(zip(self.attnames, self.fallback, strict=True))
        for row in rows:
            values = tuple(row.get(name, default) for name, default in pairs)
            if MISSING in values:
                missing = [name for name, value in zip(self.attnames, values, strict=True) if value is MISSING]
                raise SystemExit(f"{self.name}: the generator does not know the required column(s) {missing}")
            yield values


class Writer:
    def write(self, table: Table, rows: Iterable[dict[str, Any]], total: int | None = None) -> int:
        raise NotImplementedError

    def count(self, model: type[Model]) -> int:
        return model._default_manager.count()

    def finish(self, models: list[type[Model]]) -> None:
        """Reset the id sequences past the ids written explicitly."""
        from django.core.management.color import no_style
        from django.db import connection

        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def settle(self) -> None:
        """After the catch-up sweeps: fresh planner statistics."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def progress(rows: Iterable[dict[str, Any]], label: str, total: int | None) -> Iterator[dict[str, Any]]:
    from tqdm import tqdm

    yield from tqdm(rows, desc=f"{label:<24}", total=total, unit=" rows", mininterval=1, smoothing=0.1)


class PostgresWriter(Writer):
    def __init__(self) -> None:
        import psycopg
        from django.db import connection

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.raw = psycopg.connect(**{k: v for k, v in params.items() if k != "prepare_threshold"}, autocommit=False)
        with self.raw.cursor() as cursor:
            # Bulk loading: losing this data in a crash costs a rerun, nothing else.
            cursor.execute("SET synchronous_commit = off")

    def write(self, table: Table, rows: Iterable[dict[str, Any]], total: int | None = None) -> int:
        from django.db import models as m
        from psycopg.types.json import Jsonb

        json_positions = [i for i, f in enumerate(table.fields) if isinstance(f, m.JSONField)]
        written = 0
        columns = ", ".join(f'"{c}"' for c in table.columns)
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for values in table.tuples(progress(rows, table.name, total)):
                if json_positions:
                    values = list(values)  # type: ignore[assignment]
                    for i in json_positions:
                        values[i] = Jsonb(values[i])  # type: ignore[index]
                copy.write_row(values)
                written += 1
        self.raw.commit()
        return written

    def finish(self, models: list[type[Model]]) -> None:
        self.raw.close()
        super().finish(models)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def settle(self) -> None:
        """Leave the tables as autovacuum keeps those of a database in use: planner statistics
        up to date and the visibility map set, so that covering indexes answer counts without
        reading the table. Bulk-loaded rows have neither until autovacuum gets round to them."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


class SQLiteWriter(Writer):
    def write(self, table: Table, rows: Iterable[dict[str, Any]], total: int | None = None) -> int:
        from django.db import connection, transaction

        placeholders = ", ".join(["%s"] * len(table.columns))
        columns = ", ".join(f'"{c}"' for c in table.columns)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'
        prep: list[Callable[[Any], Any]] = [
            (lambda v, f=f: f.get_db_prep_save(v, connection))  # type: ignore[misc]
            for f in table.fields
        ]
        written = 0
        batch: list[list[Any]] = []
        with transaction.atomic(), connection.cursor() as cursor:
            for values in table.tuples(progress(rows, table.name, total)):
                batch.append([convert(v) for convert, v in zip(prep, values, strict=True)])
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written


# --------------------------------------------------------------------------------------
# Staff.


@dataclass
class Staff:
    quality_managers: list[int]
    responsible: list[int]
    back_office: list[int]


BENCH_USERS = {
    # username: role; these log in during the benchmark.
    "bench_kwaliteit": "kwaliteitsmanager",
    "bench_directie": "verantwoordelijke",
    "bench_backoffice": "backoffice",
}


def ensure_staff() -> Staff:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.models import User

    password = make_password(STAFF_PASSWORD)
    wanted: list[tuple[str, str, str, str]] = [
        (u, r, u.split("_")[1].capitalize(), "Bench") for u, r in BENCH_USERS.items()
    ]
    rng = random.Random(SEED)
    for i in range(2):
        wanted.append((f"kwaliteit{i}", "kwaliteitsmanager", rng.choice(FIRST_NAMES), "Kwaliteit"))
    for i in range(40):
        wanted.append((f"manager{i:02d}", "verantwoordelijke", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
    for i in range(10):
        wanted.append((f"balie{i}", "backoffice", rng.choice(FIRST_NAMES), "Balie"))
    groups = {g.name: g for g in Group.objects.all()}
    staff = Staff([], [], [])
    for username, role, first, last in wanted:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last.replace("-", " "),
                "email": f"{username}@supportoplus.nl",
                "password": password,
            },
        )
        user.groups.add(groups[role])
        {
            "kwaliteitsmanager": staff.quality_managers,
            "verantwoordelijke": staff.responsible,
            "backoffice": staff.back_office,
        }[role].append(user.pk)
    return staff


# --------------------------------------------------------------------------------------
# Complaints.


def deadline_table(start: date, end: date) -> dict[date, tuple[date, date, date]]:
    from deadlines.rules import deadlines_for
    from organisation.models import OrganisationSettings
    from organisation.selectors import closure_days, get_organisation

    organisation: OrganisationSettings = get_organisation()
    closed = closure_days()
    table = {}
    day = start
    while day <= end:
        d = deadlines_for(received_on=day, organisation=organisation, closure_days=closed)
        table[day] = (d.acknowledge, d.contact, d.resolve)
        day += timedelta(days=1)
    return table


def retention_cutoff(now: datetime) -> datetime:
    """Complaints closed before this moment are past their retention period: the privacy
    app's own rule when it exists, else the period in average months."""
    try:
        from privacy.anonymise import retention_cutoff as privacy_cutoff
    except ImportError:
        from organisation.selectors import get_organisation

        return now - timedelta(days=get_organisation().retention_months * 30.44)
    return privacy_cutoff(now=now)


def complaint_rows(
    count: int, staff: Staff, now: datetime, about: list[tuple[int, int]] | None = None
) -> Iterator[dict[str, Any]]:
    """1. Spread `count` receipts evenly over ten years, in order.
    2. Decide each one's fate: open (recent ones far more often), withdrawn, or closed.
    3. Fill in the moments of the steps it went through, within its deadlines mostly.

    The staff members a complaint is about (a few percent) go to `about` as (complaint, user)."""
    from zoneinfo import ZoneInfo

    amsterdam = ZoneInfo("Europe/Amsterdam")
    rng = random.Random(SEED)
    start = now - timedelta(days=365 * YEARS)
    span = (now - start).total_seconds() - 3600
    deadlines = deadline_table(start.astimezone(amsterdam).date(), now.astimezone(amsterdam).date())
    retention = retention_cutoff(now)
    sequences: dict[int, int] = {}
    # Open complaints: mostly the last weeks, a tail of long-running ones; calibrated so that
    # about OPEN_SHARE of all complaints are open.
    recent_days = 45
    per_day = count / (365 * YEARS)
    tail = max(0.0, (OPEN_SHARE * count - 0.9 * recent_days * per_day) / count)
    for i in range(count):
        received_at = start + timedelta(seconds=(i + rng.random()) * span / count)
        local = received_at.astimezone(amsterdam)
        received_on = local.date()
        year = received_on.year
        sequences[year] = sequences.get(year, 0) + 1
        age_days = (now - received_at).total_seconds() / 86400
        ack_due, contact_due, resolve_due = deadlines[received_on]
        channel = weighted(rng, CHANNELS)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace("-", " ")
        name = f"{first} {last}"
        thing = rng.choice(OBJECTS)
        description = (
            f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)} {rng.choice(TIMES)}. Het ging om de {thing}. "
            f"Ik verwacht dat dit wordt opgelost en dat ik word teruggebeld."
        )
        row: dict[str, Any] = {
            "id": i + 1,
            "reference": f"KL-{year}-{sequences[year]:05d}",
            "receipt_year": year,
            "sequence": sequences[year],
            "channel": channel,
            "received_at": received_at,
            "registered_at": received_at if channel == "web" else received_at + timedelta(minutes=rng.randint(1, 600)),
            "registered_by_id": None if channel in ("web", "email") else rng.choice(staff.back_office),
            "received_by_id": None if channel in ("web", "email") else rng.choice(staff.back_office),
            "submission_key": uuid.UUID(int=rng.getrandbits(128), version=4) if channel == "web" else None,
            "name": name,
            "company": rng.choice(COMPANIES),
            "complaint_date": received_on,
            "about": rng.choice(("", "Planning", "Klantenservice", "Monteur", "Facturatie")),
            "about_user_id": rng.choice(staff.responsible) if rng.random() < 0.03 else None,  # see `about`
            "email": f"{first.lower()}.{last.lower().replace(' ', '')}{i % 97}@example.nl"
            if rng.random() < 0.8
            else "",
            "postal_address": "" if rng.random() < 0.7 else f"Dorpsstraat {1 + i % 180}\n1234 AB Amsterdam",
            "phone": f"06 {rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else "",
            "description": description,
            "subject": "service" if rng.random() < 0.7 else "working_method",
            "desired_outcome": "" if rng.random() < 0.6 else "Excuses en een nieuwe afspraak.",
            "acknowledge_due": ack_due,
            "contact_due": contact_due,
            "resolve_due": resolve_due,
        }
        is_open = rng.random() < (0.9 if age_days < recent_days else tail)
        handler = rng.choice(staff.responsible)
        while handler == row["about_user_id"]:
            handler = rng.choice(staff.responsible)
        if row["about_user_id"] is not None and about is not None:
            about.append((row["id"], row["about_user_id"]))

        def moment(after: datetime, days: float) -> datetime:
            return min(after + timedelta(hours=rng.uniform(1, 24 * days)), now - timedelta(minutes=1))

        if is_open:
            row["status"] = "received"
            if age_days > 3 or rng.random() < 0.5:
                row["acknowledged_at"] = moment(received_at, 3)
                if age_days > 5 or rng.random() < 0.5:
                    row["status"] = "in_progress"
                    row["assigned_to_id"] = handler
                    row["assigned_at"] = moment(row["acknowledged_at"], 2)
                    if age_days > 10 and rng.random() < 0.8:
                        row["first_contact_at"] = moment(row["assigned_at"], 8)
                        if rng.random() < 0.7:
                            row["confirmed_at"] = moment(row["first_contact_at"], 2)
        elif rng.random() < 0.03:
            row["status"] = "withdrawn"
            row["acknowledged_at"] = moment(received_at, 3)
            row["closed_at"] = moment(row["acknowledged_at"], 10)
            row["outcome"] = "withdrawn"
        else:
            row["status"] = "closed"
            row["acknowledged_at"] = moment(received_at, 4 if rng.random() < 0.95 else 9)
            row["assigned_to_id"] = handler
            row["assigned_at"] = moment(row["acknowledged_at"], 2)
            row["first_contact_at"] = moment(row["assigned_at"], 9 if rng.random() < 0.9 else 20)
            row["confirmed_at"] = moment(row["first_contact_at"], 2)
            row["closed_at"] = moment(row["confirmed_at"], 12 if rng.random() < 0.9 else 40)
            row["outcome"] = weighted(rng, OUTCOMES)
            row["resolution"] = rng.choice(RESOLUTIONS)
            row["complainant_agrees"] = rng.random() < 0.85
        closed_at = row.get("closed_at")
        if closed_at is not None and closed_at < retention:
            # What the retention sweep leaves of a complaint whose period has passed.
            row.update(
                anonymised_at=min(closed_at + (now - retention) + timedelta(hours=2), now),
                name="",
                company="",
                email="",
                postal_address="",
                phone="",
                about="",
                description="",
                desired_outcome="",
                submission_key=None,
            )
        yield row


@dataclass
class Stored:
    """What the dependent tables need to know of a stored complaint."""

    id: int
    reference: str
    status: str
    channel: str
    received_at: datetime
    registered_by_id: int | None
    acknowledged_at: datetime | None
    assigned_to_id: int | None
    assigned_at: datetime | None
    first_contact_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    outcome: str
    anonymised_at: datetime | None


def stored_complaints() -> Iterator[Stored]:
    from complaints.models import Complaint

    names = list(Stored.__dataclass_fields__)
    for values in Complaint.objects.order_by("pk").values_list(*names).iterator(chunk_size=20000):
        yield Stored(*values)


# --------------------------------------------------------------------------------------
# Dependent tables, each from the stored complaints.


def event_rows(staff: Staff) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 1)
    pk = 0

    def event(c: Stored, at: datetime, kind: str, message: str, **extra: Any) -> dict[str, Any]:
        nonlocal pk
        pk += 1
        return {"id": pk, "complaint_id": c.id, "at": at, "kind": kind, "message": message, **extra}

    channel_label = {"web": "webformulier", "phone": "telefoon", "letter": "brief", "email": "e-mail"}
    for c in stored_complaints():
        yield event(
            c,
            c.received_at,
            "received",
            f"Klacht ontvangen per {channel_label.get(c.channel, c.channel)}.",
            actor_id=c.registered_by_id,
            actor_label="" if c.registered_by_id else "klager",
            to_status="received",
            visibility="public",
            data={"channel": c.channel, "attachments": 0},
        )
        qm = rng.choice(staff.quality_managers)
        if c.acknowledged_at:
            yield event(
                c,
                c.acknowledged_at,
                "acknowledged",
                "Ontvangstbevestiging verstuurd.",
                actor_id=qm,
                visibility="public",
            )
        if c.assigned_at:
            yield event(
                c,
                c.assigned_at,
                "assigned",
                "Klacht overgedragen aan de verantwoordelijke.",
                actor_id=qm,
                from_status="received",
                to_status="in_progress",
                data={"to": c.assigned_to_id},
            )
        if c.first_contact_at:
            yield event(
                c, c.first_contact_at, "call_logged", "Telefonisch contact met klager.", actor_id=c.assigned_to_id
            )
        if c.confirmed_at:
            yield event(
                c,
                c.confirmed_at,
                "confirmation_sent",
                "Bevestiging van de afspraken verstuurd.",
                actor_id=c.assigned_to_id,
                visibility="public",
            )
        if c.closed_at:
            yield event(
                c,
                c.closed_at,
                "withdrawn" if c.status == "withdrawn" else "closed",
                "Klacht ingetrokken." if c.status == "withdrawn" else "Klacht afgehandeld.",
                actor_id=c.assigned_to_id or qm,
                from_status="in_progress",
                to_status=c.status,
                visibility="public",
                data={"outcome": c.outcome},
            )
        if c.anonymised_at:
            yield event(
                c,
                c.anonymised_at,
                "anonymised",
                "Persoonsgegevens verwijderd na de bewaartermijn.",
                actor_label="systeem",
            )


def attachment_rows() -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 2)
    pk = 0
    kinds = (("application/pdf", "brief.pdf"), ("image/jpeg", "foto.jpg"), ("image/png", "schermafdruk.png"))
    for c in stored_complaints():
        # Anonymised complaints lost their attachments with their personal data.
        if c.anonymised_at or rng.random() > 0.3:
            continue
        for _ in range(1 + (rng.random() < 0.3)):
            pk += 1
            content_type, name = rng.choice(kinds)
            yield {
                "id": pk,
                "complaint_id": c.id,
                "file": f"attachments/{c.received_at:%Y/%m}/{uuid.UUID(int=rng.getrandbits(128)).hex}",
                "original_name": name,
                "content_type": content_type,
                "size": rng.randint(20_000, 3_000_000),
                "sha256": f"{rng.getrandbits(256):064x}",
                "uploaded_at": c.received_at,
                "uploaded_by_id": c.registered_by_id,
            }


def contact_rows(model: type[Model]) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 3)
    fields = {f.attname for f in model._meta.concrete_fields}
    pk = 0
    for c in stored_complaints():
        if not c.first_contact_at:
            continue
        pk += 1
        meeting = rng.random() < 0.25
        row: dict[str, Any] = {
            "id": pk,
            "complaint_id": c.id,
            "kind": "meeting" if meeting else "call",
            "status": "held",
            "starts_at": c.first_contact_at if meeting else None,
            "ends_at": c.first_contact_at + timedelta(hours=1) if meeting else None,
            "happened_at": c.first_contact_at,
            "location": "Kantoor Rokin 1" if meeting else "",
            "summary": "Klacht besproken; afspraken gemaakt.",
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "sequence": 0,
            "created_at": c.first_contact_at,
            "created_by_id": c.assigned_to_id,
        }
        yield {k: v for k, v in row.items() if k in fields}


def agreement_rows(model: type[Model]) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 4)
    fields = {f.attname for f in model._meta.concrete_fields}
    pk = 0
    for c in stored_complaints():
        if not c.first_contact_at or c.anonymised_at:
            continue
        for _ in range(rng.choice((0, 1, 1, 2))):
            pk += 1
            due = (c.first_contact_at + timedelta(days=rng.randint(3, 20))).date()
            row: dict[str, Any] = {
                "id": pk,
                "complaint_id": c.id,
                "description": rng.choice(AGREEMENTS),
                "owner": rng.choice(("Verantwoordelijke", "Klager", "Planning", "Financiële administratie")),
                "due": due,
                "done_at": c.closed_at,
                "done_by_id": c.assigned_to_id if c.closed_at else None,
                "created_at": c.first_contact_at,
                "created_by_id": c.assigned_to_id,
            }
            yield {k: v for k, v in row.items() if k in fields}


def classification_rows(model: type[Model]) -> Iterator[dict[str, Any]]:
    """A category, mostly a root cause and a severity for every closed complaint (closing
    requires a category) and for a third of those still being handled."""
    from quality.models import Category, RootCause

    rng = random.Random(SEED + 6)
    categories = list(Category.objects.filter(active=True).values_list("pk", flat=True))
    root_causes = list(RootCause.objects.filter(active=True).values_list("pk", flat=True))
    if not categories:
        raise SystemExit("no categories to classify with")
    for c in stored_complaints():
        if c.status != "closed" and (not c.assigned_at or rng.random() > 0.33):
            continue
        yield {
            "complaint_id": c.id,
            "category_id": rng.choice(categories),
            "root_cause_id": rng.choice(root_causes) if root_causes and rng.random() < 0.8 else None,
            "severity": rng.choice(("low", "low", "medium", "medium", "high", "")),
            "updated_at": c.closed_at or c.assigned_at,
            "updated_by_id": c.assigned_to_id,
        }


LETTER_SUBJECTS = {
    "acknowledgement": "Ontvangstbevestiging van uw klacht",
    "confirmation": "Bevestiging van ons gesprek en de afspraken",
    "closing": "Afhandeling van uw klacht",
}


def letter_rows(model: type[Model], staff: Staff) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 5)
    fields = {f.attname for f in model._meta.concrete_fields}
    staff_fallback = staff.quality_managers[0]
    pk = 0
    for c in stored_complaints():
        moments = [("acknowledgement", c.acknowledged_at), ("confirmation", c.confirmed_at)]
        if c.channel == "letter":
            moments.append(("closing", c.closed_at))
        for kind, at in moments:
            if at is None or rng.random() < 0.5:
                continue
            pk += 1
            row: dict[str, Any] = {
                "id": pk,
                "complaint_id": c.id,
                "kind": kind,
                "status": "sent",
                "subject": LETTER_SUBJECTS[kind],
                "body": "Geachte heer/mevrouw,\n\nHierbij bevestigen wij ...\n\nMet vriendelijke groet,",
                "data": {},
                "created_at": at,
                "created_by_id": c.assigned_to_id,
                "sent_at": at,
                "sent_by_id": c.assigned_to_id or staff_fallback,
                "channel": "email" if c.channel != "letter" else "post",
                "pdf": f"letters/{at:%Y/%m}/{uuid.UUID(int=rng.getrandbits(128)).hex}.pdf",
                "filename": f"{c.reference}-{kind}.pdf",
                "sha256": f"{rng.getrandbits(256):064x}",
            }
            yield {k: v for k, v in row.items() if k in fields}


# --------------------------------------------------------------------------------------


def ensure_postgres_database(url: str, regenerate: bool) -> None:
    """Create the bench database (dropping it first with --regenerate)."""
    import psycopg
    from psycopg import sql

    target = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if exists and regenerate:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(target)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))


def optional_model(label: str) -> type[Model] | None:
    from django.apps import apps
    from django.db import connection

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    # A model whose migration has not been written yet has no table to fill.
    return model if model._meta.db_table in connection.introspection.table_names() else None


def fill(writer: Writer, complaints: int) -> dict[str, Any]:
    """Fill every empty table; returns what was written and what was skipped, and why."""
    from django.core.management import call_command

    from complaints.models import Attachment, Complaint, ReferenceCounter, TimelineEvent

    call_command("migrate", verbosity=0, interactive=False)
    # As a deployment without Redis does (docs/deployment.md): the cache lives in the database.
    call_command("createcachetable", verbosity=0)
    staff = ensure_staff()
    now = datetime.now(UTC).replace(microsecond=0)
    report: dict[str, Any] = {"written": {}, "kept": {}, "skipped": {}}

    about: list[tuple[int, int]] = []
    existing = writer.count(Complaint)
    if existing:
        report["kept"]["complaints_complaint"] = existing
    else:
        report["written"]["complaints_complaint"] = writer.write(
            Table(Complaint), complaint_rows(complaints, staff, now, about), complaints
        )
        # New complaints registered during the benchmark continue each year's numbering.
        for year, last in _last_sequences():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})

    total = writer.count(Complaint)
    links = Complaint.about_staff.through
    plans: list[tuple[str, type[Model] | None, Callable[[], Iterator[dict[str, Any]]], int | None]] = [
        (
            "complaints.Complaint.about_staff",
            links,
            lambda: ({"id": i + 1, "complaint_id": c, "user_id": u} for i, (c, u) in enumerate(about)),
            None,
        ),
        ("complaints.TimelineEvent", TimelineEvent, lambda: event_rows(staff), None),
        ("complaints.Attachment", Attachment, attachment_rows, None),
    ]
    for label, make in (
        ("complaints.Contact", contact_rows),
        ("complaints.Agreement", agreement_rows),
        ("correspondence.Letter", partial(letter_rows, staff=staff)),
        ("quality.Classification", classification_rows),
    ):
        model = optional_model(label)
        plans.append((label, model, partial(make, model) if model else (lambda: iter(())), None))
    for label, model, rows, _expected in plans:
        if model is None:
            report["skipped"][label] = "no such model or table (yet)"
            continue
        table = model._meta.db_table
        existing = writer.count(model)
        if existing:
            report["kept"][table] = existing
            continue
        try:
            report["written"][table] = writer.write(Table(model), rows(), None)
        except SystemExit as reason:
            report["skipped"][label] = str(reason)
    writer.finish([Complaint, *(model for _label, model, _rows, _n in plans if model is not None)])
    report["complaints"] = total
    report["caught_up"] = catch_up()
    report["report_figures"] = report_figures(rebuild="complaints_complaint" in report["written"])
    writer.settle()
    return report


def report_figures(*, rebuild: bool) -> dict[str, Any]:
    """The reports' figures per day, as the worker keeps them: every day for new data (written
    around the ORM's signals), else the days that an upgrade or a change marked stale."""
    from reports import daily

    started = time.monotonic()
    days = daily.rebuild() if rebuild else daily.refresh_stale()
    return {"days": days, "seconds": round(time.monotonic() - started, 1)}


# The sweeps that would have run every few minutes over the ten years. Running them once
# brings the generated data to where a real installation is: earlier reminders claimed,
# expired complaints anonymised. The benchmark then times them in that steady state.
STEADY_STATE_JOBS = ("deadlines.jobs.send_reminders", "privacy.anonymise.anonymise_due")


def catch_up() -> dict[str, Any]:
    from django.conf import settings
    from django.utils.module_loading import import_string

    done: dict[str, Any] = {}
    for path in STEADY_STATE_JOBS:
        if path not in settings.PERIODIC_JOBS:
            continue
        started = time.monotonic()
        result = import_string(path)()
        done[path] = {"seconds": round(time.monotonic() - started, 1), "result": str(result)}
    return done


def _last_sequences() -> list[tuple[int, int]]:
    from django.db.models import Max

    from complaints.models import Complaint

    return list(
        Complaint.objects.values("receipt_year").annotate(last=Max("sequence")).values_list("receipt_year", "last")
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    parser.add_argument("--sqlite", metavar="PATH", help="generate into this SQLite file instead")
    parser.add_argument("--regenerate", action="store_true", help="drop the data and generate it again")
    args = parser.parse_args(argv)

    if args.sqlite:
        if args.regenerate and os.path.exists(args.sqlite):
            os.remove(args.sqlite)
        os.makedirs(os.path.dirname(os.path.abspath(args.sqlite)), exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.sqlite)}"
    else:
        ensure_postgres_database(args.database_url, args.regenerate)
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    started = time.monotonic()
    writer: Writer = PostgresWriter() if connection.vendor == "postgresql" else SQLiteWriter()
    report = fill(writer, args.complaints)
    report["seconds"] = round(time.monotonic() - started, 1)
    for table, rows in report["written"].items():
        print(f"  wrote {rows:>10,} rows into {table}")
    for table, rows in report["kept"].items():
        print(f"  kept  {rows:>10,} rows in {table}")
    for label, why in report["skipped"].items():
        print(f"  skipped {label}: {why}")
    for path, outcome in report["caught_up"].items():
        print(f"  caught up {path}: {outcome['result']} in {outcome['seconds']} s")
    figures = report["report_figures"]
    print(f"  report figures computed for {figures['days']:,} days in {figures['seconds']} s")
    print(f"  data ready in {report['seconds']} s")
    return report


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
