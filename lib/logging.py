"""A log formatter that keeps every record on its own line(s), whatever the logged values hold.

A value from a request (a path, a user name, a mail header) may contain CR, LF or other control
characters; written as they are, they let anyone forge a log line. The formatter escapes them in
the message, and indents a traceback's lines so that none of them starts like a record. A
complainant's status link in a message (Django logs the path of a 404) is replaced."""

import logging

from .redaction import redact_status_links

# C0 and C1 controls, DEL and the Unicode line and paragraph separators.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ESCAPES.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def escape_controls(text: str) -> str:
    return text.translate(_ESCAPES)


class SafeFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = redact_status_links(escape_controls(record.message))
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:
        text = super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join("  " + escape_controls(line) for line in text.splitlines())

    def formatStack(self, stack_info: str) -> str:
        return "\n".join("  " + escape_controls(line) for line in stack_info.splitlines())
