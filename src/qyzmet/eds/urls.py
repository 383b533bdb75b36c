"""Mounted by the project at ``/eds/`` (see ``views.py``); the demo PKI's endpoints under
``/eds/demo/`` are ``qyzmet.demo.urls``, served by the demo PKI services process
(``qyzmet demo-services``), not by the site."""

from django.urls import path

from . import views

app_name = "eds"
urlpatterns = [
    path("vendor/node-forge/forge.min.js", views.forge_script, name="forge"),
]
