"""Settings of eGov mobile QR signing. Every setting has a default; override in Django settings
(``settings/base.py`` reads them from the environment).

- ``QYZMET_EGOV_MOBILE_BASE_URL`` (``QYZMET_PUBLIC_BASE_URL``): the public address the eGov
  mobile app reaches from the phone; API1 and API2 URLs (and so the QR code) are built on it.
  In production it must be the HTTPS address registered with the operator of eGov mobile.
- ``QYZMET_EGOV_MOBILE_SECONDS`` (300): how long a QR code is valid.
- ``QYZMET_EGOV_MOBILE_MAX_BODY_BYTES`` (262144): the largest PUT body the app may send back.
- ``QYZMET_PROVIDER_BIN``: the organisation's BIN shown in the app (the provider's names come
  from the service's catalogue version).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SECONDS": 300,
    "MAX_BODY_BYTES": 256 * 1024,
}

EGOV_MOBILE_LINK = (
    "https://mgovsign.page.link/?link={link}&isi=1476128386&ibi=kz.egov.mobile&apn=kz.mobile.mgov"
)
EGOV_BUSINESS_LINK = (
    "https://egovbusiness.page.link/?link={link}&isi=1597880144"
    "&ibi=kz.mobile.mgov.business&apn=kz.mobile.mgov.business"
)


def get(name: str) -> Any:
    return getattr(settings, f"QYZMET_EGOV_MOBILE_{name}", DEFAULTS[name])


def base_url() -> str:
    configured = getattr(settings, "QYZMET_EGOV_MOBILE_BASE_URL", "") or getattr(
        settings, "QYZMET_PUBLIC_BASE_URL", "http://127.0.0.1:8000"
    )
    return str(configured).rstrip("/")


def organisation_bin() -> str:
    return str(getattr(settings, "QYZMET_PROVIDER_BIN", "") or "")
