"""The privacy wording the organisation uses everywhere: the public privacy statement, the
footer of every letter and the status page say the same thing, from the same settings."""

from django.utils.translation import gettext, ngettext

from .models import OrganisationSettings


def purpose_sentence() -> str:
    return gettext(
        "We use it only to handle your complaint and, without your name or other details that identify you, "
        "to improve our service. We never use it for anything else."
    )


def retention_sentence(organisation: OrganisationSettings) -> str:
    months = organisation.retention_months
    return ngettext(
        "We keep your data for %(months)d month after your complaint has been closed.",
        "We keep your data for %(months)d months after your complaint has been closed.",
        months,
    ) % {"months": months}


def rights_sentence(organisation: OrganisationSettings) -> str:
    return gettext("To see, correct or have your data erased, write to %(inbox)s.") % {
        "inbox": organisation.quality_inbox
    }


def privacy_summary(organisation: OrganisationSettings) -> str:
    """One short paragraph for the foot of a letter or an e-mail."""
    lead = gettext("%(name)s processes your personal data for handling your complaint.") % {"name": organisation.name}
    return " ".join((lead, purpose_sentence(), retention_sentence(organisation), rights_sentence(organisation)))
