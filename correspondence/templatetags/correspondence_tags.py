from dataclasses import dataclass

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint, Contact
from outbox.models import MessageStatus, OutboxMessage

from ..models import Letter, LetterStatus
from ..services import LetterOffer, letter_offers, may_write

register = template.Library()


@dataclass(frozen=True)
class LettersPanel:
    offers: list[LetterOffer]
    drafts: list[Letter]
    sent: list[Letter]
    failed_mail: list[OutboxMessage]
    # Whether the user may open letters at all (the letter views' role check).
    can_open: bool


@register.simple_tag(takes_context=True)
def letters_panel(context: template.Context, complaint: Complaint) -> LettersPanel:
    """The letters section of the complaint page: what can be written now, drafts, what
    went out, and mail that could not be delivered."""
    user: User = context["request"].user
    # Read onto the page's own complaint, where the page may have read them already (the
    # complaint page lists the contacts too): then no query is asked twice.
    # The texts of the letters and of their e-mails are not shown here: left in the database.
    letters_shown = (
        Letter.objects.select_related("outbox_message")
        .defer("body", "outbox_message__body_text", "outbox_message__body_html", "outbox_message__headers")
        .order_by("created_at", "pk")
    )
    prefetch_related_objects(
        [complaint],
        Prefetch("letters", queryset=letters_shown),
        Prefetch("contacts", queryset=Contact.objects.order_by("created_at", "pk")),
    )
    letters = list(complaint.letters.all())
    # A restricted complaint takes no letter until the restriction is lifted.
    offers = (
        []
        if complaint.is_restricted
        else [offer for offer in letter_offers(complaint) if may_write(user, complaint, offer.kind)]
    )
    draft_kinds = {letter.kind for letter in letters if letter.status == LetterStatus.DRAFT}
    # No query when the complaint page's own query found no failed mail (has_failed_mail:
    # complaints.views.section_flags).
    failed = (
        list(
            OutboxMessage.objects.filter(complaint=complaint, status=MessageStatus.FAILED)
            .select_related("letter")
            .defer("body_text", "body_html")
        )
        if getattr(complaint, "has_failed_mail", True)
        else []
    )
    return LettersPanel(
        offers=[offer for offer in offers if offer.kind not in draft_kinds],
        drafts=[letter for letter in letters if letter.status == LetterStatus.DRAFT],
        sent=[letter for letter in letters if letter.status == LetterStatus.SENT],
        failed_mail=failed,
        can_open=user.has_role(Role.QUALITY_MANAGER, Role.RESPONSIBLE),
    )
