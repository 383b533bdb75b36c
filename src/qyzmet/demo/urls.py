"""The demo PKI's endpoints, mounted at ``/eds/demo/`` by the demo PKI services' URLconf
(``service_urls.py``; the addresses the demo certificates name; see ``views.py``)."""

from django.urls import path, re_path

from . import views

app_name = "demo"
urlpatterns = [
    path("crl/<slug:name>.crl", views.demo_crl, name="crl"),
    path("ca/<slug:name>.cer", views.demo_ca_certificate, name="ca"),
    path("ocsp/", views.demo_ocsp, name="ocsp"),
    re_path(r"^ocsp/(?P<encoded>[A-Za-z0-9+/=_%-]+)$", views.demo_ocsp, name="ocsp-get"),
    path("tsa/", views.demo_tsa, name="tsa"),
]
