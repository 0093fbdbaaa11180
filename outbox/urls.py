from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("verzonden-email/", views.message_list, name="list"),
    path("verzonden-email/<int:pk>/", views.message_detail, name="detail"),
]
