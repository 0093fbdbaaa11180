"""What we tell people about their personal data, for the public privacy statement and the
processing register (GDPR art. 30).

The sentences shared with the letters' and e-mails' footer (purpose, retention period) come
from organisation.privacy, which the letters use, and every value from the organisation's
settings: change the retention period or the inbox and the statement, the register and the
letters change together."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation import privacy as privacy_wording
from organisation.models import HealthDataBasis, LegalBasis, OrganisationSettings
from organisation.selectors import get_organisation

from .registry import Category, Subject, complaint_file
from .retention import terms


@dataclass(frozen=True)
class Purpose:
    title: str
    legal_basis: str
    description: str


@dataclass(frozen=True)
class Statement:
    controller: str
    controller_address: str
    contact: str
    # The data protection officer (FG), as the organisation's settings name them.
    privacy_contact: str
    retention_months: int
    purposes: tuple[Purpose, ...]
    data_categories: tuple[str, ...]
    people: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: str
    retention: str
    # The terms of the records outside a complaint file (privacy.retention).
    record_terms: tuple[str, ...]
    security_measures: tuple[str, ...]
    # The public statement, paragraph by paragraph.
    public_paragraphs: tuple[str, ...]


def retention_sentence(organisation: OrganisationSettings) -> str:
    return (
        privacy_wording.retention_sentence(organisation)
        + " "
        + _("Then we remove your name, contact details and the text of the complaint.")
    )


def _data_categories() -> tuple[str, ...]:
    """The categories the registry declares for the complaint file, in declaration order."""
    seen: list[str] = []
    for declaration in complaint_file():
        for field in declaration.personal:
            if field.subject != Subject.STAFF and str(field.category) not in seen:
                seen.append(str(field.category))
    return tuple(str(Category(c).label) for c in seen)


def _dpo_sentence(organisation: OrganisationSettings) -> str:
    if not organisation.privacy_contact_email:
        return ""
    who = organisation.privacy_contact_name or _("our privacy contact")
    return " " + _("You can also write to %(who)s (data protection officer) at %(email)s.") % {
        "who": who,
        "email": organisation.privacy_contact_email,
    }


def _processors(organisation: OrganisationSettings) -> tuple[str, ...]:
    lines = tuple(line.strip() for line in organisation.processors.splitlines() if line.strip())
    if lines:
        return tuple(_("Processor: %(line)s") % {"line": line} for line in lines)
    return (_("No processors recorded yet: the administrator records them under Organisation."),)


def _security_measures() -> tuple[str, ...]:
    """What protects the data, as the settings in force have it: a line that depends on the
    deployment says what this one does."""
    mailer: dict[str, Any] = settings.MAILERS["default"]
    mail: dict[str, Any] = mailer.get("OPTIONS", {})
    backend = str(mailer["BACKEND"])
    smtp = backend.endswith("smtp.EmailBackend")
    return (
        _("Need-to-know access: each role sees only the complaints it handles."),
        _("Every opening of a complaint, download and export is written to an access log."),
        _(
            "E-mail to staff names only the reference, channel, date of receipt, next deadline and a link; "
            "never the text of a complaint or the complainant's name or contact details."
        ),
        _("The timeline and the access log cannot be changed or deleted: the database refuses it too.")
        if connection.vendor == "postgresql"
        else _(
            "The timeline and the access log cannot be changed or deleted through the application; this "
            "database (SQLite) does not enforce it itself."
        ),
        _("Two-step login is required for every member of staff.")
        if settings.TWO_FACTOR_REQUIRED
        else _("Two-step login is available to staff but not required."),
        _("Attachments and letters are stored outside the web server's reach."),
        _("Pages are served over HTTPS only.")
        if settings.SECURE_SSL_REDIRECT
        else _("HTTPS is not enforced by the application (the web server in front of it may)."),
        (
            _("E-mail leaves for the mail server over an encrypted connection (TLS).")
            if mail.get("use_tls") or mail.get("use_ssl")
            else _("E-mail leaves for the mail server without encryption (EMAIL_USE_TLS is off).")
        )
        if smtp
        else _("E-mail is not sent to a mail server here (%(backend)s).") % {"backend": backend.rpartition(".")[2]},
        _("Automatic anonymisation after the retention period."),
    )


def _record_terms() -> tuple[str, ...]:
    term = terms()
    months = {name: t.months for name, t in term.items()}
    return (
        ngettext(
            "Data-subject requests: deleted %(count)d month after they were answered.",
            "Data-subject requests: deleted %(count)d months after they were answered.",
            months["requests"],
        )
        % {"count": months["requests"]},
        ngettext(
            "Access log: an entry is deleted after %(count)d month.",
            "Access log: an entry is deleted after %(count)d months.",
            months["access_log"],
        )
        % {"count": months["access_log"]},
        ngettext(
            "Staff accounts: name, e-mail address and job title are removed %(count)d month after the "
            "account was deactivated.",
            "Staff accounts: name, e-mail address and job title are removed %(count)d months after the "
            "account was deactivated.",
            months["staff_accounts"],
        )
        % {"count": months["staff_accounts"]},
        ngettext(
            "E-mail that is not about a complaint (invitations, digests, notices to requesters): deleted "
            "%(count)d month after it was sent.",
            "E-mail that is not about a complaint (invitations, digests, notices to requesters): deleted "
            "%(count)d months after it was sent.",
            months["outbox"],
        )
        % {"count": months["outbox"]},
        ngettext(
            "Incoming mail that no complaint took in: sender, subject and header excerpt are removed after "
            "%(count)d day.",
            "Incoming mail that no complaint took in: sender, subject and header excerpt are removed after "
            "%(count)d days.",
            term["mail_excerpts"].days,
        )
        % {"count": term["mail_excerpts"].days},
        ngettext(
            "Exports for a request or a report: deleted %(count)d hour after they were made.",
            "Exports for a request or a report: deleted %(count)d hours after they were made.",
            settings.EXPORT_KEEP_HOURS,
        )
        % {"count": settings.EXPORT_KEEP_HOURS},
    )


def _handling_basis(organisation: OrganisationSettings) -> str:
    """The ground the organisation chose (organisation settings), with its reasoning."""
    reasons = {
        LegalBasis.LEGITIMATE_INTEREST: _(
            "Legitimate interest (GDPR art. 6(1)(f)): handling complaints well is our interest and the "
            "complainant's, and cannot be done without their name and a way to reach them."
        ),
        LegalBasis.LEGAL_OBLIGATION: _(
            "A legal obligation (GDPR art. 6(1)(c)): the law obliges us to handle complaints."
        ),
        LegalBasis.PUBLIC_TASK: _(
            "A public task (GDPR art. 6(1)(e)): handling complaints about our conduct is part of it."
        ),
    }
    health = {
        HealthDataBasis.CLAIMS: _(
            "Health data a complainant writes about: GDPR art. 9(2)(f), kept with the complaint in case of a claim."
        ),
        HealthDataBasis.HEALTH_CARE: _(
            "Health data a complainant writes about: GDPR art. 9(2)(h), as part of the care we provide."
        ),
    }
    return f"{reasons[LegalBasis(organisation.legal_basis)]} {health[HealthDataBasis(organisation.health_data_basis)]}"


def _public_basis(organisation: OrganisationSettings) -> str:
    if organisation.legal_basis == LegalBasis.LEGAL_OBLIGATION:
        return _(
            "We must do so: the law obliges us to handle complaints (GDPR art. 6(1)(c)). Without your name and "
            "a way to reach you we cannot look into your complaint or answer you."
        )
    if organisation.legal_basis == LegalBasis.PUBLIC_TASK:
        return _(
            "We do so as part of our public task (GDPR art. 6(1)(e)). Without your name and a way to reach you "
            "we cannot look into your complaint or answer you."
        )
    return _(
        "We may do so because handling complaints well is our legitimate interest, and yours (GDPR art. "
        "6(1)(f)): without your name and a way to reach you we cannot look into your complaint or answer "
        "you."
    )


def _privacy_contact(organisation: OrganisationSettings) -> str:
    if not organisation.privacy_contact_email:
        return _("No data protection officer recorded: the administrator records one under Organisation.")
    name = organisation.privacy_contact_name or _("data protection officer")
    return f"{name}, {organisation.privacy_contact_email}"


def statement(organisation: OrganisationSettings | None = None) -> Statement:
    organisation = organisation or get_organisation()
    months = organisation.retention_months
    return Statement(
        controller=organisation.name,
        controller_address=organisation.postal_address,
        contact=organisation.quality_inbox,
        privacy_contact=_privacy_contact(organisation),
        retention_months=months,
        purposes=(
            Purpose(
                title=_("Handling the complaint"),
                legal_basis=_handling_basis(organisation),
                description=_(
                    "Registering the complaint, acknowledging it, contacting the complainant, recording what was "
                    "agreed and confirming it in writing, within the deadlines of the published procedure."
                ),
            ),
            Purpose(
                title=_("Improving the service"),
                legal_basis=_("Legitimate interest (GDPR art. 6(1)(f)), on anonymised or aggregated data only."),
                description=_(
                    "Figures on numbers, subjects, categories, outcomes and deadlines met; never a name or the "
                    "text of a complaint."
                ),
            ),
        ),
        data_categories=_data_categories(),
        people=(
            _("Complainants and the people who file a complaint on their behalf"),
            _("Staff members a complaint is about (Person / position)"),
            _("Staff members who handle complaints (users of this system)"),
        ),
        recipients=(
            _("The quality manager and the responsible person the complaint is handed to"),
            _("Back office staff who register a complaint, until it is handed over"),
            *_processors(organisation),
        ),
        transfers=organisation.transfers.strip() or _("None: the data stays in the European Economic Area."),
        retention=retention_sentence(organisation)
        + " "
        + _("A legal hold keeps a complaint's data for as long as a court case or claim needs it."),
        record_terms=_record_terms(),
        security_measures=_security_measures(),
        public_paragraphs=(
            _("%(name)s (%(address)s) processes the personal data you give here.")
            % {"name": organisation.name, "address": organisation.postal_address}
            + " "
            + privacy_wording.purpose_sentence(),
            _public_basis(organisation),
            _(
                "Your data is seen only by the staff who handle your complaint: the quality manager and the person "
                "responsible for it, and the staff member who registered it until it is handed over. Our hosting "
                "provider and our e-mail provider process it on our behalf, under a processing agreement. We give "
                "it to nobody else, unless the law obliges us to."
            ),
            retention_sentence(organisation),
            # The right to object (art. 21(1)) holds where the ground is art. 6(1)(e) or (f).
            *(
                ()
                if organisation.legal_basis == LegalBasis.LEGAL_OBLIGATION
                else (
                    _(
                        "You have the right to object to our use of your data (GDPR art. 21): tell us why, and we "
                        "stop unless we have compelling reasons that weigh more heavily, such as a claim."
                    ),
                )
            ),
            _(
                "You have the right to see, correct or have erased your data, to restrict its processing and to "
                "receive it in a machine-readable form. Send your request to %(inbox)s."
            )
            % {"inbox": organisation.quality_inbox}
            + _dpo_sentence(organisation)
            + " "
            + _(
                "If you think we handle your data wrongly, you can complain to the Autoriteit Persoonsgegevens "
                "(the Dutch Data Protection Authority), autoriteitpersoonsgegevens.nl."
            ),
        ),
    )
