"""Signing helper for tests and API clients: a CAdES-BES CMS over given bytes with the key
of a PKCS#12 file — what the browser module (``static/qyzmet/eds/eds-sign.js``) does in
the page, and what NCALayer sends for ``format: cms`` (EDS.md, "Signature formats").

Two key kinds, as NCA RK issues them:

* RSA (kits issued before 28.04.2024): SHA-256 digests, sha256WithRSAEncryption (PKCS#1
  v1.5), ESS signingCertificateV2 with SHA-256 (its DEFAULT, so the field is omitted).
* GOST 34.10-2015/512 (every key issued since): Streebog-512 under NCA's OID
  1.2.398.3.10.1.3.3 for the content's digest and for the ESS certificate hash (a GOST-only
  verifier needs no SHA-2), signature 1.2.398.3.10.1.1.2.3.2 in NCA's byte order (r||s,
  little-endian halves; see ``gost.py``); algorithm identifiers with NULL parameters, as
  NCA writes them in its certificates, CRLs and time-stamps.

GOST 34.310-2004 keys are refused with ``gost2004_key``: NCA stopped issuing them in 2024
and its keys live a year, so none is still valid (and GOST 34.311-95 is not implemented).

Signed attributes: contentType (id-data), signingTime, messageDigest and ESS
signingCertificateV2 (RFC 5035; the attribute that makes a CMS signature CAdES-BES),
written in DER order (sorted SET OF) so every verifier — ours, which verifies the received
bytes, and OpenSSL, which re-encodes — sees the same bytes. The signer's certificate and
the chain found in the key file are included.

``cryptography``'s ``PKCS7SignatureBuilder`` cannot add the ESS attribute (nor sign with
GOST), so the structure is assembled with asn1crypto and signed here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import gost
from .algorithms import GOST2004, GOST2015_512, RSA, key_family
from .der import tlv
from .errors import EdsError
from .pkcs12 import GostPrivateKey, load_pkcs12

OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"

SigningKey = rsa.RSAPrivateKey | gost.GostSigningKey


@dataclass(frozen=True)
class _Scheme:
    """How one key kind signs: digest and signature algorithm identifiers, hash, sign."""

    digest_algorithm: algos.DigestAlgorithm
    signature_algorithm: algos.SignedDigestAlgorithm
    ess_hash_algorithm: algos.DigestAlgorithm | None  # None: SHA-256, the DEFAULT

    def hash(self, data: bytes) -> bytes:
        if self.ess_hash_algorithm is None:
            return hashlib.sha256(data).digest()
        return gost.streebog("streebog512", data)


_RSA = _Scheme(
    algos.DigestAlgorithm({"algorithm": "sha256"}),
    algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
    None,
)
_GOST2015_512 = _Scheme(
    algos.DigestAlgorithm({"algorithm": gost.KZ_STREEBOG_512, "parameters": core.Null()}),
    algos.SignedDigestAlgorithm(
        {"algorithm": gost.KZ_GOST2015_512_SIGNATURE, "parameters": core.Null()}
    ),
    algos.DigestAlgorithm({"algorithm": gost.KZ_STREEBOG_512, "parameters": core.Null()}),
)


def sign_detached(data: bytes, p12_bytes: bytes, password: str) -> bytes:
    """A detached CAdES-BES signature (DER) over ``data`` with the key file's key (RSA or
    GOST-2015/512). Raises ``EdsError`` (``wrong_password``, ``no_key``, ``malformed``,
    ``gost2004_key``, ``unsupported_algorithm``) for a key file it cannot use."""
    key, certificate, chain = load_signing_key(p12_bytes, password)
    return sign_with_key(data, key, certificate, chain, detached=True)


def sign_attached(data: bytes, p12_bytes: bytes, password: str) -> bytes:
    """Like :func:`sign_detached`, with ``data`` encapsulated in the signature."""
    key, certificate, chain = load_signing_key(p12_bytes, password)
    return sign_with_key(data, key, certificate, chain, detached=False)


def load_signing_key(
    p12_bytes: bytes, password: str
) -> tuple[SigningKey, x509.Certificate, list[x509.Certificate]]:
    """The key (RSA or GOST-2015/512), its certificate and the other certificates of a
    PKCS#12 file."""
    bundle = load_pkcs12(p12_bytes, password, require_key=True)
    if bundle.certificate is None:
        raise EdsError("malformed", "the key file holds no certificate for its key")
    family = key_family(bundle.certificate)
    private_key = bundle.private_key
    if family == GOST2004 or (
        isinstance(private_key, GostPrivateKey)
        and private_key.algorithm_oid == gost.KZ_GOST2004_KEY
    ):
        raise EdsError("gost2004_key", "GOST 34.310-2004 keys are no longer issued or valid")
    if family == RSA and isinstance(private_key, rsa.RSAPrivateKey):
        key: SigningKey = private_key
    elif family == GOST2015_512 and isinstance(private_key, GostPrivateKey):
        key = private_key.signing_key()
        if gost.subject_public_key_info(key) != bundle.certificate.public_key_info.spki_der:
            raise EdsError("malformed", "the key file's key does not match its certificate")
    else:
        raise EdsError("unsupported_algorithm", f"cannot sign with a {family} key file")
    certificate = x509.load_der_x509_certificate(bundle.certificate.der)
    chain = [
        x509.load_der_x509_certificate(other.der)
        for other in bundle.certificates
        if other.der != bundle.certificate.der
    ]
    return key, certificate, chain


def sign_with_key(
    data: bytes,
    key: SigningKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate] = (),
    *,
    detached: bool = True,
    signing_time: datetime | None = None,
    content_type: str = "data",
    include_certificates: bool = True,
) -> bytes:
    """The CAdES-BES SignedData (DER) over ``data`` by ``key`` / ``certificate``.

    ``content_type`` is the eContentType and the contentType attribute (an OID or an
    asn1crypto name: ``"tst_info"`` for an RFC 3161 time-stamp token, ``eds/tsa.py``);
    ``include_certificates`` False leaves the certificates out (RFC 3161: certReq false)."""
    data = bytes(data)
    scheme = _GOST2015_512 if isinstance(key, gost.GostSigningKey) else _RSA
    certificate_der = certificate.public_bytes(serialization.Encoding.DER)
    signer_certificate = asn1_x509.Certificate.load(certificate_der)
    moment = (signing_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    signed_attributes = _signed_attributes(
        data, signer_certificate, certificate_der, moment, scheme, content_type
    )
    # The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
    if isinstance(key, gost.GostSigningKey):
        signature = key.sign(signed_attributes.dump())
    else:
        signature = key.sign(signed_attributes.dump(), padding.PKCS1v15(), hashes.SHA256())

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
            "digest_algorithm": scheme.digest_algorithm,
            "signed_attrs": signed_attributes,
            "signature_algorithm": scheme.signature_algorithm,
            "signature": signature,
        }
    )
    encapsulated = {"content_type": content_type}
    if not detached:
        # id-data: the bytes; any other type (a TSTInfo): its DER inside the OCTET STRING
        # (RFC 5652 §5.2)
        encapsulated["content"] = data if content_type == "data" else core.ParsableOctetString(data)
    certificates = [signer_certificate] + [
        asn1_x509.Certificate.load(other.public_bytes(serialization.Encoding.DER))
        for other in chain
    ]
    # RFC 5652 §5.1: version 3 when the eContentType is not id-data.
    fields = {
        "version": "v1" if content_type == "data" else "v3",
        "digest_algorithms": [scheme.digest_algorithm],
        "encap_content_info": encapsulated,
        "signer_infos": [signer_info],
    }
    if include_certificates:
        fields["certificates"] = certificates
    signed_data = cms.SignedData(fields)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _signed_attributes(
    data: bytes,
    certificate: asn1_x509.Certificate,
    certificate_der: bytes,
    moment: datetime,
    scheme: _Scheme,
    content_type: str = "data",
) -> cms.CMSAttributes:
    cert_id = {
        "cert_hash": scheme.hash(certificate_der),
        "issuer_serial": {
            "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
            "serial_number": certificate.serial_number,
        },
    }
    if scheme.ess_hash_algorithm is not None:
        # For RSA hashAlgorithm is left out: SHA-256 is its DEFAULT, which DER omits.
        cert_id["hash_algorithm"] = scheme.ess_hash_algorithm
    ess = tsp.SigningCertificateV2({"certs": [cert_id]})
    attributes = [
        _attribute("1.2.840.113549.1.9.3", cms.ContentType(content_type)),
        _attribute("1.2.840.113549.1.9.5", _signing_time(moment)),
        _attribute("1.2.840.113549.1.9.4", core.OctetString(scheme.hash(data))),
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
