"""The demo PKI's OCSP responder (RFC 6960) and CRL builder (RFC 5280).

Real, signed answers, so the verifier's revocation checks (regulation p.10, условие 2:
«отсутствие в списке отозванных регистрационных свидетельств») run against the demo
certificates exactly as against NCA's ``ocsp.pki.gov.kz``:

* one certificate per request (what NCA's responder and our verifier send); the request's
  CertID hash algorithm is answered in kind, its nonce echoed;
* ``good`` for a certificate the CA issued and did not revoke, ``revoked`` with date and
  reason, ``unknown`` for a serial the CA never issued — never ``good`` for what it does
  not know; a CertID naming another issuer gets ``unauthorized`` (we do not answer for it);
* thisUpdate = now, nextUpdate = now + ``validity``; signed with SHA-256 by the delegated
  responder certificate (id-kp-OCSPSigning, issued by the CA), which the response carries.

Pure functions over cryptography objects: the demo PKI (``demo_pki.py``) supplies the
certificates, keys and statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

MAX_REQUEST_BYTES = 16 * 1024

_REASONS = {flag.name: flag for flag in x509.ReasonFlags}


@dataclass(frozen=True)
class CertificateStatus:
    """What the CA knows about a certificate it issued."""

    revoked_at: datetime | None = None
    reason: str | None = None  # a cryptography ReasonFlags name, e.g. "key_compromise"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


def malformed_response() -> bytes:
    return unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def issuer_hashes(issuer: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """CertID's issuerNameHash and issuerKeyHash (RFC 6960 §4.1.1) of ``issuer``."""
    name = hashes.Hash(algorithm)
    name.update(issuer.subject.public_bytes())
    key = hashes.Hash(algorithm)
    # The hash is over the subjectPublicKey BIT STRING's value; for RSA that is exactly
    # the PKCS#1 RSAPublicKey DER (the demo CAs are RSA).
    key.update(
        issuer.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1
        )
    )
    return name.finalize(), key.finalize()


@dataclass
class OcspResponder:
    responder_certificate: x509.Certificate
    responder_key: object
    issuer_certificate: x509.Certificate
    statuses: dict[int, CertificateStatus]
    validity: timedelta = timedelta(hours=1)

    def respond(self, request_der: bytes, *, now: datetime | None = None) -> bytes:
        """A DER OCSPResponse for a DER OCSPRequest; never raises for bad input."""
        if not request_der or len(request_der) > MAX_REQUEST_BYTES:
            return malformed_response()
        try:
            request = ocsp.load_der_ocsp_request(bytes(request_der))
            algorithm = request.hash_algorithm
            serial = request.serial_number
            name_hash, key_hash = request.issuer_name_hash, request.issuer_key_hash
            nonce = _nonce(request)
        except UnsupportedAlgorithm:
            return malformed_response()
        except ValueError:  # garbage, or more than one certificate asked about
            return malformed_response()
        if (name_hash, key_hash) != issuer_hashes(self.issuer_certificate, algorithm):
            return unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)

        moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        known = self.statuses.get(serial)
        revocation_time = revocation_reason = None
        if known is None:
            cert_status = ocsp.OCSPCertStatus.UNKNOWN
        elif known.revoked and known.revoked_at <= moment:
            cert_status = ocsp.OCSPCertStatus.REVOKED
            revocation_time = known.revoked_at.astimezone(UTC).replace(tzinfo=None)
            revocation_reason = _REASONS.get(known.reason or "", x509.ReasonFlags.unspecified)
        else:
            cert_status = ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=name_hash,
                issuer_key_hash=key_hash,
                serial_number=serial,
                algorithm=algorithm,
                cert_status=cert_status,
                this_update=moment,
                next_update=moment + self.validity,
                revocation_time=revocation_time,
                revocation_reason=revocation_reason,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.responder_certificate)
            .certificates([self.responder_certificate])
        )
        if nonce is not None:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        response = builder.sign(self.responder_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)


def _nonce(request: ocsp.OCSPRequest) -> bytes | None:
    try:
        return request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None


# --- CRL
def build_crl(
    issuer: x509.Certificate,
    issuer_key,
    statuses: dict[int, CertificateStatus],
    *,
    number: int,
    now: datetime | None = None,
    validity: timedelta = timedelta(days=7),
) -> bytes:
    """The CA's full CRL (DER): every revoked serial with its date and reason, CRL number
    and authority key identifier, thisUpdate now, nextUpdate now + ``validity``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(moment)
        .next_update(moment + validity)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),
            critical=False,
        )
    )
    for serial, status in sorted(statuses.items()):
        if not status.revoked or status.revoked_at > moment:
            continue
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(status.revoked_at)
            .add_extension(
                x509.CRLReason(_REASONS.get(status.reason or "", x509.ReasonFlags.unspecified)),
                critical=False,
            )
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def crl_is_stale(
    data: bytes, *, now: datetime | None = None, refresh_after: timedelta = timedelta(days=1)
) -> bool:
    """True when the CRL should be rewritten: unreadable, past its nextUpdate, or older
    than ``refresh_after``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        crl = x509.load_der_x509_crl(data)
    except ValueError:
        return True
    next_update = crl.next_update_utc
    if next_update is None or moment >= next_update:
        return True
    return moment >= crl.last_update_utc + refresh_after
