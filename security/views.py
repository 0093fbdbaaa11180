import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health as checks

logger = logging.getLogger(__name__)
# Seconds a client is asked to wait when the database is briefly unreachable.
RETRY_AFTER = 30


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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. A lost database connection is an outage, not a bug: 503 with Retry-After,
    so clients and proxies come back (Django calls this inside its `except`, hence exc_info)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.warning("database unavailable: answered 503 for %s", request.path)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": "Service temporarily unavailable; try again shortly."}, status=503
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
