"""HTTP endpoints of the EDS app (mounted at ``/eds/``): node-forge's browser bundle, served
from the installed npm package (``node_modules/node-forge/dist/forge.min.js``) so no copy of it
is kept in the tree; the signing module ``static/qyzmet/eds/eds-sign.js`` needs it in the page.

The demo PKI's endpoints (CRLs, CA certificates, OCSP, TSA under ``/eds/demo/``) are demo
tooling: ``qyzmet.demo.views``, served by the demo PKI services process (``qyzmet
demo-services``), not by the site.

Settings: ``QYZMET_EDS_NODE_MODULES_DIR`` (``BASE_DIR/node_modules``): the npm packages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from . import conf


def demo_mode() -> bool:
    return conf.demo_mode()


def node_modules_dir() -> Path:
    configured = getattr(settings, "QYZMET_EDS_NODE_MODULES_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "node_modules"


@require_http_methods(["GET", "HEAD"])
def forge_script(request) -> HttpResponse:
    """node-forge's browser bundle from the installed npm package (``make node``)."""
    path = node_modules_dir() / "node-forge" / "dist" / "forge.min.js"
    try:
        data = path.read_bytes()
    except OSError:
        raise Http404("node-forge is not installed (npm ci)") from None
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(data, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response
