"""The whole URLconf of the demo PKI services process (``qyzmet demo-services``, started by
``qyzmet serve`` in demo mode): CRLs, CA certificates, OCSP and TSA at ``/eds/demo/`` on a
port of their own — the addresses the demo certificates name. Not the site's URLconf: the
site's workers ask these services over HTTP and must not be the ones answering. Nor the
site's middleware or error pages (sessions, CSP, the portal's frame): plain answers."""

from django.http import HttpResponse
from django.urls import include, path

# The services process's whole middleware (``demo_services.make_server`` installs it).
MIDDLEWARE: list[str] = []

urlpatterns = [path("eds/demo/", include("qyzmet.demo.urls"))]


def _plain(status: int):
    def handler(request, exception=None):
        return HttpResponse(status=status)

    return handler


handler400, handler403, handler404, handler500 = (_plain(s) for s in (400, 403, 404, 500))
