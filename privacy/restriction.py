"""What stops a step on a complaint: a restriction of processing (GDPR art. 18) or a legal hold.

Every entry that changes a complaint or mails about it (the procedure's steps, the status page,
an e-mail reply, the API) passes `ensure_not_restricted`."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from complaints.errors import ProcedureError
from complaints.models import Complaint

from .models import ProcessingRestriction


class ProcessingRestricted(ProcedureError):
    """The complaint's processing is restricted (GDPR art. 18): stored only, nothing else."""


class LegalHoldActive(ProcedureError):
    """A legal hold keeps the complaint's data; it cannot be anonymised or erased now."""


def active_restriction(complaint: Complaint) -> ProcessingRestriction | None:
    return ProcessingRestriction.objects.filter(complaint=complaint, lifted_at__isnull=True).first()


def is_restricted(complaint: Complaint) -> bool:
    return ProcessingRestriction.objects.filter(complaint=complaint, lifted_at__isnull=True).exists()


def restricted(complaint: str = "pk") -> Exists:
    """Whether the complaint in the outer query (its pk at `complaint`) is restricted, for a
    filter or an annotation in that query."""
    return Exists(ProcessingRestriction.objects.filter(complaint=OuterRef(complaint), lifted_at__isnull=True))


def ensure_not_restricted(complaint: Complaint) -> None:
    """Call at the start of every step that changes a complaint or mails about it."""
    if is_restricted(complaint):
        raise ProcessingRestricted(
            _(
                "Processing of complaint %(reference)s is restricted at the complainant's request: "
                "it may only be stored until the restriction is lifted."
            )
            % {"reference": complaint.reference}
        )
