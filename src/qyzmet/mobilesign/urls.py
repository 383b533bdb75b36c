"""Mounted by the project at ``/mobile-sign/`` (see ``views.py``)."""

from django.urls import path

from . import views

app_name = "mobilesign"
urlpatterns = [
    path("request/<uuid:public_id>/", views.start_request, name="start_request"),
    path("result/<uuid:public_id>/", views.start_result, name="start_result"),
    path("account/<str:purpose>/", views.start_auth, name="start_auth"),
    path("<str:token>/", views.api1, name="api1"),
    path("<str:token>/document/", views.api2, name="api2"),
    path("<str:token>/status/", views.status, name="status"),
    path("<str:token>/qr.svg", views.qr, name="qr"),
]
