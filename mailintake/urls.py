from django.urls import path

from . import views

app_name = "mailintake"

urlpatterns = [
    path("ontvangen-email/", views.message_list, name="list"),
    path("ontvangen-email/<int:pk>/toevoegen/", views.decide_held, {"add": True}, name="add_held"),
    path("ontvangen-email/<int:pk>/afwijzen/", views.decide_held, {"add": False}, name="reject_held"),
]
