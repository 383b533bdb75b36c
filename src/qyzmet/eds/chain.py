"""Trust anchors, chain building and the per-certificate checks of a path.

Checks, in this order (each step raises ``EdsError`` with its code):

1. ``build_path`` — from the certificate up to a trust anchor, by issuer name and
   authority/subject key identifier, each link's signature verified (RSA or GOST);
   intermediates must be CAs (basicConstraints, keyCertSign, path length) →
   ``untrusted_chain`` (or ``unsupported_algorithm`` when the only possible link is
   signed with an algorithm we cannot verify).
2. ``check_period`` — every certificate of the path valid at the moment →
   ``not_yet_valid`` / ``expired``.
3. ``check_purpose`` — key usage and extended key usage of the end certificate →
   ``wrong_purpose``.

Any certificate in the trust directory is an anchor, so an operator may pin an
intermediate CA whose root is not at hand (as with the GOST 2022 test CA).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .algorithms import verify_signature
from .certificate import Certificate, as_utc, pem_or_der
from .errors import EdsError
from .profile import AUTH, EKU_CLIENT_AUTH, EKU_EMAIL_PROTECTION, SIGN

MAX_PATH_LENGTH = 8
TRUST_FILE_SUFFIXES = (".pem", ".cer", ".crt", ".der")


class TrustStore:
    """Trust anchors plus caches of verified signatures and built paths.

    Signature results do not depend on the moment of validation, so they are cached by
    the (issuer, subject) fingerprints for the life of the store; built paths are cached
    by the end certificate and the intermediates offered with it.
    """

    def __init__(
        self,
        anchors: Iterable[Certificate],
        *,
        allowed_families: frozenset[str] | None = None,
    ) -> None:
        self.anchors: list[Certificate] = []
        self._anchor_fingerprints: set[bytes] = set()
        self._by_subject: dict[str, list[Certificate]] = {}
        self.allowed_families = allowed_families
        for anchor in anchors:
            if anchor.fingerprint in self._anchor_fingerprints:
                continue
            self.anchors.append(anchor)
            self._anchor_fingerprints.add(anchor.fingerprint)
            self._by_subject.setdefault(anchor.subject_key, []).append(anchor)
        self._signatures: dict[tuple[bytes, bytes], str | None] = {}
        self._paths: dict[tuple[bytes, tuple[bytes, ...]], list[Certificate]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_directory(cls, directory: str | Path, **options) -> TrustStore:
        """Every certificate in PEM/DER files (``.pem .cer .crt .der``) of ``directory``."""
        anchors: list[Certificate] = []
        folder = Path(directory)
        if not folder.is_dir():
            raise FileNotFoundError(f"trust anchors directory not found: {folder}")
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in TRUST_FILE_SUFFIXES or not path.is_file():
                continue
            for der in pem_or_der(path.read_bytes()):
                anchors.append(Certificate.from_der(der))
        return cls(anchors, **options)

    @classmethod
    def from_certificates(cls, blobs: Iterable[bytes], **options) -> TrustStore:
        anchors = [Certificate.from_der(der) for blob in blobs for der in pem_or_der(blob)]
        return cls(anchors, **options)

    def is_anchor(self, certificate: Certificate) -> bool:
        return certificate.fingerprint in self._anchor_fingerprints

    # --- signatures
    def check_signature(self, issuer: Certificate, subject: Certificate) -> None:
        """Verify ``subject``'s signature with ``issuer``'s key (cached)."""
        key = (issuer.fingerprint, subject.fingerprint)
        if key not in self._signatures:
            try:
                verify_signature(
                    issuer,
                    subject.signature_algorithm_oid,
                    subject.tbs_der,
                    subject.signature,
                    allowed_families=self.allowed_families,
                )
                outcome = None
            except EdsError as error:
                outcome = error.code
            with self._lock:
                self._signatures[key] = outcome
        outcome = self._signatures[key]
        if outcome is not None:
            raise EdsError(outcome, f"signature of {subject!r} by {issuer!r}")

    # --- paths
    def build_path(
        self, certificate: Certificate, intermediates: Iterable[Certificate] = ()
    ) -> list[Certificate]:
        """The path [certificate, ..., anchor]; ``EdsError`` when there is none."""
        offered = [c for c in intermediates if c.fingerprint != certificate.fingerprint]
        cache_key = (certificate.fingerprint, tuple(sorted(c.fingerprint for c in offered)))
        cached = self._paths.get(cache_key)
        if cached is not None:
            return cached
        by_subject: dict[str, list[Certificate]] = {}
        for candidate in offered:
            by_subject.setdefault(candidate.subject_key, []).append(candidate)
        failures: list[str] = []
        path = self._extend([certificate], by_subject, failures)
        if path is None:
            if failures and all(code == "unsupported_algorithm" for code in failures):
                raise EdsError("unsupported_algorithm", "the issuer's signature algorithm")
            raise EdsError("untrusted_chain", f"no path to a trust anchor for {certificate!r}")
        with self._lock:
            self._paths[cache_key] = path
        return path

    def _extend(
        self,
        path: list[Certificate],
        offered: dict[str, list[Certificate]],
        failures: list[str],
    ) -> list[Certificate] | None:
        current = path[-1]
        if self.is_anchor(current):
            return path
        if len(path) > MAX_PATH_LENGTH:
            return None
        seen = {c.fingerprint for c in path}
        candidates = self._by_subject.get(current.issuer_key, []) + offered.get(
            current.issuer_key, []
        )
        for issuer in candidates:
            if issuer.fingerprint in seen:
                continue
            if (
                current.authority_key_identifier
                and issuer.subject_key_identifier
                and current.authority_key_identifier != issuer.subject_key_identifier
            ):
                continue
            try:
                _check_issuer_may_sign_certificates(issuer, path)
                self.check_signature(issuer, current)
            except EdsError as error:
                failures.append(error.code)
                continue
            found = self._extend([*path, issuer], offered, failures)
            if found is not None:
                return found
        return None


def _check_issuer_may_sign_certificates(issuer: Certificate, path: list[Certificate]) -> None:
    if not issuer.is_ca:
        raise EdsError("untrusted_chain", f"{issuer!r} is not a CA")
    if issuer.key_usage is not None and "key_cert_sign" not in issuer.key_usage:
        raise EdsError("untrusted_chain", f"{issuer!r} may not sign certificates")
    if issuer.path_length is not None:
        # Intermediate CAs below this issuer, not counting the end certificate.
        below = sum(1 for c in path[1:] if not c.is_self_issued)
        if below > issuer.path_length:
            raise EdsError("untrusted_chain", f"path length constraint of {issuer!r}")


def check_period(path: list[Certificate], at: datetime) -> None:
    """Every certificate of the path must be valid at ``at`` (end certificate first)."""
    moment = as_utc(at)
    for certificate in path:
        if moment < certificate.not_before:
            raise EdsError("not_yet_valid", f"{certificate!r} valid from {certificate.not_before}")
        if moment > certificate.not_after:
            raise EdsError("expired", f"{certificate!r} expired at {certificate.not_after}")


_SIGNING_KEY_USAGES = {"digital_signature", "non_repudiation"}


TIMESTAMP = "timestamp"
EKU_TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
OID_EXTENDED_KEY_USAGE = "2.5.29.37"


def check_purpose(certificate: Certificate, purpose: str | None) -> None:
    """``sign``: digitalSignature/nonRepudiation and emailProtection (NCA signing keys);
    ``auth``: clientAuth (NCA authentication keys); ``timestamp``: a TSA (RFC 3161)."""
    if purpose is None:
        return
    usage = certificate.key_usage
    eku = certificate.extended_key_usage
    if purpose == SIGN:
        if usage is not None and not usage & _SIGNING_KEY_USAGES:
            raise EdsError("wrong_purpose", "key usage does not allow signing")
        if EKU_EMAIL_PROTECTION not in eku:
            raise EdsError("wrong_purpose", "not a signing key (no emailProtection)")
    elif purpose == AUTH:
        if usage is not None and "digital_signature" not in usage:
            raise EdsError("wrong_purpose", "key usage does not allow authentication")
        if EKU_CLIENT_AUTH not in eku:
            raise EdsError("wrong_purpose", "not an authentication key (no clientAuth)")
    elif purpose == TIMESTAMP:
        # RFC 3161 §2.3: the TSA's certificate has exactly one extendedKeyUsage,
        # id-kp-timeStamping, and the extension is critical.
        critical, _ = certificate.extensions.get(OID_EXTENDED_KEY_USAGE, (False, b""))
        if eku != {EKU_TIME_STAMPING} or not critical:
            raise EdsError("wrong_purpose", "not a TSA certificate (critical EKU timeStamping)")
    else:
        raise ValueError(f"unknown purpose {purpose!r}")
