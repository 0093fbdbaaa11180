"""The periodic job of the e-mail intake (settings.PERIODIC_JOBS)."""

from collections import Counter

from .imap import Mailbox, imap_settings
from .models import Outcome
from .services import Position, process_message


def fetch_mail() -> dict[str, int] | str:
    """The periodic job: read new messages from the intake mailbox. A no-op without IMAP settings."""
    config = imap_settings()
    if config is None:
        return "not configured"
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
            quarantined = inbound.outcome == Outcome.QUARANTINED
            mailbox.move(uid, config.quarantine_folder if quarantined else config.processed_folder)
            counts[inbound.outcome] += 1
    return dict(counts)
