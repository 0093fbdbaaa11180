from datetime import date

from django import template
from django.utils.formats import date_format

from ..access import reports_only
from ..charts import _fmt

register = template.Library()


@register.filter
def figure(value: object, unit: str = "") -> str:
    """A number as the charts show it: Dutch decimal comma, "–" for no value."""
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return _fmt(value, unit)


@register.filter
def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter(name="reports_only")
def reports_only_filter(user: object) -> bool:
    """For the navigation: management without a complaint role sees only the reports."""
    return bool(getattr(user, "is_authenticated", False)) and reports_only(user)  # type: ignore[arg-type]
