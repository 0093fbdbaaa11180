from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("klachten/<str:reference>/classificatie/", views.classify, name="classify"),
    path("klachten/<str:reference>/gerelateerd/", views.related, name="related"),
    path("klachten/<str:reference>/gerelateerd/<int:link_id>/ontkoppelen/", views.unlink, name="unlink"),
    path("klachten/<str:reference>/tevredenheid/", views.survey_answer, name="survey_answer"),
    path("kwaliteit/categorieen/", views.categories, name="categories"),
    path("kwaliteit/categorieen/<int:pk>/", views.categories, name="category_edit"),
    path("kwaliteit/oorzaken/", views.root_causes, name="root_causes"),
    path("kwaliteit/oorzaken/<int:pk>/", views.root_causes, name="root_cause_edit"),
    path("verbetermaatregelen/", views.action_list, name="actions"),
    path("verbetermaatregelen/nieuw/", views.action_new, name="action_new"),
    path("verbetermaatregelen/<int:pk>/", views.action_detail, name="action_detail"),
    path("verbetermaatregelen/<int:pk>/<slug:step>/", views.action_step, name="action_step"),
]
