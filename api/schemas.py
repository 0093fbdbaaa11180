"""The API's request and response shapes.

Requests refuse unknown fields (a misspelt field is an error, not silently ignored) and
strings the database cannot hold (NUL characters, more than the column takes)."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints

from complaints.models import Channel, Outcome, Status, Subject

# Dates far outside the life of a complaint are refused before any date arithmetic sees them.
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("enter a valid e-mail address") from None
    return value


def _plausible_date(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value


def _plausible_moment(value: datetime) -> datetime:
    _plausible_date(value.date())
    return value


# The constraints the validators above enforce, stated in the OpenAPI document too, so a client
# built from it does not send what is refused.
NO_NUL_PATTERN = "^[^\\x00]*$"
DATE_RANGE = f"Between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def text(max_length: int, *, required: bool = False) -> object:
    """A string of at most `max_length` characters without NUL; surrounding whitespace removed."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1 if required else 0, max_length=max_length),
        AfterValidator(_no_nul),
        Field(json_schema_extra={"pattern": NO_NUL_PATTERN}),
    ]


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254),
    AfterValidator(_no_nul),
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email", "description": "An e-mail address, or empty."}),
]
PlausibleDate = Annotated[date, AfterValidator(_plausible_date), Field(json_schema_extra={"description": DATE_RANGE})]
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_plausible_moment),
    Field(json_schema_extra={"description": "With a time zone offset. " + DATE_RANGE}),
]

ChannelName = Literal["web", "phone", "letter", "email"]
SubjectName = Literal["service", "working_method"]
StatusName = Literal["received", "in_progress", "closed", "withdrawn"]
OutcomeName = Literal["well_founded", "partly_well_founded", "unfounded", "withdrawn"]

assert set(ChannelName.__args__) == set(Channel.values)  # type: ignore[attr-defined]
assert set(SubjectName.__args__) == set(Subject.values)  # type: ignore[attr-defined]
assert set(StatusName.__args__) == set(Status.values)  # type: ignore[attr-defined]
assert set(OutcomeName.__args__) == set(Outcome.values)  # type: ignore[attr-defined]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# Requests -----------------------------------------------------------------------------------


class ComplaintIn(Strict):
    channel: ChannelName = Field(description="How the complaint came in.")
    received_at: Moment = Field(
        description="When it came in (with time zone offset): deadlines count from this moment's date."
    )
    name: text(200, required=True)  # type: ignore[valid-type]
    company: text(200) = ""  # type: ignore[valid-type]
    complaint_date: PlausibleDate | None = Field(
        None, description="The date the complainant gives; defaults to the date of receipt."
    )
    about: text(200) = Field("", description="Whom or what the complaint is about.")  # type: ignore[valid-type]
    about_staff: list[text(150, required=True)] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=20,
        description="Usernames of the staff members the complaint is about: they cannot be handed the complaint "
        "and never see it. As linking them in the back office.",
    )
    email: Email = ""
    postal_address: text(500) = ""  # type: ignore[valid-type]
    phone: text(25) = ""  # type: ignore[valid-type]
    description: text(10000, required=True)  # type: ignore[valid-type]
    subject: SubjectName
    desired_outcome: text(2000) = ""  # type: ignore[valid-type]
    submission_key: str | None = Field(
        None,
        pattern=r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
        description="A UUID chosen by the caller; sending the same key again returns the complaint "
        "created the first time instead of a second one.",
    )


class AcknowledgeIn(Strict):
    """No fields: the acknowledgement is sent now, as a letter."""


class AssignIn(Strict):
    to: text(150, required=True) = Field(description="Username of the responsible person.")  # type: ignore[valid-type]


class ContactIn(Strict):
    kind: Literal["call"] = "call"
    at: Moment = Field(description="When the call took place.")
    summary: text(10000, required=True)  # type: ignore[valid-type]


class AgreementIn(Strict):
    description: text(2000, required=True)  # type: ignore[valid-type]
    owner: text(200) = Field(  # type: ignore[valid-type]
        "", description="Who carries out the agreement when it is not a member of staff (e.g. the complainant)."
    )
    owner_username: text(150) = Field(  # type: ignore[valid-type]
        "", description="The member of staff who carries it out: reminded, and shown on their My work."
    )
    due: PlausibleDate


class CloseIn(Strict):
    outcome: OutcomeName
    resolution: text(10000, required=True)  # type: ignore[valid-type]
    complainant_agrees: bool | None = None
    override_reason: text(2000) = Field(  # type: ignore[valid-type]
        "", description="Quality manager only: why the complaint is closed with open agreements."
    )
    skip_reason: text(2000) = Field(  # type: ignore[valid-type]
        "", description="Quality manager only: why it is closed without the acknowledgement or the first contact."
    )


# Responses ----------------------------------------------------------------------------------


class FieldErrors(Schema):
    message: str = Field(description="What went wrong, in one sentence.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Per field (dotted path), what is wrong with it."
    )


class DeadlineOut(Schema):
    due: date
    done_at: datetime | None = Field(description="When the step was taken, if it was.")
    met: bool | None = Field(
        description="True when done on time, false when done late or overdue, null while still open."
    )
    overdue: bool = Field(description="Not done and the due date has passed.")


class DeadlinesOut(Schema):
    acknowledge: DeadlineOut
    contact: DeadlineOut
    resolve: DeadlineOut


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class EventOut(Schema):
    at: datetime
    kind: str
    actor: str
    from_status: str
    to_status: str
    message: str
    visibility: Literal["public", "internal"]


class ComplaintSummaryOut(Schema):
    reference: str
    channel: ChannelName
    status: StatusName
    received_at: datetime
    name: str | None = Field(description="Null where your role may see only the reference and status.")
    subject: SubjectName
    assigned_to: str | None
    acknowledge_due: date
    contact_due: date
    resolve_due: date
    overdue: bool


class ComplaintOut(ComplaintSummaryOut):
    registered_at: datetime
    registered_by: str | None
    about_staff: list[str] = Field(description="Usernames of the staff members the complaint is about.")
    company: str
    complaint_date: date
    about: str
    email: str
    postal_address: str
    phone: str
    description: str
    desired_outcome: str
    assigned_at: datetime | None
    acknowledged_at: datetime | None
    first_contact_at: datetime | None
    conversation_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    outcome: OutcomeName | Literal[""]
    resolution: str
    complainant_agrees: bool | None
    anonymised_at: datetime | None
    deadlines: DeadlinesOut
    attachments: list[AttachmentOut]
    timeline: list[EventOut]


class ComplaintPageOut(Schema):
    items: list[ComplaintSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")


class ContactOut(Schema):
    id: int
    kind: str
    at: datetime | None


class AgreementOut(Schema):
    id: int
    description: str
    owner: str
    due: date
