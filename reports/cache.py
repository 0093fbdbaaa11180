"""Reports served from the shared cache (Redis or the database cache in production).

A year of a million complaints takes a few seconds of database time to aggregate; the
figures change slowly and management reads them often, so a computed report is kept for
REPORT_MAX_AGE and the periodic job `reports.jobs.warm_reports` recomputes the periods the
page offers first before they get old. Every page says when its figures were computed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone, translation

from lib.dates import local_date

from .figures import Report, build_report
from .periods import Period

# Recomputed by the job when older than this; never served when older than REPORT_MAX_AGE.
REFRESH_AFTER = timedelta(minutes=10)
REPORT_MAX_AGE = timedelta(minutes=30)
VERSION = 1


@dataclass(frozen=True)
class CachedReport:
    report: Report
    computed_at: datetime


def _key(period: Period, today: date) -> str:
    # "Judged" deadlines depend on today, and the labels on the language.
    return f"reports:v{VERSION}:{period.start:%Y%m%d}:{period.end:%Y%m%d}:{today:%Y%m%d}:{translation.get_language()}"


def report_for(period: Period, *, refresh_after: timedelta = REPORT_MAX_AGE) -> CachedReport:
    now = timezone.now()
    key = _key(period, local_date(now))
    cached = cache.get(key)
    if isinstance(cached, CachedReport) and now - cached.computed_at < refresh_after:
        return cached
    fresh = CachedReport(report=build_report(period, now=now), computed_at=now)
    cache.set(key, fresh, timeout=int(REPORT_MAX_AGE.total_seconds()))
    return fresh
