from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path, re_path

from qyzmet.core.jsi18n import Catalogue

urlpatterns = [
    path("admin/", admin.site.urls),
    # the JavaScript's texts in a language (core/jsi18n.py, docs/i18n.md)
    re_path(r"^jsi18n/(?P<language>[a-z-]+)\.js$", Catalogue.as_view(), name="jsi18n"),
]

# The demo PKI's CRL, OCSP and TSA endpoints are not the site's: they are served by a process
# of their own (`qyzmet demo-services`, URLconf qyzmet.demo.service_urls), which the site's
# workers ask over HTTP like NCA's services in production.

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
