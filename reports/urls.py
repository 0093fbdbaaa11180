from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapportages/", views.index, name="index"),
    path("rapportages/cijfers.<str:fmt>", views.figures_export, name="figures_export"),
    path("rapportages/klachten.<str:fmt>", views.complaints_export, name="complaints_export"),
    path("rapportages/managementreview.pdf", views.review_pdf, name="review_pdf"),
    path("rapportages/jaarverslag/<int:year>/", views.annual, name="annual"),
    path("rapportages/jaarverslag/<int:year>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("rapportages/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("rapportages/exports/<int:pk>/voortgang/", views.export_progress, name="export_progress"),
    path("rapportages/exports/<int:pk>/bestand/", views.export_download, name="export_download"),
]
