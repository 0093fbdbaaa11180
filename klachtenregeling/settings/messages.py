"""Used only by scripts/makemessages: without LOCALE_PATHS, makemessages writes each
app's strings to that app's own catalogue."""

from .local import *  # noqa: F403

LOCALE_PATHS = []
