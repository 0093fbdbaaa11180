from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.home, name="home"),
    path("klachten/", views.complaint_list, name="list"),
    path("klachten/<str:reference>/", views.complaint_detail, name="detail"),
    path("klachten/<str:reference>/bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
