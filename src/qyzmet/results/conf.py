"""Settings of the result documents. Every setting has a default; override in Django settings.

- ``QYZMET_PUBLIC_BASE_URL`` ("http://127.0.0.1:8000"): where the public verification page is
  reachable; the QR code of every document carries ``<base>/results/verify/<number>/<token>/``.
- ``QYZMET_RESULTS_FONT_PATH`` / ``QYZMET_RESULTS_FONT_BOLD_PATH``: the fonts embedded in the
  PDF; read by ``qyzmet.core.pdf_fonts`` (shared with the catalogue's handbook).
- ``QYZMET_RESULTS_SIGNATURE_BYTES`` (32768): room reserved in the PDF for the head's CMS, in
  hex digits (two per DER byte): 16 KB of DER fits a signer certificate with its chain and the
  TSA's signature time-stamp (the demo RSA head's: 10.4 KB; NCA's tokens are ~1.4 KB).
- ``QYZMET_RESULTS_STORAGE`` ("default"): the Django storage alias of the issued files.
- ``QYZMET_RESULTS_TRUST_ANCHORS_DIR`` (None): CA certificates the public verification trusts;
  None means the EDS trust anchors (``QYZMET_EDS_TRUST_ANCHORS_DIR``, demo: the demo PKI root).
- ``QYZMET_RESULTS_PHOTO_MAX_PIXELS`` (1200): item photos are scaled down to this many pixels
  on their long side before they are embedded (a phone photo would otherwise weigh megabytes).
- ``QYZMET_RESULTS_UPLOAD_MAX_BYTES`` (20 MB): the largest PDF the public upload check reads.
- ``QYZMET_RESULTS_VERIFY_CACHE_SECONDS`` (3600): how long a validation outcome is reused; the
  cache key includes the PDF's hash and the trust anchors, so a changed file is re-validated.
- ``QYZMET_RESULTS_RESTAMP_MARGIN_DAYS`` (180): PAdES B-LTA renewal — an issued document is
  re-stamped (DSS for the newest time-stamp's TSA path, then a new document time-stamp) once
  that time-stamp's TSA certificate expires within this many days.
- ``QYZMET_RESULTS_RESTAMP_SECONDS`` (86400): how often ``qyzmet scheduler`` queues the
  renewal task (only when a document is due).
- ``QYZMET_RESULTS_RESTAMP_RETRY_SECONDS`` (3600) / ``..._RESTAMP_RETRIES`` (5): when the TSA
  fails, the task queues itself again after this delay, doubled each time, at most this many
  times; the next scheduled run starts again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SIGNATURE_BYTES": 32768,
    "STORAGE": "default",
    "TRUST_ANCHORS_DIR": None,
    "PHOTO_MAX_PIXELS": 1200,
    "UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    "VERIFY_CACHE_SECONDS": 3600,
    "RESTAMP_MARGIN_DAYS": 180,
    "RESTAMP_SECONDS": 86400,
    "RESTAMP_RETRY_SECONDS": 3600,
    "RESTAMP_RETRIES": 5,
}


def get(name: str) -> Any:
    return getattr(settings, f"QYZMET_RESULTS_{name}", DEFAULTS[name])


def public_base_url() -> str:
    return str(getattr(settings, "QYZMET_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
