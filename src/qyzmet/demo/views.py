"""The demo PKI's HTTP endpoints at ``/eds/demo/``, served by the demo PKI services process
(``qyzmet demo-services``, URLconf ``service_urls.py``; ``qyzmet serve`` runs it in demo mode
on a port of its own, not in the site's web workers, which call it; each view answers 404
outside demo mode, ``QYZMET_EDS_DEMO_MODE``): its CRLs, CA certificates (the
caIssuers address of the AIA), OCSP responder — the addresses the demo certificates name —
and time-stamping authority (RFC 3161, ``tsa_responder.py``; the default ``QYZMET_TSA_URL`` in
demo mode), so the verifier checks revocation over HTTP exactly as it asks NCA's
``crl.pki.gov.kz`` and ``ocsp.pki.gov.kz`` in production.

Settings (each with a default):

- ``QYZMET_EDS_DEMO_PKI_DIR`` (``VAR_DIR/pki``): where ``create_demo_pki`` wrote it;
- ``QYZMET_EDS_OCSP_RESPONSE_SECONDS`` (3600): nextUpdate of a demo OCSP answer.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from qyzmet.eds.conf import demo_mode

from .ocsp_responder import MAX_REQUEST_BYTES, malformed_response
from .pki import DemoPki, load_demo_pki

OCSP_RESPONSE = "application/ocsp-response"


def demo_pki_dir() -> Path:
    configured = getattr(settings, "QYZMET_EDS_DEMO_PKI_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "pki"


def _demo_pki() -> DemoPki:
    if not demo_mode():
        raise Http404("not in demo mode")
    try:
        return load_demo_pki(demo_pki_dir())
    except FileNotFoundError:
        raise Http404("the demo PKI has not been created (qyzmet demo-pki DIR)") from None


@require_http_methods(["GET", "HEAD"])
def demo_crl(request, name: str) -> HttpResponse:
    pki = _demo_pki()
    if name not in pki.ca_ids:
        raise Http404("no such CA")
    response = HttpResponse(pki.crl(name), content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_http_methods(["GET", "HEAD"])
def demo_ca_certificate(request, name: str) -> HttpResponse:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = _demo_pki()
    if name not in pki.ca_ids:
        raise Http404("no such CA")
    der = pki.ca_certificate(name).public_bytes(Encoding.DER)
    return HttpResponse(der, content_type="application/pkix-cert")


@csrf_exempt  # OCSP clients are not browsers and nothing here touches a session
@require_http_methods(["GET", "POST"])
def demo_ocsp(request, encoded: str | None = None) -> HttpResponse:
    pki = _demo_pki()
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_REQUEST_BYTES:
            return HttpResponse(status=413)
        body = request.read(MAX_REQUEST_BYTES + 1)
    else:
        body = _decode_get_request(encoded or "")
    if not body or len(body) > MAX_REQUEST_BYTES:
        answer = malformed_response()
    else:
        seconds = int(getattr(settings, "QYZMET_EDS_OCSP_RESPONSE_SECONDS", 3600))
        answer = pki.ocsp_responder(validity=timedelta(seconds=seconds)).respond(body)
    response = HttpResponse(answer, content_type=OCSP_RESPONSE)
    response["Cache-Control"] = "no-store"  # every answer carries the request's nonce
    return response


def _decode_get_request(encoded: str) -> bytes:
    """RFC 6960 §A.1.1: GET {url}/{url-encoding of base-64 encoding of the DER request}.
    Django has already undone the URL encoding; some clients use base64url."""
    text = encoded.strip().replace("-", "+").replace("_", "/")
    if len(text) > MAX_REQUEST_BYTES * 2:
        return b""
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


@csrf_exempt  # TSA clients are not browsers and nothing here touches a session
@require_http_methods(["POST"])
def demo_tsa(request) -> HttpResponse:
    """The demo PKI's time-stamping authority (RFC 3161 over HTTP, ``tsa_responder.py``)."""
    from qyzmet.eds.tsa import QUERY_TYPE, REPLY_TYPE

    from .tsa_responder import MAX_REQUEST_BYTES as MAX_QUERY_BYTES

    pki = _demo_pki()
    if request.content_type != QUERY_TYPE:
        return HttpResponse(status=415)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_QUERY_BYTES:
        return HttpResponse(status=413)
    answer = pki.tsa_responder().respond(request.read(MAX_QUERY_BYTES + 1))
    response = HttpResponse(answer, content_type=REPLY_TYPE)
    response["Cache-Control"] = "no-store"
    return response
