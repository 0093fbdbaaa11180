"""The ceiling: one Django view that returns a few bytes, served by the same gunicorn setup
as the application. Every figure of a run is also given as a share of this one.

    gunicorn bench.hello:application -w 2 -b 127.0.0.1:8602
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-" + "0" * 50,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
