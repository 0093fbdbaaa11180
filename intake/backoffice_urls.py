from django.urls import path

from . import views

app_name = "intake_backoffice"

urlpatterns = [
    path("registreren/", views.register, name="register"),
]
