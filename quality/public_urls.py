from django.urls import path

from . import views

app_name = "satisfaction"

# The survey is public: the complainant has no account, the link's token is the key.
urlpatterns = [
    path("tevredenheid/<str:token>/", views.survey, name="survey"),
]
