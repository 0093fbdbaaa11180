"""Keep the reports the page opens with warm in the cache (see reports.cache)."""

from django.conf import settings
from django.utils import timezone, translation

from lib.dates import local_date

from . import periods
from .cache import REFRESH_AFTER, report_for


def warm_reports() -> int:
    """Recompute the last twelve months, this year and last year when their cached figures
    are older than REFRESH_AFTER. Returns how many periods were looked at."""
    today = local_date(timezone.now())
    picks = [periods.last_twelve_months(today), periods.year(today.year), periods.year(today.year - 1)]
    with translation.override(settings.LANGUAGE_CODE):
        for period in picks:
            report_for(period, refresh_after=REFRESH_AFTER)
    return len(picks)
