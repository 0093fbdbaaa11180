"""The complainant's status link is a key: wherever staff or a log could read it, it is replaced."""

import re

# /klacht/status/<token>/ with the 43 characters of token_urlsafe(32).
STATUS_LINK = re.compile(r"(/klacht/status/)[A-Za-z0-9_-]{43}(/?)")
REDACTED = "…"


def redact_status_links(text: str) -> str:
    return STATUS_LINK.sub(rf"\g<1>{REDACTED}\g<2>", text)
