"""The periodic job of the e-mail intake (settings.PERIODIC_JOBS)."""

import uuid
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .imap import ImapSettings, Mailbox, imap_settings
from .models import MailboxClaim, Outcome
from .services import Position, process_message

# Long enough for a batch; renewed after every message, so only a dead worker's claim runs out.
CLAIM = timedelta(minutes=10)


def claim_mailbox(key: str) -> str | None:
    """Claim the mailbox folder for this run (conditional UPDATE); None when another worker has it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            MailboxClaim.objects.get_or_create(folder=key, defaults={"until": now - timedelta(seconds=1)})
    except IntegrityError:
        pass  # another worker created the row at the same moment
    holder = uuid.uuid4().hex
    won = MailboxClaim.objects.filter(folder=key, until__lt=now).update(holder=holder, until=now + CLAIM)
    return holder if won else None


def renew_claim(key: str, holder: str) -> None:
    MailboxClaim.objects.filter(folder=key, holder=holder).update(until=timezone.now() + CLAIM)


def release_claim(key: str, holder: str) -> None:
    MailboxClaim.objects.filter(folder=key, holder=holder).update(until=timezone.now() - timedelta(seconds=1))


def fetch_mail() -> dict[str, int] | str:
    """The periodic job: read new messages from the intake mailbox. A no-op without IMAP settings,
    and while another worker is reading the same mailbox."""
    config = imap_settings()
    if config is None:
        return "not configured"
    key = f"{config.user}@{config.host}/{config.folder}"[:200]
    holder = claim_mailbox(key)
    if holder is None:
        return "busy"
    try:
        return _read(config, key, holder)
    finally:
        release_claim(key, holder)


def _read(config: ImapSettings, key: str, holder: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with Mailbox(config) as mailbox:
        mailbox.ensure_folder(config.processed_folder)
        mailbox.ensure_folder(config.quarantine_folder)
        uidvalidity = mailbox.select(config.folder)
        for uid in mailbox.uids()[: config.batch_size]:
            fetched = mailbox.fetch(uid)
            if fetched is None:
                continue
            raw, arrived = fetched
            inbound = process_message(
                position=Position(folder=config.folder, uidvalidity=uidvalidity, uid=uid), raw=raw, received_at=arrived
            )
            quarantined = inbound.outcome in (Outcome.QUARANTINED, Outcome.HELD)
            mailbox.move(uid, config.quarantine_folder if quarantined else config.processed_folder)
            counts[Outcome(inbound.outcome).value] += 1
            renew_claim(key, holder)
    return dict(counts)
