from django.contrib import admin
from django.urls import include, path

from api.endpoints import api as api_v1
from security.views import favicon, health

# A lost database connection answers 503 with Retry-After; every other failure the 500 page.
handler500 = "security.views.server_error"

urlpatterns = [
    path("", include("intake.urls")),
    path("accounts/", include("accounts.urls")),
    path("backoffice/", include("complaints.urls")),
    path("backoffice/", include("intake.backoffice_urls")),
    path("backoffice/", include("outbox.urls")),
    path("backoffice/", include("quality.urls")),
    path("backoffice/", include("reports.urls")),
    path("", include("quality.public_urls")),
    path("", include("reports.public_urls")),
    path("backoffice/", include("deadlines.urls")),
    # Letters in the back office and the complainant's status page under /klacht/status/.
    path("", include("correspondence.urls")),
    path("backoffice/", include("privacy.urls")),
    path("backoffice/", include("api.urls")),
    path("backoffice/", include("mailintake.urls")),
    path("backoffice/", include("administration.urls")),
    path("api/v1/", api_v1.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
]
