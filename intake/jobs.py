import logging

from . import notifications

logger = logging.getLogger(__name__)


def announce_pending() -> int:
    """The periodic catch-up. A notice written here is one the worker did not write after its
    registration (the queue was down, or the worker), which is worth a warning."""
    written = notifications.announce_pending()
    if written:
        logger.warning("Wrote %s quality-inbox notice(s) the worker had not written", written)
    return written
