from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("beheer/medewerkers/", views.staff_list, name="staff_list"),
    path("beheer/medewerkers/uitnodigen/", views.staff_invite, name="staff_invite"),
    path("beheer/medewerkers/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", views.staff_deactivate, name="staff_deactivate"),
    path("beheer/medewerkers/<int:pk>/activeren/", views.staff_reactivate, name="staff_reactivate"),
    path(
        "beheer/medewerkers/<int:pk>/tweestaps-herstellen/",
        views.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
    path(
        "beheer/medewerkers/<int:pk>/uitnodiging-opnieuw/",
        views.staff_resend_invitation,
        name="staff_resend_invitation",
    ),
    path("beheer/organisatie/", views.organisation_settings, name="organisation"),
    path("beheer/organisatie/logo/", views.organisation_logo, name="organisation_logo"),
    path("beheer/logboek/", views.admin_log, name="log"),
]
