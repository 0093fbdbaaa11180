"""The REST API, version 1: complaints and the procedure's steps for scripts and integrations.

Each endpoint is thin like a back-office view: authenticate the token, fetch through the
same permission-scoped selectors (an object outside the user's reach is 404), check the
role for the function (403), call one service, present the result."""

import re
import uuid
from datetime import date, datetime, time, timedelta
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile as NinjaUploadedFile
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field

from accounts.models import User
from accounts.roles import Role
from complaints import rules
from complaints import services as procedure
from complaints.errors import ProcedureError
from complaints.models import OPEN_STATUSES, Channel, Complaint, Subject
from complaints.selectors import complaints_for, get_complaint_for, open_deadline_filters
from correspondence.models import LetterKind
from correspondence.services import draft_letter, send_letter
from intake.registration import ComplaintDetails, register_complaint
from lib.dates import local_date
from lib.pagination import decode_cursor, newest_first_page
from lib.uploads import RejectedFile, check_upload

from . import errors, presenters
from .access import log_access
from .schemas import (
    AcknowledgeIn,
    AgreementIn,
    AgreementOut,
    AssignIn,
    ChannelName,
    CloseIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintPageOut,
    ContactIn,
    ContactOut,
    FieldErrors,
    PlausibleDate,
    StatusName,
)
from .services import AttachmentRefused, add_attachment
from .tokens import user_for_token

REFERENCE = re.compile(r"KL-[0-9]{4}-[0-9]{5,9}")
# A received_at this far ahead of our clock is a mistake, not clock skew.
CLOCK_SKEW = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token, issued in the back office or with `manage.py create_api_token`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Klachtenregeling API",
    version="1",
    description=(
        "Complaints and the steps of the complaints procedure. Authenticate with a personal token: "
        "`Authorization: Bearer <token>`. The token acts as its user, with that user's roles: a "
        "complaint outside your reach answers 404, a step your role may not take 403. Every error "
        'is JSON: `{"message": ..., "errors": {field: [messages]}}`.'
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False}),
)
errors.install(api, body_params={"payload"})

ERRORS: dict[int, type[Schema]] = {code: FieldErrors for code in (400, 401, 403, 404, 409, 413, 422)}


def responses(success: int, schema: object) -> dict[int, object]:
    return {success: schema, **ERRORS}


def acting_user(request: HttpRequest) -> User:
    # Set by django-ninja to what TokenAuth.authenticate returned; HttpRequest does not declare it.
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def require_role(user: User, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied("Your role does not allow this.")


def require_step(user: User, action: str, complaint: Complaint) -> None:
    """The same rule the back office applies to the step (complaints.rules): 403 when it says no."""
    if not rules.may(user, action, complaint):
        raise PermissionDenied("Your role does not allow this step on this complaint.")


def invalid(field: str, message: str, *, location: str = "body") -> NoReturn:
    """Refuse a value that has the right type but is wrong here, in the same shape as a type error."""
    raise ValidationError([{"loc": (location, field), "msg": message, "type": "value_error"}])


def complaint_in_reach(request: HttpRequest, reference: str) -> Complaint:
    # Checked before the database sees it: a reference is short and plain by construction.
    if not REFERENCE.fullmatch(reference):
        raise Http404
    return get_complaint_for(acting_user(request), reference)


def detail(complaint: Complaint) -> dict[str, object]:
    complaint.refresh_from_db()
    return presenters.detail(complaint)


# Complaints ---------------------------------------------------------------------------------


@api.post(
    "/complaints",
    response={200: ComplaintOut, **responses(201, ComplaintOut)},
    url_name="complaints",
    summary="Register a complaint",
    description="Registers a complaint received through any channel. Roles: back office, quality manager.",
)
def create_complaint(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, object]]:
    user = acting_user(request)
    require_role(user, Role.BACK_OFFICE, Role.QUALITY_MANAGER)
    if payload.received_at > timezone.now() + CLOCK_SKEW:
        invalid("received_at", "cannot be in the future")
    received_on = local_date(payload.received_at)
    complaint_date = payload.complaint_date or received_on
    if complaint_date > timezone.localdate():
        invalid("complaint_date", "cannot be in the future")
    names = list(dict.fromkeys(payload.about_staff))
    about_staff = {person.username: person for person in User.active_staff().filter(username__in=names)}
    if len(about_staff) != len(names):
        invalid("about_staff", "is not the username of an active staff member")
    # The complaint and its links to the staff it is about are saved together, or not at all.
    with transaction.atomic():
        complaint, created = register_complaint(
            channel=Channel(payload.channel),
            received_at=payload.received_at,
            details=ComplaintDetails(
                name=" ".join(payload.name.split()),
                company=payload.company,
                complaint_date=complaint_date,
                about=payload.about,
                email=payload.email,
                postal_address=payload.postal_address,
                phone=payload.phone,
                description=payload.description,
                subject=Subject(payload.subject),
                desired_outcome=payload.desired_outcome,
            ),
            by=user,
            received_by=user,
            submission_key=uuid.UUID(payload.submission_key) if payload.submission_key else None,
        )
        if not complaints_for(user).filter(pk=complaint.pk).exists():
            # A replayed key of a complaint someone else registered reveals nothing about it.
            raise HttpError(409, "This submission_key was used before.")
        # Whoever registers a complaint about themselves is linked last.
        for person in sorted(about_staff.values(), key=lambda person: person.pk == user.pk) if created else []:
            procedure.link_person(complaint=complaint, person=person, by=user)
    log_access(user=user, complaint=complaint, action="api.create" if created else "api.create_replayed")
    return Status(201 if created else 200, detail(complaint))


class ComplaintFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: StatusName | None = None
    channel: ChannelName | None = None
    received_from: PlausibleDate | None = Field(None, description="Received on or after this date (Amsterdam time).")
    received_to: PlausibleDate | None = Field(None, description="Received on or before this date (Amsterdam time).")
    overdue: bool | None = Field(
        None, description="Only open complaints with a missed deadline (true) or without (false)."
    )
    cursor: str | None = Field(
        None,
        max_length=200,
        pattern="^[A-Za-z0-9_-]+$",
        description="The next_cursor of the previous page as it was given (URL-safe base64); nothing else.",
    )
    limit: int = Field(50, ge=1, le=200)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@api.get(
    "/complaints",
    response=responses(200, ComplaintPageOut),
    url_name="complaints",
    summary="List complaints",
    description="The complaints within your reach, newest first, one page at a time (keyset cursor).",
)
def list_complaints(request: HttpRequest, filters: Query[ComplaintFilters]) -> dict[str, object]:
    unknown = sorted(set(request.GET) - set(ComplaintFilters.model_fields))
    if unknown:
        # Query strings are refused like bodies: a misspelt filter must not silently list everything.
        raise ValidationError(
            [{"loc": ("query", name), "msg": "unknown field", "type": "extra_forbidden"} for name in unknown]
        )
    user = acting_user(request)
    complaints = complaints_for(user).select_related("assigned_to")
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.channel:
        complaints = complaints.filter(channel=filters.channel)
    if filters.received_from:
        complaints = complaints.filter(received_at__gte=start_of(filters.received_from))
    if filters.received_to:
        complaints = complaints.filter(received_at__lt=start_of(filters.received_to + timedelta(days=1)))
    if filters.overdue is not None:
        today = timezone.localdate()
        overdue = Q(status__in=OPEN_STATUSES) & open_deadline_filters(today=today, limit=today)[0]
        complaints = complaints.filter(overdue) if filters.overdue else complaints.exclude(overdue)
    if filters.cursor and decode_cursor(filters.cursor) is None:
        invalid("cursor", "is not a cursor this API gave out", location="query")
    page = newest_first_page(complaints, field="received_at", cursor=filters.cursor, size=filters.limit)
    today = timezone.localdate()
    return {"items": [presenters.summary(item, today) for item in page.items], "next_cursor": page.next_cursor}


@api.get(
    "/complaints/{reference}",
    response=responses(200, ComplaintOut),
    url_name="complaint",
    summary="Read a complaint",
    description="All fields, the three deadlines and whether each was met, the attachments and the timeline.",
)
def read_complaint(request: HttpRequest, reference: str) -> dict[str, object]:
    complaint = complaint_in_reach(request, reference)
    log_access(user=acting_user(request), complaint=complaint, action="api.read")
    return presenters.detail(complaint)


@api.post(
    "/complaints/{reference}/attachments",
    response=responses(201, ComplaintOut),
    url_name="attachments",
    summary="Add an attachment",
    description="Multipart upload, field `file`. Accepted: PDF, JPEG, PNG, DOCX, XLSX, plain text; "
    "the content decides the type, and the limits per file and per complaint apply.",
)
def add_complaint_attachment(
    request: HttpRequest, reference: str, file: File[NinjaUploadedFile]
) -> Status[dict[str, object]]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    if file.size is not None and file.size > settings.UPLOAD_MAX_FILE_BYTES:
        invalid("file", location="file", message=f"the file is larger than {settings.UPLOAD_MAX_FILE_BYTES} bytes")
    data = file.read()
    name = file.name or "bijlage"
    try:
        kind = check_upload(name=name, data=data)
    except RejectedFile as error:
        invalid("file", location="file", message=str(error))
    try:
        add_attachment(complaint=complaint, name=name, data=data, content_type=kind.content_type, by=user)
    except AttachmentRefused as error:
        raise HttpError(409, str(error)) from None
    log_access(user=user, complaint=complaint, action="api.attachment")
    return Status(201, detail(complaint))


# The procedure's steps -------------------------------------------------------------------------


@api.post(
    "/complaints/{reference}/acknowledge",
    response=responses(200, ComplaintOut),
    url_name="acknowledge",
    summary="Send the acknowledgement",
    description="Role: quality manager. Sends the acknowledgement letter (the organisation's text, with "
    "the complainant's status link) by e-mail, or records it for posting when the complainant gave "
    "no e-mail address; the acknowledgement is recorded at that moment. A step that did not happen "
    "cannot be recorded.",
)
def acknowledge(request: HttpRequest, reference: str, payload: AcknowledgeIn) -> dict[str, object]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    require_step(user, "acknowledge", complaint)
    if complaint.acknowledged_at is not None:
        raise ProcedureError(_("The acknowledgement was already sent."))
    send_letter(letter=draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=user), by=user)
    complaint.refresh_from_db()
    log_access(user=user, complaint=complaint, action="api.acknowledge")
    return detail(complaint)


@api.post(
    "/complaints/{reference}/assign",
    response=responses(200, ComplaintOut),
    url_name="assign",
    summary="Hand the complaint to a responsible person",
    description="Role: quality manager.",
)
def assign(request: HttpRequest, reference: str, payload: AssignIn) -> dict[str, object]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    require_step(user, "assign", complaint)
    to = User.objects.filter(username=payload.to, is_active=True).first()
    if to is None or not to.has_role(Role.RESPONSIBLE):
        invalid("to", "is not an active responsible person")
    procedure.assign(complaint=complaint, to=to, by=user)
    log_access(user=user, complaint=complaint, action="api.assign")
    return detail(complaint)


@api.post(
    "/complaints/{reference}/contacts",
    response=responses(201, ContactOut),
    url_name="contacts",
    summary="Log a call with the complainant",
    description="Role: the responsible person handling the complaint, or the quality manager.",
)
def log_contact(request: HttpRequest, reference: str, payload: ContactIn) -> Status[dict[str, object]]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    require_step(user, "log_call", complaint)
    if payload.at > timezone.now() + CLOCK_SKEW:
        invalid("at", "cannot be in the future")
    contact = procedure.log_call(complaint=complaint, by=user, at=payload.at, summary=payload.summary)
    return Status(201, {"id": contact.pk, "kind": contact.kind, "at": contact.happened_at})


@api.post(
    "/complaints/{reference}/agreements",
    response=responses(201, AgreementOut),
    url_name="agreements",
    summary="Record an agreement made with the complainant",
    description="Role: the responsible person handling the complaint, or the quality manager.",
)
def add_agreement(request: HttpRequest, reference: str, payload: AgreementIn) -> Status[dict[str, object]]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    require_step(user, "agreement", complaint)
    owner: User | str = payload.owner
    if payload.owner_username:
        staff = User.objects.filter(username=payload.owner_username, is_active=True).first()
        if staff is None:
            invalid("owner_username", "is not the username of an active staff member")
        owner = staff
    elif not payload.owner:
        invalid("owner", "give owner or owner_username")
    agreement = procedure.add_agreement(
        complaint=complaint, by=user, description=payload.description, owner=owner, due=payload.due
    )
    return Status(
        201, {"id": agreement.pk, "description": payload.description, "owner": agreement.owner, "due": payload.due}
    )


@api.post(
    "/complaints/{reference}/close",
    response=responses(200, ComplaintOut),
    url_name="close",
    summary="Close the complaint",
    description="Role: the responsible person handling the complaint, or the quality manager. "
    "Closing before the acknowledgement and the first contact needs the quality manager's skip_reason; "
    "closing with open agreements needs the quality manager's override_reason.",
)
def close(request: HttpRequest, reference: str, payload: CloseIn) -> dict[str, object]:
    user = acting_user(request)
    complaint = complaint_in_reach(request, reference)
    require_step(user, "close", complaint)
    procedure.close(
        complaint=complaint,
        by=user,
        outcome=payload.outcome,
        resolution=payload.resolution,
        complainant_agrees=payload.complainant_agrees,
        override_reason=payload.override_reason,
        skip_reason=payload.skip_reason,
    )
    log_access(user=user, complaint=complaint, action="api.close")
    return detail(complaint)
