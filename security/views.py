from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health as checks


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database, the task queue and the outbox
    can be read, 503 otherwise."""
    healthy, body = checks.report()
    return JsonResponse(body, status=200 if healthy else 503)


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says. The icon's address is looked up
    per request: under the production settings it comes from the collected files' manifest."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
