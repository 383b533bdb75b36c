"""Settings of the REST API. Every setting has a default; override it in Django settings as
``QYZMET_API_<NAME>``.

- ``TOKEN_SECONDS`` (28800): how long an API token lives after it is issued (8 hours, as a
  portal session). Tokens are bearer secrets: only their SHA-256 is stored.
- ``MAX_JSON_BYTES`` (1 MiB): the largest JSON body a request may carry (drafts are at most
  256 KiB of form data; a base64 CMS a few KiB). Larger bodies get 413 ``body_too_large``.
- ``MAX_UPLOAD_BYTES`` (attachment limit + 64 KiB): the largest multipart body; the file
  itself is then checked by content and size by ``cases.attachments.check_upload``.
- ``AUTH_RATE`` ("60/min") and ``ANON_RATE`` ("600/min"): request rates per client address
  (``qyzmet.core.client``; counted in the database, shared by every process)
  for the authentication endpoints (challenges, sign-up, log-in) and for all anonymous
  requests; an applicant's wrong passwords are also counted by ``accounts`` itself.
- ``SWAGGER_UI_DIR`` (``BASE_DIR/node_modules/swagger-ui-dist``): the npm package whose
  files the documentation page loads (installed by package.json, never from a CDN).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings


def _defaults() -> dict[str, Any]:
    attachment_limit = int(getattr(settings, "QYZMET_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
    base_dir = Path(getattr(settings, "BASE_DIR", "."))
    return {
        "TOKEN_SECONDS": 8 * 3600,
        "MAX_JSON_BYTES": 1024 * 1024,
        "MAX_UPLOAD_BYTES": attachment_limit + 64 * 1024,
        "AUTH_RATE": "60/min",
        "ANON_RATE": "600/min",
        "SWAGGER_UI_DIR": base_dir / "node_modules" / "swagger-ui-dist",
    }


def get(name: str) -> Any:
    return getattr(settings, f"QYZMET_API_{name}", _defaults()[name])
