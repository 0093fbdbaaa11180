"""The one scheduler entry point: every periodic job, run in order.

Each job is a small idempotent function that looks for work whose time has come
(`due <= now`), so a missed run simply catches up the next time."""

import logging
import time

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def run_periodic_jobs() -> dict[str, object]:
    results: dict[str, object] = {}
    for path in settings.PERIODIC_JOBS:
        started = time.monotonic()
        try:
            results[path] = import_string(path)()
        except Exception:
            # One failing job must not stop the others; it is retried next run.
            logger.exception("periodic job %s failed", path)
            results[path] = "failed"
        logger.info("periodic job %s took %.2fs", path, time.monotonic() - started)
    return results
