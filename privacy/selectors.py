"""Reads for the privacy officer: finding a person's data, the access log, holds, requests."""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from complaints.models import Attachment, Complaint
from correspondence.models import Letter
from outbox.models import OutboxMessage

from .models import AccessLog, DataSubjectRequest, LegalHold, ProcessingRestriction, RequestStatus
from .registry import Category, declaration_for

# Enough to tell people apart; shorter terms would list half the file.
MIN_TERM = 3


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def find_person(*, email: str = "", phone: str = "", name: str = "") -> QuerySet[Complaint]:
    """Complaints (not yet anonymised) whose searchable registry fields match any given term.

    E-mail matches exactly (case-insensitive); a phone number matches on its digits, so
    "06-1234 5678" finds "0612345678"; a name matches as a part of the name."""
    declaration = declaration_for(Complaint)
    searchable = {f.name: f.category for f in declaration.personal if f.searchable} if declaration else {}
    condition = Q(pk__in=[])
    complaints = Complaint.objects.filter(anonymised_at__isnull=True)
    for field, category in searchable.items():
        if category == Category.CONTACT and "email" in field and email.strip():
            condition |= Q(**{f"{field}__iexact": email.strip()})
        elif category == Category.CONTACT and "phone" in field and len(_digits(phone)) >= MIN_TERM:
            digits = Replace(Replace(Replace(Replace(field, Value(" ")), Value("-")), Value("+")), Value("."))
            complaints = complaints.annotate(**{f"{field}_digits": digits})
            condition |= Q(**{f"{field}_digits__contains": _digits(phone)})
        elif category == Category.IDENTITY and len(name.strip()) >= MIN_TERM:
            condition |= Q(**{f"{field}__icontains": name.strip()})
    return complaints.filter(condition).order_by("-received_at", "-pk")


# How log_access names what was read: by number, never by a name a person gave it. The
# names are looked up when the log is shown, so an anonymised file shows its anonymised name.
LOGGED_THING = re.compile(r"^(?P<kind>attachment|letter|e-mail) (?P<pk>\d+)$")


def described(entries: Iterable[AccessLog]) -> list[AccessLog]:
    """The entries, each with `description`: its detail with the file name, the letter's kind
    or the e-mail's subject for the number it logged (a few queries for the whole page)."""
    entries = list(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if match := LOGGED_THING.match(entry.detail):
            wanted[match["kind"]].add(int(match["pk"]))
    names: dict[tuple[str, int], str] = {}
    for pk, name in Attachment.objects.filter(pk__in=wanted["attachment"]).values_list("pk", "original_name"):
        names["attachment", pk] = _("attachment %(number)s: %(name)s") % {"number": pk, "name": name}
    for letter in Letter.objects.filter(pk__in=wanted["letter"]).only("pk", "kind"):
        names["letter", letter.pk] = _("letter %(number)s: %(kind)s") % {
            "number": letter.pk,
            "kind": letter.get_kind_display(),
        }
    for pk, subject in OutboxMessage.objects.filter(pk__in=wanted["e-mail"]).values_list("pk", "subject"):
        names["e-mail", pk] = _("e-mail %(number)s: %(subject)s") % {"number": pk, "subject": subject}
    for entry in entries:
        match = LOGGED_THING.match(entry.detail)
        entry.description = names.get((match["kind"], int(match["pk"])), entry.detail) if match else entry.detail  # type: ignore[attr-defined]
    return entries


def access_log_for_complaint(complaint: Complaint) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(complaint=complaint).select_related("user")


def access_log_for_user(user_pk: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(user_id=user_pk).select_related("complaint")


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related("complaint", "placed_by")


def active_restrictions() -> QuerySet[ProcessingRestriction]:
    return ProcessingRestriction.objects.filter(lifted_at__isnull=True).select_related("complaint", "placed_by")


def requests_overview() -> QuerySet[DataSubjectRequest]:
    """Open requests first, the one due soonest on top; then the handled ones, newest first."""
    open_first = Case(When(status=RequestStatus.OPEN, then=Value(0)), default=Value(1))
    return DataSubjectRequest.objects.annotate(open_first=open_first).order_by("open_first", "due", "-pk")


def overdue_requests(*, today: date) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(status=RequestStatus.OPEN, due__lt=today)
