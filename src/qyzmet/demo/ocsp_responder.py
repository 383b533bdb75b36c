"""The demo PKI's OCSP responder (RFC 6960) and CRL builder (RFC 5280).

Real, signed answers, so the verifier's revocation checks (regulation p.10, условие 2:
«отсутствие в списке отозванных регистрационных свидетельств») run against the demo
certificates exactly as against NCA's ``ocsp.pki.gov.kz``:

* one certificate per request (what NCA's responder and our verifier send); the request's
  CertID hash algorithm is answered in kind, its nonce echoed;
* ``good`` for a certificate the CA issued and did not revoke, ``revoked`` with date and
  reason, ``unknown`` for a serial the CA never issued — never ``good`` for what it does
  not know; a CertID naming another issuer gets ``unauthorized`` (we do not answer for it);
* thisUpdate = now, nextUpdate = now + ``validity``; signed by the delegated responder
  certificate (id-kp-OCSPSigning, issued by the CA), which the response carries: with
  SHA-256/RSA for the RSA chain, with GOST 34.10-2015/512 (responderID by name, as NCA's
  responder answers; ``gost_pki.py``) for the GOST chain;
* one address for both chains: :class:`OcspResponders` hands a request to the responder
  of the CA its CertID names.

CRLs likewise: RSA CAs sign with ``cryptography``, GOST CAs through ``gost_pki``.

Pure functions over cryptography objects and GOST keys: the demo PKI (``demo_pki.py``)
supplies the certificates, keys and statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import core, pem
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from qyzmet.eds import gost, gost_pki
from qyzmet.eds.certificate import Certificate

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
    # The hash is over the subjectPublicKey BIT STRING's value (RSA or GOST alike).
    der = issuer.public_bytes(serialization.Encoding.DER)
    key.update(Certificate.from_der(der).public_key_info.key_bytes)
    return name.finalize(), key.finalize()


def load_private_key(pem_data: bytes):
    """A CA or responder key of the demo PKI: PKCS#8 PEM, RSA or (NCA's PKCS#8) GOST."""
    _, _, der = pem.unarmor(pem_data)
    algorithm = core.Sequence.load(der)[1]
    algorithm_oid = core.ObjectIdentifier.load(core.Sequence.load(algorithm.dump())[0].dump())
    if algorithm_oid.dotted in gost.GOST2015_KEYS:
        from qyzmet.eds.pkcs12 import GostPrivateKey

        return GostPrivateKey(algorithm_oid.dotted, der).signing_key()
    return serialization.load_der_private_key(der, None)


def private_key_pem(key) -> bytes:
    if isinstance(key, gost.GostSigningKey):
        return pem.armor("PRIVATE KEY", gost.private_key_pkcs8(key))
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


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
        if isinstance(self.responder_key, gost.GostSigningKey):
            return gost_pki.build_ocsp_response(
                signer=self.responder_key,
                responder=self.responder_certificate.subject,
                responder_certificate_der=self.responder_certificate.public_bytes(
                    serialization.Encoding.DER
                ),
                cert_id_der=_cert_id(request_der),
                status=cert_status.name.lower(),
                this_update=moment,
                next_update=moment + self.validity,
                revocation_time=known.revoked_at if revocation_time else None,
                revocation_reason=revocation_reason,
                nonce=nonce,
            )
        if nonce is not None:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        response = builder.sign(self.responder_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def answers_for(self, request_der: bytes) -> bool:
        """Whether the request's CertID names this responder's CA."""
        try:
            request = ocsp.load_der_ocsp_request(bytes(request_der))
            hashes_asked = (request.issuer_name_hash, request.issuer_key_hash)
            return hashes_asked == issuer_hashes(self.issuer_certificate, request.hash_algorithm)
        except (UnsupportedAlgorithm, ValueError):
            return False


@dataclass
class OcspResponders:
    """One OCSP address for several CAs: the request goes to the responder of the CA its
    CertID names; a CA we do not serve gets ``unauthorized``, garbage ``malformed``."""

    responders: list[OcspResponder]

    def respond(self, request_der: bytes, *, now: datetime | None = None) -> bytes:
        for responder in self.responders:
            if responder.answers_for(request_der):
                return responder.respond(request_der, now=now)
        if self.responders:  # the first one sorts out malformed from unauthorized
            return self.responders[0].respond(request_der, now=now)
        return unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)


def _cert_id(request_der: bytes) -> bytes:
    """The request's CertID exactly as received (the answer echoes it)."""
    request = asn1_ocsp.OCSPRequest.load(bytes(request_der))
    return request["tbs_request"]["request_list"][0]["req_cert"].dump()


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
    if isinstance(issuer_key, gost.GostSigningKey):
        issuer_der = issuer.public_bytes(serialization.Encoding.DER)
        spki = Certificate.from_der(issuer_der).public_key_info.spki_der
        return gost_pki.build_crl(
            signer=issuer_key,
            issuer=issuer.subject,
            revoked=[
                (
                    serial,
                    status.revoked_at,
                    _REASONS.get(status.reason or "", x509.ReasonFlags.unspecified),
                )
                for serial, status in sorted(statuses.items())
                if status.revoked and status.revoked_at <= moment
            ],
            extensions=[
                (x509.CRLNumber(number), False),
                (x509.AuthorityKeyIdentifier(gost_pki.key_identifier(spki), None, None), False),
            ],
            this_update=moment,
            next_update=moment + validity,
        )
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
