from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/register/", views.processing_register, name="register"),
    path("privacy/register/pdf/", views.processing_register_pdf, name="register_pdf"),
    path("privacy/toegang/", views.access_log, name="access_log"),
    path("privacy/toegang/klacht/<str:reference>/", views.access_log_complaint, name="access_log_complaint"),
    path("privacy/toegang/gebruiker/<int:user_id>/", views.access_log_user, name="access_log_user"),
    path("privacy/bewaarplicht/", views.legal_holds, name="holds"),
    path("privacy/bewaarplicht/<int:pk>/opheffen/", views.lift_legal_hold, name="hold_lift"),
    path("privacy/beperkingen/<int:pk>/opheffen/", views.lift_restriction, name="restriction_lift"),
    path("privacy/verzoeken/", views.request_list, name="requests"),
    path("privacy/verzoeken/nieuw/", views.request_new, name="request_new"),
    path("privacy/verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("privacy/verzoeken/<int:pk>/export/", views.request_export, name="request_export"),
    path("privacy/verzoeken/<int:pk>/verlengen/", views.request_extend, name="request_extend"),
    path("privacy/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("privacy/exports/<int:pk>/voortgang/", views.export_progress, name="export_progress"),
    path("privacy/exports/<int:pk>/bestand/", views.export_download, name="export_download"),
    path("privacy/verzoeken/<int:pk>/rectificeren/", views.request_rectify, name="request_rectify"),
    path("privacy/verzoeken/<int:pk>/beperken/", views.request_restrict, name="request_restrict"),
    path("privacy/verzoeken/<int:pk>/intrekken/", views.request_withdraw, name="request_withdraw"),
    path("privacy/verzoeken/<int:pk>/wissen/", views.request_erase, name="request_erase"),
    path("privacy/verzoeken/<int:pk>/afhandelen/", views.request_complete, name="request_complete"),
]
