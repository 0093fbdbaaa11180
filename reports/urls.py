from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapportages/", views.index, name="index"),
    path("rapportages/cijfers.<str:fmt>", views.figures_export, name="figures_export"),
    path("rapportages/klachten.<str:fmt>", views.complaints_export, name="complaints_export"),
    path("rapportages/managementreview.pdf", views.review_pdf, name="review_pdf"),
]
