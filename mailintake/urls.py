from django.urls import path

from . import views

app_name = "mailintake"

urlpatterns = [
    path("ontvangen-email/", views.message_list, name="list"),
]
