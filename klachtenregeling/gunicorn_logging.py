"""gunicorn's access log without the complainant's status link: `--logger-class
klachtenregeling.gunicorn_logging.RedactingLogger`. Every value of a log line that can hold a
path (the request line, the path, the referrer, the raw URI) has the link replaced."""

from typing import Any

from gunicorn.glogging import Logger

from lib.redaction import redact_status_links


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type information
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: redact_status_links(value) if isinstance(value, str) else value for key, value in atoms.items()}
