"""Reads for the privacy officer: finding a person's data, the access log, holds, requests."""

import re
from datetime import date

from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Replace

from complaints.models import Complaint

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
