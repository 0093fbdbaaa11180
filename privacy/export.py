"""A data subject's copy of their data (GDPR art. 15 and 20), as JSON and as a readable PDF.

What goes in is read from privacy.registry: the complainant's own fields and the rows of the
complaint file marked for export, with their dates for context. Other people's data stays
out (art. 15(4)): no staff accounts, no internal notes; and in the texts that go in, the names
and contact details of other complainants (of linked complaints, or complaints that share a
corrective action) and the names of staff who had no part in this complaint are withheld.
Staff who handled the complaint, or whom it is about, are named: that is their work."""

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.models import Channel, Complaint
from lib.documents import archival_pdf
from quality.models import ComplaintLink

from .models import DataSubjectRequest
from .registry import ModelDeclaration, complaint_file
from .statement import statement


@dataclass(frozen=True)
class Section:
    model: type[models.Model]
    # The machine-readable copy's names: the English labels, the same in every language.
    key: str
    keys: dict[str, str]
    title: str
    labels: dict[str, str]
    rows: list[dict[str, Any]]

    def readable_rows(self) -> list[dict[str, Any]]:
        return [{self.keys[name]: value for name, value in row.items()} for row in self.rows]


def _json_key(label: object) -> str:
    return slugify(str(label)).replace("-", "_")


def _columns(declaration: ModelDeclaration) -> list[str]:
    return [*declaration.export_context, *(f.name for f in declaration.personal if f.exported)]


def third_parties(complaint: Complaint) -> re.Pattern[str] | None:
    """What identifies other people in this complaint's texts (art. 15(4)), as one pattern."""
    linked = ComplaintLink.objects.filter(models.Q(first=complaint) | models.Q(second=complaint))
    related = Complaint.objects.filter(
        models.Q(pk__in=linked.values("first")) | models.Q(pk__in=linked.values("second"))
        | models.Q(corrective_actions__complaints=complaint)
    ).exclude(pk=complaint.pk)  # fmt: skip
    own = {value.casefold() for value in (complaint.name, complaint.email, complaint.phone) if value}
    terms = {value for row in related.values_list("name", "email", "phone") for value in row if len(value) > 2}
    # Staff with a part in it: who registered, received and handled it, whom it is about, who acted.
    involved = {complaint.registered_by_id, complaint.received_by_id, complaint.assigned_to_id}
    involved |= set(complaint.about_staff.values_list("pk", flat=True))
    involved |= set(complaint.events.exclude(actor=None).values_list("actor", flat=True))
    for first, last in User.objects.exclude(pk__in=[pk for pk in involved if pk]).values_list(
        "first_name", "last_name"
    ):
        if first and last:
            terms.add(f"{first} {last}")
    terms = {term for term in terms if term.casefold() not in own}
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def _withheld(value: Any, pattern: re.Pattern[str] | None) -> Any:
    if pattern is None or not isinstance(value, str):
        return value
    return pattern.sub(_("[withheld]"), value)


def complaint_sections(complaint: Complaint) -> list[Section]:
    pattern = third_parties(complaint)
    sections = []
    for declaration in complaint_file():
        columns = _columns(declaration)
        if not any(f.exported for f in declaration.personal):
            continue
        model = declaration.model_class
        lookup = f"{declaration.complaint_path}__pk" if declaration.complaint_path else "pk"
        rows = [
            {name: _withheld(value, pattern) for name, value in row.items()}
            for row in model._base_manager.filter(**{lookup: complaint.pk}, **declaration.export_filter)
            .order_by("pk")
            .values(*columns)
        ]
        labels = {name: str(getattr(model._meta.get_field(name), "verbose_name", name)) for name in columns}
        with translation.override("en"):
            # The complaint itself is one; every other record may be several.
            own = model._meta.verbose_name if not declaration.complaint_path else model._meta.verbose_name_plural
            key = _json_key(own)
            keys = {name: _json_key(getattr(model._meta.get_field(name), "verbose_name", name)) for name in columns}
        sections.append(Section(model, key, keys, str(model._meta.verbose_name_plural), labels, rows))
    return sections


# Told after each complaint how many are done, for the progress of a background export.
Progress = Callable[[int], None]


def _each(complaints: list[Complaint], progress: Progress | None) -> Iterator[tuple[Complaint, list[Section]]]:
    for done, complaint in enumerate(complaints, start=1):
        yield complaint, complaint_sections(complaint)
        if progress is not None:
            progress(done)


def source(complaint: Complaint) -> str:
    """Where the data came from (GDPR art. 15(1)(g))."""
    return {
        Channel.WEB: _("You filed it yourself, with the complaint form on our website."),
        Channel.EMAIL: _("You sent it to us by e-mail."),
        Channel.PHONE: _("Our staff wrote it down from your phone call."),
        Channel.LETTER: _("Our staff entered it from your letter."),
    }[Channel(complaint.channel)]


def export_data(
    *, request: DataSubjectRequest, complaints: list[Complaint], progress: Progress | None = None
) -> dict[str, Any]:
    info = statement()
    return {
        "controller": {"name": info.controller, "address": info.controller_address, "contact": info.contact},
        "privacy_contact": info.privacy_contact,
        "generated_at": timezone.now(),
        "request": {"kind": request.kind, "received_at": request.received_at},
        # What art. 15(1) asks besides the data: purposes, recipients, retention, rights.
        "information": {
            "purposes": [
                {"purpose": p.title, "legal_basis": p.legal_basis, "description": p.description} for p in info.purposes
            ],
            "recipients": list(info.recipients),
            "transfers": info.transfers,
            "retention": info.retention,
            "rights": list(info.public_paragraphs),
        },
        "complaints": [
            {"reference": complaint.reference, "source": source(complaint)}
            | {section.key: section.readable_rows() for section in sections}
            for complaint, sections in _each(complaints, progress)
        ],
    }


def _display(value: Any, field: models.Field[Any, Any] | None) -> str:
    if value is None or value == "":
        return "–"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if hasattr(value, "year"):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def generate_json(
    *, request: DataSubjectRequest, complaints: list[Complaint], progress: Progress | None = None
) -> tuple[str, str, bytes]:
    data = export_data(request=request, complaints=complaints, progress=progress)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return f"persoonsgegevens-verzoek-{request.pk}.json", "application/json", content


def generate_pdf(
    *, request: DataSubjectRequest, complaints: list[Complaint], progress: Progress | None = None
) -> tuple[str, str, bytes]:
    from weasyprint import HTML

    files = []
    for complaint, complaint_file_sections in _each(complaints, progress):
        sections = []
        for section in complaint_file_sections:
            model_fields = {f.name: f for f in section.model._meta.concrete_fields}
            rows = [
                [(section.labels[name], _display(value, model_fields.get(name))) for name, value in row.items()]
                for row in section.rows
            ]
            sections.append({"title": section.title, "rows": rows})
        files.append({"reference": complaint.reference, "source": source(complaint), "sections": sections})
    html = render_to_string(
        "privacy/export_pdf.html",
        {
            "statement": statement(),
            "request": request,
            "files": files,
            "generated_at": timezone.now(),
            "title": _("Your personal data"),
        },
    )
    return f"persoonsgegevens-verzoek-{request.pk}.pdf", "application/pdf", archival_pdf(HTML(string=html))


def generate_zip(
    *, request: DataSubjectRequest, complaints: list[Complaint], progress: Progress | None = None
) -> tuple[str, str, bytes]:
    """One archive for the person (GDPR art. 15(3) and 20): the readable PDF, the machine-readable
    JSON, and the files themselves: what they sent with their complaints and the letters we sent
    them."""
    data, files, letters = _("personal-data"), _("files"), _("letters")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{data}.pdf", generate_pdf(request=request, complaints=complaints)[2])
        archive.writestr(f"{data}.json", generate_json(request=request, complaints=complaints)[2])
        for done, complaint in enumerate(complaints, start=1):
            taken: set[str] = set()
            for attachment in complaint.attachments.exclude(file="").order_by("pk"):
                name = _unique(f"{complaint.reference}/{files}/{_safe(attachment.original_name)}", taken)
                with attachment.file.open("rb") as content:
                    archive.writestr(name, content.read())
            for letter in complaint.letters.exclude(pdf="").order_by("sent_at", "pk"):
                name = _unique(f"{complaint.reference}/{letters}/{_safe(letter.filename or 'brief.pdf')}", taken)
                with letter.pdf.open("rb") as content:
                    archive.writestr(name, content.read())
            if progress is not None:
                progress(done)
    return f"persoonsgegevens-verzoek-{request.pk}.zip", "application/zip", buffer.getvalue()


def _safe(name: str) -> str:
    """A file name as the archive may hold it: no folders, no control characters."""
    cleaned = "".join(c for c in name.replace("\\", "/").rpartition("/")[2] if c.isprintable()).strip(" .")
    return cleaned or "bestand"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}).{extension}" if dot else f"{name} ({n})"
    taken.add(candidate)
    return candidate
