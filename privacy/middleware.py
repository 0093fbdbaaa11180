"""Refused reads in the access log (GDPR art. 32): a staff member who asks for a complaint
outside their reach gets a 404, and the attempt is recorded against that complaint. (The
REST API records its own in api/errors.py.)"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from complaints.selectors import ComplaintNotFound

from .services import log_refused


class DeniedAccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Nothing returned: the 404 page follows as usual.
        if isinstance(exception, ComplaintNotFound) and request.user.is_authenticated:
            log_refused(user=request.user, reference=exception.reference, path=request.path)
