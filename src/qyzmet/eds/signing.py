"""Signing helper for tests and API clients: a CAdES-BES CMS over given bytes with the key
of a PKCS#12 file — what the browser module (``static/qyzmet/eds/eds-sign.js``) does in
the page, and what NCALayer sends for ``format: cms`` (EDS.md, "Signature formats").

Signed attributes: contentType (id-data), signingTime, messageDigest (SHA-256) and ESS
signingCertificateV2 (RFC 5035; the attribute that makes a CMS signature CAdES-BES),
written in DER order (sorted SET OF) so every verifier — ours, which verifies the received
bytes, and OpenSSL, which re-encodes — sees the same bytes. RSA PKCS#1 v1.5 with SHA-256
(sha256WithRSAEncryption); the signer's certificate and the chain found in the key file
are included.

``cryptography``'s ``PKCS7SignatureBuilder`` cannot add the ESS attribute, so the
structure is assembled with asn1crypto and signed with ``cryptography``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .der import tlv
from .errors import EdsError
from .pkcs12 import load_pkcs12

OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"


def sign_detached(data: bytes, p12_bytes: bytes, password: str) -> bytes:
    """A detached CAdES-BES signature (DER) over ``data`` with the key file's key.
    Raises ``EdsError`` (``wrong_password``, ``no_key``, ``malformed``,
    ``unsupported_algorithm``) for a key file it cannot use."""
    key, certificate, chain = load_signing_key(p12_bytes, password)
    return sign_with_key(data, key, certificate, chain, detached=True)


def sign_attached(data: bytes, p12_bytes: bytes, password: str) -> bytes:
    """Like :func:`sign_detached`, with ``data`` encapsulated in the signature."""
    key, certificate, chain = load_signing_key(p12_bytes, password)
    return sign_with_key(data, key, certificate, chain, detached=False)


def load_signing_key(
    p12_bytes: bytes, password: str
) -> tuple[rsa.RSAPrivateKey, x509.Certificate, list[x509.Certificate]]:
    """The RSA key, its certificate and the other certificates of a PKCS#12 file."""
    bundle = load_pkcs12(p12_bytes, password, require_key=True)
    if not isinstance(bundle.private_key, rsa.RSAPrivateKey):
        # GOST keys are verified here but never used to sign: NCALayer signs with those.
        raise EdsError("unsupported_algorithm", "only RSA key files can sign here")
    if bundle.certificate is None:
        raise EdsError("malformed", "the key file holds no certificate for its key")
    certificate = x509.load_der_x509_certificate(bundle.certificate.der)
    chain = [
        x509.load_der_x509_certificate(other.der)
        for other in bundle.certificates
        if other.der != bundle.certificate.der
    ]
    return bundle.private_key, certificate, chain


def sign_with_key(
    data: bytes,
    key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate] = (),
    *,
    detached: bool = True,
    signing_time: datetime | None = None,
) -> bytes:
    """The CAdES-BES SignedData (DER) over ``data`` by ``key`` / ``certificate``."""
    data = bytes(data)
    certificate_der = certificate.public_bytes(serialization.Encoding.DER)
    signer_certificate = asn1_x509.Certificate.load(certificate_der)
    moment = (signing_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    signed_attributes = _signed_attributes(data, signer_certificate, certificate_der, moment)
    # The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
    signature = key.sign(signed_attributes.dump(), padding.PKCS1v15(), hashes.SHA256())

    digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"})
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {
                            "issuer": signer_certificate.issuer,
                            "serial_number": signer_certificate.serial_number,
                        }
                    )
                }
            ),
            "digest_algorithm": digest_algorithm,
            "signed_attrs": signed_attributes,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
            "signature": signature,
        }
    )
    encapsulated = {"content_type": "data"}
    if not detached:
        encapsulated["content"] = data
    certificates = [signer_certificate] + [
        asn1_x509.Certificate.load(other.public_bytes(serialization.Encoding.DER))
        for other in chain
    ]
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": encapsulated,
            "certificates": certificates,
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _signed_attributes(
    data: bytes,
    certificate: asn1_x509.Certificate,
    certificate_der: bytes,
    moment: datetime,
) -> cms.CMSAttributes:
    ess = tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    # hashAlgorithm is left out: SHA-256 is its DEFAULT, which DER omits.
                    "cert_hash": hashlib.sha256(certificate_der).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                        "serial_number": certificate.serial_number,
                    },
                }
            ]
        }
    )
    attributes = [
        _attribute("1.2.840.113549.1.9.3", cms.ContentType("data")),
        _attribute("1.2.840.113549.1.9.5", _signing_time(moment)),
        _attribute("1.2.840.113549.1.9.4", core.OctetString(hashlib.sha256(data).digest())),
        _attribute(OID_SIGNING_CERTIFICATE_V2, ess),
    ]
    # DER: the members of a SET OF are sorted by their encodings.
    encoded = sorted(attribute.dump() for attribute in attributes)
    return cms.CMSAttributes.load(_set_of(encoded))


def _signing_time(moment: datetime) -> core.Asn1Value:
    # RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise.
    if 1950 <= moment.year < 2050:
        return core.UTCTime(moment)
    return core.GeneralizedTime(moment)


def _attribute(oid: str, value: core.Asn1Value) -> core.Sequence:
    """An Attribute with one value, built from raw DER so any attribute type can be used
    (asn1crypto's CMS attribute table lacks signingCertificateV2)."""
    return core.Sequence.load(
        tlv(0x30, core.ObjectIdentifier(oid).dump() + _set_of([value.dump()]))
    )


def _set_of(members: list[bytes]) -> bytes:
    return tlv(0x31, b"".join(members))
