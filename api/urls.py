from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("api-sleutels/", views.token_list, name="list"),
    path("api-sleutels/<int:pk>/intrekken/", views.token_revoke, name="revoke"),
]
