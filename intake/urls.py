from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.home, name="home"),
    path("klacht/", views.complaint_form, name="complaint_form"),
    path("klacht/ontvangen/<str:token>/", views.submitted, name="submitted"),
]
