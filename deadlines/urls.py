from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("sluitingsdagen/", views.closure_days, name="closure_days"),
    path("sluitingsdagen/<int:pk>/verwijderen/", views.closure_day_delete, name="closure_day_delete"),
    path("termijnen/", views.periods, name="periods"),
]
