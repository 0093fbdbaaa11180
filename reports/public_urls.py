from django.urls import path

from . import views

app_name = "annual_report"

# The annual complaints report, when the organisation publishes it: finished years only.
urlpatterns = [
    path("jaarverslag/", views.public_annual, name="latest"),
    path("jaarverslag/<int:year>/", views.public_annual, name="year"),
    path("jaarverslag/<int:year>/pdf/", views.public_annual_pdf, name="pdf"),
]
