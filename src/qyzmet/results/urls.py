from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("verify/upload/", views.upload, name="upload"),
    path("verify/<str:registration_number>/<str:token>/", views.verify, name="verify"),
    path(
        "verify/<str:registration_number>/<str:token>/document.pdf",
        views.download,
        name="download",
    ),
]
