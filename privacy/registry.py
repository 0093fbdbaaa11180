"""The one declaration of personal data: every field of every model of the project that holds
personal data, what kind of data it is, whose it is and how it is anonymised; and, for the
other fields that might look personal, why they are not.

The anonymiser (retention and erasure), the data-subject export and search all read this
module; tests/privacy/test_registry.py walks every model of the project and fails when a
field that looks personal is declared neither way, so a new field forces a decision here.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

# What an anonymised text field says instead of the person's words.
TOKEN = "[geanonimiseerd]"  # noqa: S105 (not a password)


class Category(models.TextChoices):
    IDENTITY = "identity", _("identity (name, company)")
    CONTACT = "contact", _("contact details (e-mail, address, phone)")
    FREE_TEXT = "free_text", _("free text (may hold anything, including health data)")
    FILE = "file", _("files (attachments, letters, mail attachments)")
    STAFF = "staff", _("staff member (name, function, account)")
    ACCESS = "access", _("access and use (who read what, when)")


class Treatment(models.TextChoices):
    BLANK = "blank", _("emptied")
    TOKEN = "token", _("replaced by a fixed text")
    NULL = "null", _("link removed")
    DELETE_FILE = "delete_file", _("file deleted from storage")
    SCRUB_JSON = "scrub_json", _("texts in structured data replaced")
    RETAIN = "retain", _("kept (see note)")


class Subject(models.TextChoices):
    COMPLAINANT = "complainant", _("complainant")
    STAFF = "staff", _("staff")
    # Text written by staff or the complainant about the case: names either.
    MIXED = "mixed", _("complainant and staff")


@dataclass(frozen=True)
class PersonalField:
    name: str
    category: Category
    treatment: Treatment
    subject: Subject = Subject.COMPLAINANT
    # Part of the complainant's export (GDPR art. 15/20). Staff data stays out: art. 15(4).
    export: bool | None = None
    # Searched when the privacy officer looks a person up.
    searchable: bool = False
    note: str = ""

    @property
    def exported(self) -> bool:
        return self.subject == Subject.COMPLAINANT if self.export is None else self.export


@dataclass(frozen=True)
class ModelDeclaration:
    model: str
    # Lookup from this model to the complaint whose file it belongs to ("" for the complaint
    # itself); None when the rows are not part of a complaint file.
    complaint_path: str | None
    personal: tuple[PersonalField, ...] = ()
    # Fields that might look personal by name or type but are not, with the reason.
    not_personal: dict[str, str] = field(default_factory=dict)
    # Further lookups to a complaint for rows that belong to two files (a link between complaints).
    also_paths: tuple[str, ...] = ()
    # Rows of this model that go into the complainant's export (e.g. only public timeline events).
    export_filter: dict[str, object] = field(default_factory=dict)
    # Non-personal fields exported for context next to the personal ones.
    export_context: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def field(self, name: str) -> PersonalField | None:
        return next((f for f in self.personal if f.name == name), None)


P = PersonalField
C, S, M = Subject.COMPLAINANT, Subject.STAFF, Subject.MIXED
ENUM = "a choice from a fixed list"
TECH = "technical value, says nothing about a person"
STAFF_KEPT = "staff member acting in their job; kept for accountability, managed with the account"

DECLARATIONS: tuple[ModelDeclaration, ...] = (
    ModelDeclaration(
        "complaints.Complaint",
        complaint_path="",
        personal=(
            P("name", Category.IDENTITY, Treatment.TOKEN, searchable=True),
            P("company", Category.IDENTITY, Treatment.BLANK),
            P("email", Category.CONTACT, Treatment.BLANK, searchable=True),
            P("postal_address", Category.CONTACT, Treatment.BLANK),
            P("phone", Category.CONTACT, Treatment.BLANK, searchable=True),
            P("description", Category.FREE_TEXT, Treatment.TOKEN, note="may hold health data"),
            P("desired_outcome", Category.FREE_TEXT, Treatment.TOKEN),
            # "Persoon / functie": names the staff member the complaint is about.
            P("about", Category.STAFF, Treatment.TOKEN, subject=S),
            P("about_staff", Category.STAFF, Treatment.NULL, subject=S),
            P("resolution", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("discussion_summary", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("resolve_extension_reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("registered_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("received_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("assigned_to", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={
            "reference": "the complaint's number",
            "channel": ENUM,
            "status": ENUM,
            "subject": ENUM,
            "outcome": ENUM,
            "procedure": ENUM,
            "submission_key": TECH,
            "inbox_notice_pending": TECH,
        },
        export_context=(
            "reference",
            "channel",
            "status",
            "received_at",
            "complaint_date",
            "subject",
            "acknowledged_at",
            "first_contact_at",
            "confirmed_at",
            "closed_at",
            "outcome",
        ),
    ),
    ModelDeclaration(
        "complaints.Attachment",
        complaint_path="complaint",
        personal=(
            P("file", Category.FILE, Treatment.DELETE_FILE, export=False, note="listed in the export, not copied"),
            P("original_name", Category.FILE, Treatment.TOKEN),
            P("sha256", Category.FILE, Treatment.BLANK, export=False, note="would confirm who holds a document"),
            P("uploaded_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"content_type": TECH},
        export_context=("content_type", "size", "uploaded_at"),
    ),
    ModelDeclaration(
        "complaints.TimelineEvent",
        complaint_path="complaint",
        personal=(
            P("message", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P(
                "actor_label",
                Category.IDENTITY,
                Treatment.TOKEN,
                subject=M,
                export=False,
                note="an e-mail sender's address or 'klager'",
            ),
            P("data", Category.FREE_TEXT, Treatment.SCRUB_JSON, subject=M, export=False),
            P("actor", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"kind": ENUM, "from_status": ENUM, "to_status": ENUM, "visibility": ENUM},
        # The complainant's own history; internal notes stay internal (art. 15(4): they name staff).
        export_filter={"visibility": "public"},
        # What happened is in the message itself; the kind is an internal code, left out of
        # both copies (the PDF and the JSON).
        export_context=("at",),
    ),
    ModelDeclaration(
        "complaints.Contact",
        complaint_path="complaint",
        personal=(
            P("location", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("video_link", Category.CONTACT, Treatment.BLANK, subject=M, export=False),
            P("participants", Category.IDENTITY, Treatment.TOKEN, subject=M, export=False),
            P("summary", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("cancel_reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("created_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"kind": ENUM, "status": ENUM, "uid": TECH},
        export_context=("kind", "status", "starts_at", "ends_at", "happened_at"),
    ),
    ModelDeclaration(
        "complaints.Agreement",
        complaint_path="complaint",
        personal=(
            P("description", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P("owner", Category.IDENTITY, Treatment.TOKEN, subject=M, export=False),
            P("owner_user", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("done_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("created_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        export_context=("due", "done_at"),
    ),
    ModelDeclaration(
        "outbox.OutboxMessage",
        complaint_path="complaint",
        personal=(
            P("to", Category.CONTACT, Treatment.SCRUB_JSON, subject=M, export=False),
            P("reply_to", Category.CONTACT, Treatment.BLANK, subject=M, export=False),
            P("subject", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("body_text", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("body_html", Category.FREE_TEXT, Treatment.BLANK, subject=M, export=False),
            P("headers", Category.CONTACT, Treatment.SCRUB_JSON, subject=M, export=False),
            P(
                "last_error",
                Category.CONTACT,
                Treatment.BLANK,
                subject=M,
                export=False,
                note="a refused recipient's address",
            ),
        ),
        not_personal={"kind": ENUM, "status": ENUM, "message_id": TECH},
    ),
    ModelDeclaration(
        "outbox.OutboxAttachment",
        complaint_path="message__complaint",
        personal=(
            P("file", Category.FILE, Treatment.DELETE_FILE, subject=M, export=False),
            P("filename", Category.FILE, Treatment.TOKEN, subject=M, export=False),
        ),
        not_personal={"content_type": TECH},
    ),
    ModelDeclaration(
        "deadlines.Reminder",
        complaint_path="complaint",
        personal=(P("address", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),),
        not_personal={"deadline": ENUM, "kind": ENUM},
    ),
    ModelDeclaration(
        "deadlines.Digest",
        complaint_path=None,
        personal=(P("address", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),),
    ),
    ModelDeclaration(
        "correspondence.Letter",
        complaint_path="complaint",
        personal=(
            P("subject", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=True),
            P(
                "body",
                Category.FREE_TEXT,
                Treatment.TOKEN,
                subject=M,
                export=True,
                note="sent to the complainant; signed with a function",
            ),
            P("data", Category.FREE_TEXT, Treatment.SCRUB_JSON, subject=M, export=False),
            P("pdf", Category.FILE, Treatment.DELETE_FILE, subject=M, export=False),
            P("filename", Category.FILE, Treatment.TOKEN, subject=M, export=False),
            P(
                "sha256",
                Category.FILE,
                Treatment.RETAIN,
                subject=M,
                export=False,
                note="a sent letter must keep the hash of what was sent; without the deleted PDF it says nothing",
            ),
            P("created_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("sent_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("post_fallback_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"ics_uid": TECH, "ics_method": TECH},
        export_filter={"status": "sent"},
        export_context=("kind", "sent_at", "channel"),
    ),
    ModelDeclaration(
        "correspondence.LetterTemplate",
        complaint_path=None,
        personal=(P("updated_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),),
        not_personal={"subject": "template text with placeholders", "body": "template text with placeholders"},
    ),
    ModelDeclaration(
        "correspondence.StatusLink",
        complaint_path="complaint",
        not_personal={"token_hash": "hash of a random token"},
    ),
    ModelDeclaration(
        "mailintake.InboundMessage",
        complaint_path="complaint",
        personal=(
            P("from_address", Category.CONTACT, Treatment.BLANK, export=False),
            P("from_name", Category.IDENTITY, Treatment.BLANK, export=False),
            P("subject", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("error", Category.FREE_TEXT, Treatment.BLANK, subject=M, export=False),
            P("headers_excerpt", Category.CONTACT, Treatment.BLANK, subject=M, export=False),
            P(
                "held_message",
                Category.FREE_TEXT,
                Treatment.NULL,
                subject=M,
                export=False,
                note="only until a person adds the message to the complaint or rejects it",
            ),
            P("decided_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"folder": TECH, "message_id": TECH, "outcome": ENUM},
    ),
    ModelDeclaration(
        "mailintake.MailboxClaim",
        complaint_path=None,
        not_personal={"folder": "a mailbox folder's name", "holder": "a worker's random id"},
    ),
    ModelDeclaration(
        "quality.Classification",
        complaint_path="complaint",
        personal=(P("updated_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),),
        not_personal={"severity": ENUM},
    ),
    ModelDeclaration(
        "quality.ComplaintLink",
        complaint_path="first",
        also_paths=("second",),
        personal=(
            P("reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("created_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
    ),
    ModelDeclaration(
        "quality.SurveyInvitation",
        complaint_path="complaint",
        personal=(
            P("comment", Category.FREE_TEXT, Treatment.TOKEN),
            P("flag_handled_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"token_hash": "hash of a random token"},
        export_context=("sent_at", "answered_at", "score"),
    ),
    ModelDeclaration(
        "quality.Category",
        complaint_path=None,
        not_personal={"name": "a category of complaints", "name_en": "the category's name in English"},
    ),
    ModelDeclaration(
        "quality.RootCause",
        complaint_path=None,
        not_personal={"name": "a kind of root cause", "name_en": "the root cause's name in English"},
    ),
    ModelDeclaration(
        "quality.CorrectiveAction",
        complaint_path=None,
        personal=tuple(
            P(
                name,
                Category.FREE_TEXT,
                Treatment.RETAIN,
                subject=S,
                note="an improvement of the service, written about processes, not about a complainant",
            )
            for name in ("title", "description", "check_notes")
        )
        + tuple(
            P(name, Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT)
            for name in ("owner", "created_by", "done_by")
        ),
        not_personal={"status": ENUM, "check_result": ENUM},
    ),
    ModelDeclaration(
        "quality.EffectivenessCheck",
        complaint_path=None,
        personal=(
            *(
                P(
                    name,
                    Category.FREE_TEXT,
                    Treatment.RETAIN,
                    subject=S,
                    note="findings about an improvement, written about processes, not about a complainant",
                )
                for name in ("notes", "early_reason")
            ),
            P("checked_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={
            "result": ENUM,
            "window_days": "a number of days",
            "complaints_before": "a count",
            "complaints_after": "a count",
        },
    ),
    ModelDeclaration("quality.ActionReminder", complaint_path=None, not_personal={"kind": ENUM}),
    ModelDeclaration(
        "reports.ReportExport",
        complaint_path=None,
        personal=(P("requested_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),),
        not_personal={
            "fmt": ENUM,
            "status": ENUM,
            "file": "an anonymised list of complaints, removed after EXPORT_KEEP_HOURS",
            "filename": "the period's name",
            "period_key": "the period's name",
        },
    ),
    ModelDeclaration(
        "reports.DailyFigures",
        complaint_path=None,
        not_personal={
            "day": "a date",
            "figures": "counts of the complaints received that day",
            **{
                f"{step}_seconds": "lead times in seconds of that day's complaints"
                for step in ("acknowledge", "contact", "resolve")
            },
        },
    ),
    ModelDeclaration("reports.StaleDay", complaint_path=None, not_personal={"day": "a date"}),
    ModelDeclaration(
        "privacy.RequestExport",
        complaint_path=None,
        personal=(
            P(
                "file",
                Category.FILE,
                Treatment.RETAIN,
                note="the person's data for their request, removed after EXPORT_KEEP_HOURS",
            ),
            P("reason", Category.FREE_TEXT, Treatment.RETAIN, subject=M, note="removed with the export"),
            P("requested_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"fmt": ENUM, "status": ENUM, "filename": "the request's number"},
    ),
    ModelDeclaration(
        "api.ApiToken",
        complaint_path=None,
        personal=tuple(
            P(name, Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT)
            for name in ("user", "created_by", "revoked_by")
        ),
        not_personal={"name": "what the token is for", "token_hash": "hash of a random token", "prefix": TECH},
    ),
    ModelDeclaration(
        "accounts.RecoveryCodeDevice",
        complaint_path=None,
        personal=(P("user", Category.STAFF, Treatment.RETAIN, subject=S, note="the account's second factor"),),
        not_personal={"name": TECH},
    ),
    ModelDeclaration("accounts.RecoveryCode", complaint_path=None, not_personal={"digest": "hash of a random code"}),
    ModelDeclaration(
        "privacy.AccessLog",
        complaint_path="complaint",
        personal=(
            P("user", Category.ACCESS, Treatment.RETAIN, subject=S, note="who read a file is kept for accountability"),
            P("detail", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
        ),
        not_personal={"action": ENUM},
    ),
    ModelDeclaration(
        "privacy.LegalHold",
        complaint_path="complaint",
        personal=(
            P("reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("placed_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("lifted_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
    ),
    ModelDeclaration(
        "privacy.ProcessingRestriction",
        complaint_path="complaint",
        personal=(
            P("reason", Category.FREE_TEXT, Treatment.TOKEN, subject=M, export=False),
            P("placed_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("lifted_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
    ),
    ModelDeclaration(
        "privacy.DataSubjectRequest",
        complaint_path=None,
        personal=(
            P("requester_name", Category.IDENTITY, Treatment.RETAIN, note="proof the request was answered, art. 5(2)"),
            P("requester_email", Category.CONTACT, Treatment.RETAIN, note="proof the request was answered, art. 5(2)"),
            P("requester_phone", Category.CONTACT, Treatment.RETAIN, note="proof the request was answered, art. 5(2)"),
            P("notes", Category.FREE_TEXT, Treatment.RETAIN, subject=M, note="proof the request was answered"),
            P("outcome", Category.FREE_TEXT, Treatment.RETAIN, subject=M, note="proof the request was answered"),
            P("created_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("completed_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
            P("extension_reason", Category.FREE_TEXT, Treatment.RETAIN, subject=M, note="proof the person was told"),
            P("extension_notice", Category.CONTACT, Treatment.RETAIN, note="proof the person was told"),
            P("extended_by", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={"kind": ENUM, "status": ENUM},
    ),
    ModelDeclaration(
        "privacy.FileErasure",
        complaint_path=None,
        not_personal={"storage_name": "a random storage name of a file about to be deleted"},
    ),
    ModelDeclaration(
        "accounts.User",
        complaint_path=None,
        personal=tuple(
            P(name, Category.STAFF, Treatment.RETAIN, subject=S, note="the account; the administrator manages it")
            for name in ("username", "first_name", "last_name", "email", "job_title", "password")
        ),
        not_personal={"deactivated_at": "a date; the account's details are removed a period after it"},
    ),
    ModelDeclaration(
        "organisation.OrganisationSettings",
        complaint_path=None,
        personal=(
            P(
                "privacy_contact_name",
                Category.STAFF,
                Treatment.RETAIN,
                subject=S,
                note="the privacy contact (FG/DPO) the organisation publishes; the administrator changes it",
            ),
            P(
                "privacy_contact_email",
                Category.STAFF,
                Treatment.RETAIN,
                subject=S,
                note="the privacy contact (FG/DPO) the organisation publishes; the administrator changes it",
            ),
            P("deputy", Category.STAFF, Treatment.RETAIN, subject=S, note=STAFF_KEPT),
        ),
        not_personal={
            name: "the organisation's own published details"
            for name in (
                "name",
                "street_address",
                "postal_code_city",
                "mailing_address",
                "phone",
                "quality_inbox",
                "logo",
                "processors",
                "transfers",
                "legal_basis",
                "health_data_basis",
                "publish_annual_report",
                "procedure",
            )
        },
    ),
    ModelDeclaration(
        "organisation.AdminLogEntry",
        complaint_path=None,
        personal=tuple(
            P(
                name,
                Category.STAFF,
                Treatment.RETAIN,
                subject=S,
                note="changes to staff accounts and settings, for accountability; deleted after "
                "ADMIN_LOG_RETENTION_MONTHS",
            )
            for name in ("actor", "subject", "detail")
        ),
    ),
    ModelDeclaration(
        "organisation.ClosureDay", complaint_path=None, not_personal={"description": "a day's name, e.g. 'Brugdag'"}
    ),
)

BY_MODEL: dict[str, ModelDeclaration] = {d.model.lower(): d for d in DECLARATIONS}


def declaration_for(model: type[models.Model]) -> ModelDeclaration | None:
    return BY_MODEL.get(model._meta.label_lower)


def installed(declarations: tuple[ModelDeclaration, ...] = DECLARATIONS) -> list[ModelDeclaration]:
    """The declarations whose model is installed (an app may be switched off in a deployment)."""
    result = []
    for declaration in declarations:
        try:
            apps.get_model(declaration.model)
        except LookupError:
            continue
        result.append(declaration)
    return result


def complaint_file() -> list[ModelDeclaration]:
    """The declarations of models whose rows belong to a complaint's file, the complaint first."""
    return [d for d in installed() if d.complaint_path is not None]
