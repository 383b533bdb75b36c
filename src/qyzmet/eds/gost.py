"""GOST signatures as NCA RK uses them (EDS.md, "Algorithms").

GOST 34.10-2015 is verified in pure Python with ``gostcrypto``. NCA RK writes the public
key, the signature and the digest little-endian: each 64-byte (or 32-byte) half of the key
and of the signature is reversed, and so is the digest, before ``gostsignature.verify``.
This was confirmed on the real test CA "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022": its
CRL and the OCSP responder certificate it issued verify this way.

GOST 34.310-2004 (key 1.2.398.3.10.1.1.1.1, digest GOST 34.311-95) is not implemented: no
library here provides GOST 34.311-95 and we could not confirm an implementation against
the real files, so such signatures get the verdict ``unsupported_algorithm`` rather than
a guess.
"""

from __future__ import annotations

from gostcrypto import gosthash, gostsignature

from .errors import EdsError

# Key algorithm OIDs.
KZ_GOST2004_KEY = "1.2.398.3.10.1.1.1.1"
KZ_GOST2015_512_KEY = "1.2.398.3.10.1.1.2.2"
KZ_GOST2015_256_KEY = "1.2.398.3.10.1.1.2.1"  # by analogy with 512; not seen in real files
TC26_256_KEY = "1.2.643.7.1.1.1.1"
TC26_512_KEY = "1.2.643.7.1.1.1.2"

# Signature algorithm OIDs.
KZ_GOST2004_SIGNATURE = "1.2.398.3.10.1.1.1.2"
KZ_GOST2015_512_SIGNATURE = "1.2.398.3.10.1.1.2.3.2"
KZ_GOST2015_256_SIGNATURE = "1.2.398.3.10.1.1.2.3.1"  # by analogy; unconfirmed
TC26_256_SIGNATURE = "1.2.643.7.1.1.3.2"
TC26_512_SIGNATURE = "1.2.643.7.1.1.3.3"

# Digest OIDs.
GOST34311_DIGEST = "1.2.398.3.10.1.3.1"
KZ_STREEBOG_256 = "1.2.398.3.10.1.3.2"  # unconfirmed
KZ_STREEBOG_512 = "1.2.398.3.10.1.3.3"
TC26_STREEBOG_256 = "1.2.643.7.1.1.2.2"
TC26_STREEBOG_512 = "1.2.643.7.1.1.2.3"

STREEBOG_DIGESTS = {
    KZ_STREEBOG_256: "streebog256",
    KZ_STREEBOG_512: "streebog512",
    TC26_STREEBOG_256: "streebog256",
    TC26_STREEBOG_512: "streebog512",
}

GOST2015_KEYS = {
    KZ_GOST2015_512_KEY: 512,
    KZ_GOST2015_256_KEY: 256,
    TC26_256_KEY: 256,
    TC26_512_KEY: 512,
}
GOST2015_SIGNATURES = {
    KZ_GOST2015_512_SIGNATURE: 512,
    KZ_GOST2015_256_SIGNATURE: 256,
    TC26_256_SIGNATURE: 256,
    TC26_512_SIGNATURE: 512,
}

_CURVES = gostsignature.CURVES_R_1323565_1_024_2019
# Parameter set OID -> gostcrypto curve name.
_PARAMETER_SETS = {
    "1.2.398.3.10.1.1.2.2.1": "id-tc26-gost-3410-12-512-paramSetA",  # confirmed on real files
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",
}
_DEFAULT_CURVE = {512: "id-tc26-gost-3410-12-512-paramSetA"}


def streebog(name: str, data: bytes) -> bytes:
    return gosthash.new(name, data=data).digest()


def _curve_for(size: int, parameter_oids: tuple[str, ...]) -> dict:
    for oid in parameter_oids:
        name = _PARAMETER_SETS.get(oid)
        if name is not None:
            curve = _CURVES[name]
            if (curve["p"].bit_length() > 256) == (size == 512):
                return curve
            raise EdsError("bad_signature", f"curve {oid} does not fit a {size}-bit key")
    if size in _DEFAULT_CURVE and not parameter_oids:
        return _CURVES[_DEFAULT_CURVE[size]]
    raise EdsError("unsupported_algorithm", f"unknown GOST parameter set {parameter_oids}")


def _key_point(key_bytes: bytes, size: int) -> bytes:
    """The public key is an OCTET STRING inside the BIT STRING (04 len X||Y)."""
    half = size // 8
    from asn1crypto import core

    try:
        point = core.OctetString.load(key_bytes).native
    except ValueError as exc:
        raise EdsError("malformed", "bad GOST public key") from exc
    if len(point) != 2 * half:
        raise EdsError("malformed", f"GOST public key of {len(point)} bytes, want {2 * half}")
    return point


def verify_gost2015(
    *,
    size: int,
    key_bytes: bytes,
    parameter_oids: tuple[str, ...],
    message: bytes | None = None,
    digest: bytes | None = None,
    signature: bytes,
) -> None:
    """Raise ``EdsError('bad_signature')`` unless ``signature`` is valid over ``message``
    (hashed with Streebog of the key's size) or over a given ``digest``."""
    half = size // 8
    curve = _curve_for(size, parameter_oids)
    point = _key_point(key_bytes, size)
    if len(signature) != 2 * half:
        raise EdsError("bad_signature", f"GOST signature of {len(signature)} bytes")
    if digest is None:
        digest = streebog(f"streebog{size}", message or b"")
    public_key = point[:half][::-1] + point[half:][::-1]
    signature_be = signature[:half][::-1] + signature[half:][::-1]
    mode = gostsignature.MODE_512 if size == 512 else gostsignature.MODE_256
    try:
        ok = gostsignature.new(mode, curve).verify(public_key, digest[::-1], signature_be)
    except Exception as exc:  # gostcrypto raises its own errors on out-of-range values
        raise EdsError("bad_signature", f"GOST verification failed: {exc}") from exc
    if not ok:
        raise EdsError("bad_signature", "GOST 34.10-2015 signature does not verify")
