from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.home, name="home"),
    path("klacht/", views.complaint_form, name="complaint_form"),
    path("privacy/", views.privacy_statement, name="privacy_statement"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility_statement"),
    path("klacht/ontvangen/<str:token>/", views.submitted, name="submitted"),
]
