from datetime import date, datetime

from django.utils import timezone


def local_date(moment: datetime) -> date:
    """The calendar day of a moment in the site's time zone (Europe/Amsterdam)."""
    return timezone.localtime(moment).date()
