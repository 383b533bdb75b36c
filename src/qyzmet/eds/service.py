"""The ready-made verifier the portal and the office call (regulation p.10, условие 2).

``verifier()`` is built once per process from the settings (``conf.py``): the trust store
(parsed once, with its signature and path caches), the live CRL/OCSP fetchers and one
process-wide :class:`RevocationCache`, so a CRL is downloaded and verified once per
nextUpdate, not once per request. It is rebuilt when the EDS settings change.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.signals import setting_changed
from django.dispatch import receiver

from . import conf
from .certificate import Certificate
from .chain import TrustStore
from .cms import Verdict, verify_certificate, verify_cms
from .revocation import HttpFetcher, RevocationCache, RevocationSources

logger = logging.getLogger(__name__)


class Verifier:
    def __init__(
        self,
        trust: TrustStore,
        *,
        cache: RevocationCache | None = None,
        fetcher: HttpFetcher | None = None,
        crls: tuple[bytes, ...] = (),
        crl_urls: tuple[str, ...] = (),
        live_order: tuple[str, ...] = ("ocsp", "crl"),
        required: bool = True,
        ocsp_max_age: timedelta = timedelta(hours=1),
    ) -> None:
        self.trust = trust
        self.cache = cache or RevocationCache()
        self.fetcher = fetcher
        self.crls = crls
        self.crl_urls = crl_urls
        self.live_order = live_order
        self.required = required
        self.ocsp_max_age = ocsp_max_age

    def sources(
        self, *, crls: tuple[bytes, ...] = (), ocsp_responses: tuple[bytes, ...] = ()
    ) -> RevocationSources:
        return RevocationSources(
            crls=(*self.crls, *crls),
            ocsp_responses=ocsp_responses,
            ocsp_fetcher=self.fetcher.ocsp if self.fetcher else None,
            crl_fetcher=self.fetcher.crl if self.fetcher else None,
            cache=self.cache,
            required=self.required,
            ocsp_max_age=self.ocsp_max_age,
            crl_urls=self.crl_urls,
            live_order=self.live_order,
        )

    def verify_cms(
        self,
        signature: bytes,
        data: bytes | None,
        *,
        at: datetime | None = None,
        purpose: str | None = "sign",
        expect_iin: str | None = None,
        expect_bin: str | None = None,
    ) -> Verdict:
        return verify_cms(
            signature,
            data,
            trust=self.trust,
            at=at or datetime.now(UTC),
            revocation=self.sources(),
            purpose=purpose,
            expect_iin=expect_iin,
            expect_bin=expect_bin,
        )

    def verify_certificate(
        self,
        certificate: bytes | Certificate,
        *,
        at: datetime | None = None,
        purpose: str | None = None,
        expect_iin: str | None = None,
        expect_bin: str | None = None,
    ) -> Verdict:
        return verify_certificate(
            certificate,
            trust=self.trust,
            at=at or datetime.now(UTC),
            revocation=self.sources(),
            purpose=purpose,
            expect_iin=expect_iin,
            expect_bin=expect_bin,
        )


def _is_test_anchor(certificate: Certificate) -> bool:
    return "TEST" in (certificate.subject_common_name or "").upper()


def build_verifier() -> Verifier:
    directory = conf.get("TRUST_ANCHORS_DIR")
    families = frozenset(conf.get("ACCEPTED_ALGORITHMS"))
    try:
        anchors = TrustStore.from_directory(directory).anchors
    except FileNotFoundError:
        # No anchors: every verdict is untrusted_chain until the operators fill the folder.
        logger.warning("EDS trust anchors directory %s is missing", directory)
        anchors = []
    if not conf.get("ACCEPT_TEST_CERTIFICATES"):
        anchors = [anchor for anchor in anchors if not _is_test_anchor(anchor)]
    crls = tuple(Path(path).read_bytes() for path in conf.get("CRL_FILES"))
    fetcher = HttpFetcher(
        timeout=float(conf.get("HTTP_TIMEOUT")),
        ocsp_url=conf.get("OCSP_URL"),
        fallback_ocsp_url=conf.get("OCSP_FALLBACK_URL"),
    )
    return Verifier(
        TrustStore(anchors, allowed_families=families),
        cache=RevocationCache(
            max_entries=int(conf.get("CACHE_SIZE")),
            ocsp_reuse=timedelta(seconds=int(conf.get("OCSP_CACHE_SECONDS"))),
        ),
        fetcher=fetcher,
        crls=crls,
        crl_urls=tuple(conf.get("CRL_URLS")),
        live_order=tuple(conf.get("REVOCATION_SOURCES")),
        required=bool(conf.get("REVOCATION_REQUIRED")),
        ocsp_max_age=timedelta(seconds=int(conf.get("OCSP_MAX_AGE"))),
    )


_lock = threading.Lock()
_current: tuple[tuple, Verifier] | None = None


def verifier() -> Verifier:
    """The process-wide verifier (shared caches); rebuilt when the settings change."""
    global _current
    key = conf.snapshot()
    current = _current
    if current is not None and current[0] == key:
        return current[1]
    with _lock:
        if _current is None or _current[0] != key:
            _current = (key, build_verifier())
        return _current[1]


@receiver(setting_changed)
def _forget_verifier(*, setting: str, **_kwargs) -> None:
    global _current
    if setting.startswith("QYZMET_EDS_") or setting == "VAR_DIR":
        _current = None


def verify_signature(
    signature: bytes,
    content: bytes | None,
    *,
    purpose: str | None = "sign",
    expect_iin: str | None = None,
    expect_bin: str | None = None,
    at: datetime | None = None,
) -> Verdict:
    """Verify a CMS signature over ``content`` now (or at ``at``) with the configured
    trust anchors and revocation sources."""
    return verifier().verify_cms(
        signature, content, at=at, purpose=purpose, expect_iin=expect_iin, expect_bin=expect_bin
    )


def check_certificate(
    certificate: bytes | Certificate,
    *,
    purpose: str | None = None,
    expect_iin: str | None = None,
    expect_bin: str | None = None,
    at: datetime | None = None,
) -> Verdict:
    """Verify a certificate (sign-up, login) now (or at ``at``)."""
    return verifier().verify_certificate(
        certificate, at=at, purpose=purpose, expect_iin=expect_iin, expect_bin=expect_bin
    )
