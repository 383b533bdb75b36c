"""DER writers for a GOST PKI like today's NCA RK: certificates, CRLs and OCSP responses
signed with GOST 34.10-2015/512 under NCA's OIDs, and PKCS#12 key files written the way
NCA's are. Used by the demo PKI (``demo_pki.py``, ``ocsp_responder.py``).

``cryptography`` cannot sign with GOST, so the to-be-signed structures are assembled here
as DER (RFC 5280 certificates and CRLs, RFC 6960 OCSP responses); names and extension
values still come from ``cryptography`` objects (``public_bytes()``), so they are encoded
exactly as in the RSA demo chain. The signature algorithm is 1.2.398.3.10.1.1.2.3.2 with
NULL parameters and the signature r||s in NCA's byte order, as in the real NCA test CA's
certificates, CRL (``crl__nca_gost2022_test.crl``) and OCSP responses
(``ocsp__ocsp_response_individual_2015.bin``).

PKCS#12 (``write_pkcs12``), as in ``KEY_INDIVIDUAL_VALID_2015.p12``: the key in a
pkcs8ShroudedKeyBag under pbeWithSHAAnd3-KeyTripleDES-CBC, the certificates in an
EncryptedData under pbeWithSHAAnd40BitRC2-CBC, an HMAC-SHA1 MAC, 1024 iterations, the
leaf's bags tagged with localKeyID = its subject key identifier and friendlyName = that in
hex. Works for RSA keys too (any PKCS#8), and node-forge opens it in the browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from asn1crypto import core
from Crypto.Cipher import ARC2, DES3
from cryptography import x509

from . import gost
from .der import tlv
from .pkcs12 import pkcs12_kdf

SIGNATURE_ALGORITHM = tlv(
    0x30, core.ObjectIdentifier(gost.KZ_GOST2015_512_SIGNATURE).dump() + core.Null().dump()
)
OID_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1"
OID_OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2"


def _seq(content: bytes) -> bytes:
    return tlv(0x30, content)


def _oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def _integer(value: int) -> bytes:
    return core.Integer(value).dump()


def _octets(value: bytes) -> bytes:
    return core.OctetString(value).dump()


def _bits(value: bytes) -> bytes:
    return tlv(0x03, b"\x00" + value)


def _time(moment: datetime) -> bytes:
    """RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime after."""
    moment = moment.astimezone(UTC).replace(microsecond=0)
    if moment.year < 2050:
        return core.UTCTime(moment).dump()
    return core.GeneralizedTime(moment).dump()


def _generalized_time(moment: datetime) -> bytes:
    return core.GeneralizedTime(moment.astimezone(UTC).replace(microsecond=0)).dump()


def _signed(tbs: bytes, key: gost.GostSigningKey) -> bytes:
    return _seq(tbs + SIGNATURE_ALGORITHM + _bits(key.sign(tbs)))


def key_identifier(spki_der: bytes) -> bytes:
    """RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value."""
    spki = core.Sequence.load(spki_der)
    bit_string = spki[1].contents
    return hashlib.sha1(bit_string[1:]).digest()  # noqa: S324 -- the RFC's key identifier


def extensions_der(extensions: list[tuple[x509.ExtensionType, bool]]) -> bytes:
    """Extensions ::= SEQUENCE OF Extension, in the order given (criticality DEFAULT
    FALSE is left out, as DER wants)."""
    encoded = b""
    for value, critical in extensions:
        encoded += _seq(
            _oid(value.oid.dotted_string)
            + (core.Boolean(True).dump() if critical else b"")
            + _octets(value.public_bytes())
        )
    return _seq(encoded)


def build_certificate(
    *,
    signer: gost.GostSigningKey,
    issuer: x509.Name,
    subject: x509.Name,
    spki_der: bytes,
    serial: int,
    not_before: datetime,
    not_after: datetime,
    extensions: list[tuple[x509.ExtensionType, bool]],
) -> bytes:
    """A v3 certificate (DER) signed by ``signer``."""
    tbs = _seq(
        tlv(0xA0, _integer(2))
        + _integer(serial)
        + SIGNATURE_ALGORITHM
        + issuer.public_bytes()
        + _seq(_time(not_before) + _time(not_after))
        + subject.public_bytes()
        + spki_der
        + tlv(0xA3, extensions_der(extensions))
    )
    return _signed(tbs, signer)


def build_crl(
    *,
    signer: gost.GostSigningKey,
    issuer: x509.Name,
    revoked: list[tuple[int, datetime, x509.ReasonFlags]],
    extensions: list[tuple[x509.ExtensionType, bool]],
    this_update: datetime,
    next_update: datetime,
) -> bytes:
    """A v2 CRL (DER): each revoked serial with its date and a reasonCode entry extension."""
    entries = b"".join(
        _seq(_integer(serial) + _time(moment) + extensions_der([(x509.CRLReason(reason), False)]))
        for serial, moment, reason in revoked
    )
    tbs = _seq(
        _integer(1)
        + SIGNATURE_ALGORITHM
        + issuer.public_bytes()
        + _time(this_update)
        + _time(next_update)
        + (_seq(entries) if entries else b"")
        + tlv(0xA0, extensions_der(extensions))
    )
    return _signed(tbs, signer)


def build_ocsp_response(
    *,
    signer: gost.GostSigningKey,
    responder: x509.Name,
    responder_certificate_der: bytes,
    cert_id_der: bytes,
    status: str,
    this_update: datetime,
    next_update: datetime,
    revocation_time: datetime | None = None,
    revocation_reason: x509.ReasonFlags | None = None,
    nonce: bytes | None = None,
) -> bytes:
    """A successful OCSPResponse (DER) with one SingleResponse for the request's CertID
    (echoed as received), ``status`` "good", "revoked" or "unknown"; responderID byName,
    as NCA's responder answers; the responder certificate included."""
    if status == "good":
        cert_status = b"\x80\x00"
    elif status == "unknown":
        cert_status = b"\x82\x00"
    else:
        reason = b""
        if revocation_reason is not None:
            reason = tlv(0xA0, x509.CRLReason(revocation_reason).public_bytes())
        cert_status = tlv(0xA1, _generalized_time(revocation_time) + reason)
    single = _seq(
        cert_id_der
        + cert_status
        + _generalized_time(this_update)
        + tlv(0xA0, _generalized_time(next_update))
    )
    response_extensions = b""
    if nonce is not None:
        nonce_extension = _seq(_oid(OID_OCSP_NONCE) + _octets(x509.OCSPNonce(nonce).public_bytes()))
        response_extensions = tlv(0xA1, _seq(nonce_extension))
    tbs = _seq(
        tlv(0xA1, responder.public_bytes())
        + _generalized_time(this_update)
        + _seq(single)
        + response_extensions
    )
    basic = _seq(
        tbs
        + SIGNATURE_ALGORITHM
        + _bits(signer.sign(tbs))
        + tlv(0xA0, _seq(responder_certificate_der))
    )
    return _seq(
        b"\x0a\x01\x00"  # responseStatus ENUMERATED successful (0)
        + tlv(0xA0, _seq(_oid(OID_OCSP_BASIC) + _octets(basic)))
    )


# --- PKCS#12 as NCA writes it
_PBE_3DES = "1.2.840.113549.1.12.1.3"
_PBE_RC2_40 = "1.2.840.113549.1.12.1.6"
_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
_CERT_BAG = "1.2.840.113549.1.12.10.1.3"
_X509_CERTIFICATE = "1.2.840.113549.1.9.22.1"
_FRIENDLY_NAME = "1.2.840.113549.1.9.20"
_LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
_DATA = "1.2.840.113549.1.7.1"
_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
_SHA1 = "1.3.14.3.2.26"


def _bmp(password: str) -> bytes:
    return password.encode("utf-16-be") + b"\x00\x00"


def _pad(data: bytes) -> bytes:
    size = 8 - len(data) % 8
    return data + bytes([size]) * size


def _pbe(oid: str, plain: bytes, password: str, iterations: int) -> tuple[bytes, bytes]:
    """(AlgorithmIdentifier DER, ciphertext) for a PKCS#12 PBE (RFC 7292 appendix B/C)."""
    salt = secrets.token_bytes(8)
    secret = _bmp(password)
    iv = pkcs12_kdf("sha1", secret, salt, iterations, 2, 8)
    if oid == _PBE_3DES:
        key = DES3.adjust_key_parity(pkcs12_kdf("sha1", secret, salt, iterations, 1, 24))
        ciphertext = DES3.new(key, DES3.MODE_CBC, iv).encrypt(_pad(plain))
    else:
        key = pkcs12_kdf("sha1", secret, salt, iterations, 1, 5)
        cipher = ARC2.new(key, ARC2.MODE_CBC, iv, effective_keylen=40)  # noqa: S304 -- NCA's format
        ciphertext = cipher.encrypt(_pad(plain))
    algorithm = _seq(_oid(oid) + _seq(_octets(salt) + _integer(iterations)))
    return algorithm, ciphertext


def _bag_attributes(local_key_id: bytes) -> bytes:
    friendly = core.BMPString(local_key_id.hex()).dump()
    return tlv(
        0x31,
        _seq(_oid(_FRIENDLY_NAME) + tlv(0x31, friendly))
        + _seq(_oid(_LOCAL_KEY_ID) + tlv(0x31, _octets(local_key_id))),
    )


def write_pkcs12(
    *,
    key_pkcs8: bytes,
    certificate_der: bytes,
    chain_der: list[bytes],
    password: str,
    local_key_id: bytes,
    iterations: int = 1024,
) -> bytes:
    """A PKCS#12 file (DER) holding the key and its certificate (and the chain), written
    with the encryption and MAC of real NCA key files (see the module doc)."""
    attributes = _bag_attributes(local_key_id)
    key_algorithm, key_ciphertext = _pbe(_PBE_3DES, key_pkcs8, password, iterations)
    key_bag = _seq(
        _oid(_SHROUDED_KEY_BAG)
        + tlv(0xA0, _seq(key_algorithm + _octets(key_ciphertext)))
        + attributes
    )
    cert_bags = b""
    for index, der in enumerate([certificate_der, *chain_der]):
        cert_bags += _seq(
            _oid(_CERT_BAG)
            + tlv(0xA0, _seq(_oid(_X509_CERTIFICATE) + tlv(0xA0, _octets(der))))
            + (attributes if index == 0 else b"")
        )
    cert_algorithm, cert_ciphertext = _pbe(_PBE_RC2_40, _seq(cert_bags), password, iterations)
    authenticated_safe = _seq(
        _seq(_oid(_DATA) + tlv(0xA0, _octets(_seq(key_bag))))
        + _seq(
            _oid(_ENCRYPTED_DATA)
            + tlv(
                0xA0,
                _seq(_integer(0) + _seq(_oid(_DATA) + cert_algorithm + tlv(0x80, cert_ciphertext))),
            )
        )
    )
    mac_salt = secrets.token_bytes(20)
    mac_key = pkcs12_kdf("sha1", _bmp(password), mac_salt, iterations, 3, 20)
    mac = hmac.new(mac_key, authenticated_safe, "sha1").digest()
    mac_data = _seq(
        _seq(_seq(_oid(_SHA1) + core.Null().dump()) + _octets(mac))
        + _octets(mac_salt)
        + _integer(iterations)
    )
    return _seq(_integer(3) + _seq(_oid(_DATA) + tlv(0xA0, _octets(authenticated_safe))) + mac_data)
