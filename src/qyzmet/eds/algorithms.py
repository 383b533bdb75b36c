"""Signature and digest algorithms: one place that maps OIDs to code.

``verify_signature`` is used for every signature we check — certificates, CRLs, OCSP
responses and CMS signer infos — so the accepted set is the same everywhere.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import gost
from .certificate import Certificate
from .errors import EdsError

RSA_KEY = "1.2.840.113549.1.1.1"

# Families reported in the certificate profile (EDS.md, "Algorithms").
RSA = "rsa"
GOST2004 = "gost2004"
GOST2015_512 = "gost2015-512"
GOST2015_256 = "gost2015-256"
ALL_FAMILIES = (RSA, GOST2004, GOST2015_512, GOST2015_256)

DIGESTS = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
    **gost.STREEBOG_DIGESTS,
}
_RSA_SIGNATURES = {
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.14": "sha224",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
}
_CRYPTOGRAPHY_HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def key_family(certificate: Certificate) -> str | None:
    oid = certificate.public_key_info.algorithm_oid
    if oid == RSA_KEY:
        return RSA
    if oid == gost.KZ_GOST2004_KEY:
        return GOST2004
    size = gost.GOST2015_KEYS.get(oid)
    if size == 512:
        return GOST2015_512
    if size == 256:
        return GOST2015_256
    return None


def digest(digest_oid: str, data: bytes) -> bytes:
    name = DIGESTS.get(digest_oid)
    if name is None:
        raise EdsError("unsupported_algorithm", f"digest {digest_oid}")
    if name.startswith("streebog"):
        return gost.streebog(name, data)
    return hashlib.new(name, data).digest()


def verify_signature(
    signer: Certificate,
    signature_oid: str,
    message: bytes,
    signature: bytes,
    *,
    digest_oid: str | None = None,
    allowed_families: frozenset[str] | None = None,
) -> None:
    """Raise ``EdsError`` unless ``signature`` by ``signer``'s key is valid over ``message``.

    ``signature_oid`` may name the combined algorithm (sha256WithRSAEncryption, GOST
    signature OIDs) or just the key algorithm, as CMS allows; then ``digest_oid`` says
    which digest was used.
    """
    family = key_family(signer)
    if family is None or (allowed_families is not None and family not in allowed_families):
        raise EdsError(
            "unsupported_algorithm", f"key algorithm {signer.public_key_info.algorithm_oid}"
        )
    if family == RSA:
        _verify_rsa(signer, signature_oid, message, signature, digest_oid)
    elif family == GOST2004:
        raise EdsError("unsupported_algorithm", "GOST 34.310-2004 is not supported")
    else:
        _verify_gost2015(signer, family, signature_oid, message, signature, digest_oid)


def _verify_rsa(
    signer: Certificate,
    signature_oid: str,
    message: bytes,
    signature: bytes,
    digest_oid: str | None,
) -> None:
    hash_name = _RSA_SIGNATURES.get(signature_oid)
    if hash_name is None and signature_oid == RSA_KEY and digest_oid is not None:
        hash_name = DIGESTS.get(digest_oid)
    if hash_name is None or hash_name not in _CRYPTOGRAPHY_HASHES:
        raise EdsError("unsupported_algorithm", f"RSA signature {signature_oid}/{digest_oid}")
    if digest_oid is not None and DIGESTS.get(digest_oid) != hash_name:
        raise EdsError("bad_signature", "digest algorithm differs from the signature's")
    try:
        public_key = signer.rsa_public_key
    except ValueError as exc:
        raise EdsError("malformed", f"unreadable RSA key: {exc}") from exc
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise EdsError("unsupported_algorithm", "not an RSA key")
    try:
        public_key.verify(signature, message, padding.PKCS1v15(), _CRYPTOGRAPHY_HASHES[hash_name]())
    except InvalidSignature as exc:
        raise EdsError("bad_signature", "RSA signature does not verify") from exc


def _verify_gost2015(
    signer: Certificate,
    family: str,
    signature_oid: str,
    message: bytes,
    signature: bytes,
    digest_oid: str | None,
) -> None:
    size = 512 if family == GOST2015_512 else 256
    signature_size = gost.GOST2015_SIGNATURES.get(signature_oid) or gost.GOST2015_KEYS.get(
        signature_oid
    )
    if signature_size is None:
        raise EdsError("unsupported_algorithm", f"signature {signature_oid} for a GOST key")
    if signature_size != size:
        raise EdsError("bad_signature", "signature size differs from the key's")
    if digest_oid is not None and DIGESTS.get(digest_oid) != f"streebog{size}":
        raise EdsError("unsupported_algorithm", f"digest {digest_oid} with GOST {size}")
    gost.verify_gost2015(
        size=size,
        key_bytes=signer.public_key_info.key_bytes,
        parameter_oids=signer.public_key_info.parameter_oids,
        message=message,
        signature=signature,
    )
