from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from qyzmet.core.jsi18n import Catalogue

urlpatterns = [
    path("admin/", admin.site.urls),
    # the JavaScript's texts in a language (core/jsi18n.py, docs/i18n.md)
    re_path(r"^jsi18n/(?P<language>[a-z-]+)\.js$", Catalogue.as_view(), name="jsi18n"),
]

# Demo tooling (qyzmet.demo: the demo PKI's CRL, OCSP and TSA endpoints, at the addresses the
# demo certificates name) is imported only in demo mode, never in production.
if getattr(settings, "QYZMET_EDS_DEMO_MODE", False):
    urlpatterns.append(path("eds/demo/", include("qyzmet.demo.urls")))

# Each app that serves pages has its own urls.py; it is mounted here under its prefix.
_APP_PREFIXES = {
    "eds": "eds/",
    "office": "office/",
    "registry": "registry/",
    "results": "results/",
    "mobilesign": "mobile-sign/",
    "api": "api/v1/",
    "portal": "",
}
for _app, _prefix in _APP_PREFIXES.items():
    if find_spec(f"qyzmet.{_app}") and find_spec(f"qyzmet.{_app}.urls"):
        urlpatterns.append(path(_prefix, include(import_module(f"qyzmet.{_app}.urls"))))

# The error pages in the frame of the desk or the portal (or JSON under /api/): qyzmet.errors.
handler400 = "qyzmet.errors.bad_request"
handler403 = "qyzmet.errors.permission_denied"
handler404 = "qyzmet.errors.page_not_found"
handler500 = "qyzmet.errors.server_error"
