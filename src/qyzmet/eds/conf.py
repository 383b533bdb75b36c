"""Settings of the EDS app. Every setting has a default; override in Django settings.

- ``QYZMET_EDS_TRUST_ANCHORS_DIR`` (``VAR_DIR/eds/trust-anchors``): a folder of CA
  certificates (PEM/DER, ``.pem .cer .crt .der``). In production the operators put the
  NCA RK production roots and intermediates there (pki.gov.kz publishes them); demo mode
  points it at the demo PKI. Every certificate in it is an anchor.
- ``QYZMET_EDS_ACCEPT_TEST_CERTIFICATES`` (False): when False, anchors whose name says
  "TEST" (the NCA RK test CAs) are ignored even if someone copies them into the folder.
- ``QYZMET_EDS_ACCEPTED_ALGORITHMS`` (rsa, gost2015-512, gost2015-256): key families a
  signer or CA may use. GOST 34.310-2004 cannot be verified here (see ``gost.py``).
- ``QYZMET_EDS_REVOCATION_REQUIRED`` (True): no CRL/OCSP answer → ``revocation_unknown``.
- ``QYZMET_EDS_REVOCATION_SOURCES`` (("ocsp", "crl")): which live sources to ask, in order.
- ``QYZMET_EDS_OCSP_URL`` (None): use this responder instead of the certificate's AIA
  address (demo mode: the app's own responder).
- ``QYZMET_EDS_OCSP_FALLBACK_URL`` ("http://ocsp.pki.gov.kz"): the NCA RK production
  responder, asked when a certificate names none.
- ``QYZMET_EDS_CRL_URLS`` (NCA RK production CRLs): tried after a certificate's own
  distribution points.
- ``QYZMET_EDS_CRL_FILES`` (()): local CRL files read up front (offline installations).
- ``QYZMET_EDS_HTTP_TIMEOUT`` (5 s), ``QYZMET_EDS_OCSP_MAX_AGE`` (3600 s: how long an OCSP
  answer without nextUpdate speaks for later moments), ``QYZMET_EDS_CACHE_SIZE`` (256
  parsed CRLs / OCSP answers kept in the process).
- ``QYZMET_EDS_OCSP_CACHE_SECONDS`` (300): how long a verified good/revoked answer fetched live
  from an OCSP responder is reused for the same certificate (0: ask every time); never longer
  than the answer itself covers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

PRODUCTION_OCSP_URL = "http://ocsp.pki.gov.kz"
PRODUCTION_CRL_URLS = (
    "http://crl.pki.gov.kz/nca_rsa_2022.crl",
    "http://crl.pki.gov.kz/nca_gost_2022.crl",
)
TEST_OCSP_URL = "http://test.pki.gov.kz/ocsp/"
TEST_CRL_URLS = (
    "http://test.pki.gov.kz/crl/nca_rsa_test.crl",
    "http://test.pki.gov.kz/crl/nca_gost2022_test.crl",
)


def _default_trust_dir() -> Path:
    return Path(getattr(settings, "VAR_DIR", Path("var"))) / "eds" / "trust-anchors"


DEFAULTS: dict[str, Any] = {
    "ACCEPT_TEST_CERTIFICATES": False,
    "ACCEPTED_ALGORITHMS": ("rsa", "gost2015-512", "gost2015-256"),
    "REVOCATION_REQUIRED": True,
    "REVOCATION_SOURCES": ("ocsp", "crl"),
    "OCSP_URL": None,
    "OCSP_FALLBACK_URL": PRODUCTION_OCSP_URL,
    "CRL_URLS": PRODUCTION_CRL_URLS,
    "CRL_FILES": (),
    "HTTP_TIMEOUT": 5.0,
    "OCSP_MAX_AGE": 3600,
    "CACHE_SIZE": 256,
    "OCSP_CACHE_SECONDS": 300,
}


def get(name: str) -> Any:
    if name == "TRUST_ANCHORS_DIR":
        return Path(getattr(settings, "QYZMET_EDS_TRUST_ANCHORS_DIR", None) or _default_trust_dir())
    return getattr(settings, f"QYZMET_EDS_{name}", DEFAULTS[name])


def demo_mode() -> bool:
    """``QYZMET_EDS_DEMO_MODE`` (default: not ``PRODUCTION``; an unknown installation: off)."""
    default = not getattr(settings, "PRODUCTION", True)
    return bool(getattr(settings, "QYZMET_EDS_DEMO_MODE", default))


def snapshot() -> tuple:
    """All EDS settings, to notice when they change (tests override them)."""
    return (str(get("TRUST_ANCHORS_DIR")),) + tuple(repr(get(name)) for name in sorted(DEFAULTS))
