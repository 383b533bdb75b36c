"""The OpenAPI schema and the browsable documentation page (Swagger UI).

Swagger UI's files come from the npm package ``swagger-ui-dist`` installed by package.json
(never a CDN), served from a fixed list of names; the page's own script is a static file of
this app, so the strict CSP (``script-src 'self' 'nonce-…'``) holds.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularAPIView

from .. import conf
from ..base import AnonRateThrottle
from ..errors import api_exception_handler
from ..schema import SPECTACULAR_SETTINGS

SWAGGER_FILES = frozenset(
    {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
    }
)


class SchemaView(SpectacularAPIView):
    custom_settings = SPECTACULAR_SETTINGS
    # The schema document itself is not an operation of the API.
    schema = None
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    def get_exception_handler(self):
        return api_exception_handler


@require_GET
def api_root(request):
    """``/api/v1/``: what this is and where its documentation and OpenAPI schema are."""
    return JsonResponse(
        {
            "name": "qyzmet API",
            "version": "v1",
            "docs": reverse("api:docs"),
            "schema": reverse("api:schema"),
        }
    )


@require_GET
def docs_page(request):
    return render(request, "api/docs.html")


@require_GET
def swagger_asset(request, name: str):
    if name not in SWAGGER_FILES:
        raise Http404
    path = Path(conf.get("SWAGGER_UI_DIR")) / name
    if not path.is_file():
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
