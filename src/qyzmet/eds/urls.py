"""Mounted by the project at ``/eds/`` (see ``views.py``)."""

from django.urls import path, re_path

from . import views

app_name = "eds"
urlpatterns = [
    path("demo/crl/<slug:name>.crl", views.demo_crl, name="demo-crl"),
    path("demo/ca/<slug:name>.cer", views.demo_ca_certificate, name="demo-ca"),
    path("demo/ocsp/", views.demo_ocsp, name="demo-ocsp"),
    re_path(r"^demo/ocsp/(?P<encoded>[A-Za-z0-9+/=_%-]+)$", views.demo_ocsp, name="demo-ocsp-get"),
    path("demo/tsa/", views.demo_tsa, name="demo-tsa"),
    path("vendor/node-forge/forge.min.js", views.forge_script, name="forge"),
]
