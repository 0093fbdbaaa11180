from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import get_organisation


def organisation(request: HttpRequest) -> dict[str, object]:
    # Lazy: pages that never show the organisation's details don't query for them.
    return {"organisation": SimpleLazyObject(get_organisation)}
