from django.urls import path

from . import status_views, views

app_name = "correspondence"

urlpatterns = [
    # Back office
    path("backoffice/klachten/<str:reference>/brieven/nieuw/", views.start, name="start"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/", views.edit, name="edit"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/voorbeeld/", views.preview, name="preview"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/verzenden/", views.send, name="send"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/verwijderen/", views.discard, name="discard"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/pdf/", views.download, name="download"),
    path("backoffice/klachten/<str:reference>/brieven/<int:letter_id>/per-post/", views.post_instead, name="post"),
    path("backoffice/briefsjablonen/", views.template_list, name="templates"),
    path("backoffice/briefsjablonen/<str:kind>/", views.template_edit, name="template_edit"),
    # The complainant's status page
    path("klacht/status/", status_views.status_page, name="status_home"),
    path("klacht/status/nieuwe-link/", status_views.fresh_link, name="status_fresh_link"),
    path("klacht/status/brieven/<int:letter_id>/", status_views.status_letter, name="status_letter"),
    path("klacht/status/<str:token>/", status_views.status_claim, name="status"),
    path("backoffice/klachten/<str:reference>/statuslink/", views.reissue_status_link, name="reissue_status_link"),
]
