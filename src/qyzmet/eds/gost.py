"""GOST signatures as NCA RK uses them (EDS.md, "Algorithms"): GOST 34.10-2015 (= 34.10-2012)
verification and signing, and Streebog (GOST 34.11-2012).

Byte order. NCA RK writes the public key, the signature and the digest little-endian:
the key is X||Y and the signature r||s, each half little-endian, and the digest is read
as a little-endian integer e. Confirmed on the real test CA "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ
(GOST) TEST 2022" (its CRL and OCSP responder certificate verify this way) and on the
real key file KEY_INDIVIDUAL_VALID_2015.p12, whose private key is a little-endian scalar.

Two implementations, one result (tests check they agree on real NCA files and on the
standards' own example values):

* fast path — Streebog from OpenSSL's GOST provider (Debian ``libengine-gost-openssl``,
  module ``gostprov``), loaded into the libcrypto that Python's ``hashlib`` already uses, so
  ``hashlib.new("md_gost12_512")`` works (~1 ms per 100 KB); the curve arithmetic with
  ``ecdsa``'s Jacobian points over ``gmpy2`` integers, the base point precomputed (~2 ms
  per verification).
* reference — pure Python ``gostcrypto`` (~6 ms per KB for Streebog, ~380 ms per
  verification). Streebog falls back to it when the provider is not installed
  (:data:`FAST_STREEBOG` says which is in use); :func:`verify_gost2015_reference` is kept
  to check the fast path.

GOST 34.310-2004 (key 1.2.398.3.10.1.1.1.1, digest GOST 34.311-95) is not implemented: no
library here provides GOST 34.311-95 and we could not confirm an implementation against
the real files, so such signatures get the verdict ``unsupported_algorithm`` rather than
a guess. NCA stopped issuing such keys in 2024 and its keys live a year, so none is valid.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache

from asn1crypto import core
from ecdsa.ellipticcurve import CurveFp, PointJacobi
from gostcrypto import gosthash, gostsignature

from .der import tlv
from .errors import EdsError

log = logging.getLogger(__name__)

# Key algorithm OIDs.
KZ_GOST2004_KEY = "1.2.398.3.10.1.1.1.1"
KZ_GOST2015_512_KEY = "1.2.398.3.10.1.1.2.2"
KZ_GOST2015_256_KEY = "1.2.398.3.10.1.1.2.1"  # by analogy with 512; not seen in real files
TC26_256_KEY = "1.2.643.7.1.1.1.1"
TC26_512_KEY = "1.2.643.7.1.1.1.2"

# Parameter set of NCA's GOST-2015/512 keys (= TC26 512 paramSetA).
KZ_GOST2015_512_PARAMSET_A = "1.2.398.3.10.1.1.2.2.1"

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
PARAMSET_A_512 = "id-tc26-gost-3410-12-512-paramSetA"
# Parameter set OID -> gostcrypto curve name.
_PARAMETER_SETS = {
    KZ_GOST2015_512_PARAMSET_A: PARAMSET_A_512,  # confirmed on real files
    "1.2.643.7.1.2.1.2.1": PARAMSET_A_512,
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
_DEFAULT_CURVE = {512: PARAMSET_A_512}


# --- Streebog ----------------------------------------------------------------------------

_OPENSSL_DIGESTS = {"streebog256": "md_gost12_256", "streebog512": "md_gost12_512"}
# GOST R 34.11-2012 appendix A, example 1: M1 and its 512-bit hash (bytes as a hash
# function returns them; the standard prints the same value as a number, reversed).
_M1 = b"012345678901234567890123456789012345678901234567890123456789012"
_M1_STREEBOG512 = bytes.fromhex(
    "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa"
    "00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"
)
# Where Debian's libengine-gost-openssl puts the provider, tried when OpenSSL's own module
# directory does not have it (a Python built with another OpenSSL 3).
_PROVIDER_PATHS = (
    b"gostprov",
    b"/usr/lib/x86_64-linux-gnu/ossl-modules/gostprov.so",
    b"/usr/lib/aarch64-linux-gnu/ossl-modules/gostprov.so",
)


def _openssl_streebog_works() -> bool:
    try:
        return hashlib.new("md_gost12_512", _M1).digest() == _M1_STREEBOG512
    except ValueError:
        return False


def _load_gost_provider() -> bool:
    """Make ``hashlib`` offer Streebog through OpenSSL's GOST provider, if installed.

    The provider is loaded into the libcrypto ``_hashlib`` is linked with (dlopen by its
    soname returns the copy already loaded). Loading any provider explicitly stops OpenSSL
    from activating its "default" provider on demand, so "default" is loaded first and
    every other algorithm stays available. The result is checked against the standard's
    example before it is used."""
    if _openssl_streebog_works():  # already there (an OPENSSL_CONF that loads it)
        return True
    try:
        import _hashlib  # noqa: F401 -- libcrypto must be the one hashlib uses

        libcrypto = ctypes.CDLL("libcrypto.so.3")
        load = libcrypto.OSSL_PROVIDER_load
    except (ImportError, OSError, AttributeError):
        return False
    load.restype = ctypes.c_void_p
    load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    if not load(None, b"default"):
        return False
    for name in _PROVIDER_PATHS:
        if load(None, name):
            break
    else:
        return False
    if not _openssl_streebog_works():
        log.warning("OpenSSL GOST provider loaded but Streebog does not match the standard")
        return False
    return True


FAST_STREEBOG: bool = _load_gost_provider()


def streebog(name: str, data: bytes) -> bytes:
    """Streebog-256/512 of ``data`` (``name`` is "streebog256" or "streebog512")."""
    if FAST_STREEBOG:
        return hashlib.new(_OPENSSL_DIGESTS[name], data).digest()
    return streebog_reference(name, data)


def streebog_reference(name: str, data: bytes) -> bytes:
    """Pure-Python Streebog (gostcrypto): the fallback and the check of the fast path."""
    return bytes(gosthash.new(name, data=data).digest())


# --- Curves ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    name: str
    size: int  # 256 or 512: the key / digest size in bits
    p: int
    a: int
    b: int
    q: int
    x: int
    y: int

    @property
    def half(self) -> int:
        return self.size // 8

    @property
    def params(self) -> dict:
        return _CURVES[self.name]


@cache
def curve_named(name: str) -> Curve:
    c = _CURVES[name]
    size = 512 if c["p"].bit_length() > 256 else 256
    return Curve(name, size, c["p"], c["a"], c["b"], c["q"], c["x"], c["y"])


@cache
def _ecdsa_curve(curve: Curve) -> CurveFp:
    return CurveFp(curve.p, curve.a, curve.b)


@cache
def _generator(curve: Curve) -> PointJacobi:
    # generator=True: ecdsa precomputes multiples of the base point on first use.
    return PointJacobi(_ecdsa_curve(curve), curve.x, curve.y, 1, curve.q, generator=True)


def _curve_for(size: int, parameter_oids: tuple[str, ...]) -> Curve:
    for oid in parameter_oids:
        name = _PARAMETER_SETS.get(oid)
        if name is not None:
            curve = curve_named(name)
            if curve.size == size:
                return curve
            raise EdsError("bad_signature", f"curve {oid} does not fit a {size}-bit key")
    if size in _DEFAULT_CURVE and not parameter_oids:
        return curve_named(_DEFAULT_CURVE[size])
    raise EdsError("unsupported_algorithm", f"unknown GOST parameter set {parameter_oids}")


def _key_point(key_bytes: bytes, size: int) -> bytes:
    """The public key is an OCTET STRING inside the BIT STRING (04 len X||Y)."""
    half = size // 8
    try:
        point = core.OctetString.load(key_bytes).native
    except ValueError as exc:
        raise EdsError("malformed", "bad GOST public key") from exc
    if len(point) != 2 * half:
        raise EdsError("malformed", f"GOST public key of {len(point)} bytes, want {2 * half}")
    return point


def _le(data: bytes) -> int:
    return int.from_bytes(data, "little")


def _digest_integer(digest: bytes, q: int) -> int:
    """GOST 34.10 step 2: e = alpha mod q (alpha: the digest read little-endian), 1 if 0."""
    return _le(digest) % q or 1


# --- Verification ------------------------------------------------------------------------


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
    curve = _curve_for(size, parameter_oids)
    point = _key_point(key_bytes, size)
    if len(signature) != 2 * curve.half:
        raise EdsError("bad_signature", f"GOST signature of {len(signature)} bytes")
    if digest is None:
        digest = streebog(f"streebog{size}", message or b"")
    if not _verify_point(curve, point, digest, signature):
        raise EdsError("bad_signature", "GOST 34.10-2015 signature does not verify")


def _verify_point(curve: Curve, point: bytes, digest: bytes, signature: bytes) -> bool:
    half, q = curve.half, curve.q
    r, s = _le(signature[:half]), _le(signature[half:])
    if not (0 < r < q and 0 < s < q):
        return False
    x, y = _le(point[:half]), _le(point[half:])
    ecurve = _ecdsa_curve(curve)
    if not (x < curve.p and y < curve.p and ecurve.contains_point(x, y)):
        return False
    v = pow(_digest_integer(digest, q), -1, q)
    z1, z2 = s * v % q, (q - r * v % q) % q
    public = _public_point(curve, x, y)
    if public is None:  # first sight of this key: one Shamir multiplication
        c = _generator(curve).mul_add(z1, PointJacobi(ecurve, x, y, 1, q), z2)
    else:
        c = _generator(curve) * z1 + public * z2
    affine_x = c.x()
    return affine_x is not None and affine_x % q == r


# Keys that sign again and again (the CAs', the OCSP responder's, a frequent signer's) get
# a precomputed table of multiples, which halves a verification (~2.2 ms -> ~1.1 ms);
# building it costs about two verifications, so it is built when a key is seen again.
_POINTS_MAX = 256
_points: OrderedDict[tuple[str, int, int], PointJacobi | None] = OrderedDict()
_points_lock = threading.Lock()


def _public_point(curve: Curve, x: int, y: int) -> PointJacobi | None:
    key = (curve.name, x, y)
    with _points_lock:
        if key not in _points:
            _points[key] = None
            if len(_points) > _POINTS_MAX:
                _points.popitem(last=False)
            return None
        _points.move_to_end(key)
        point = _points[key]
    if point is None:
        point = PointJacobi(_ecdsa_curve(curve), x, y, 1, curve.q, generator=True)
        with _points_lock:
            _points[key] = point
    return point


def verify_gost2015_reference(
    *, size: int, key_bytes: bytes, parameter_oids: tuple[str, ...], digest: bytes, signature: bytes
) -> bool:
    """The same check in pure Python (gostcrypto), kept to check the fast path."""
    curve = _curve_for(size, parameter_oids)
    point = _key_point(key_bytes, size)
    half = curve.half
    public_key = point[:half][::-1] + point[half:][::-1]
    signature_be = signature[:half][::-1] + signature[half:][::-1]
    mode = gostsignature.MODE_512 if size == 512 else gostsignature.MODE_256
    try:
        return gostsignature.new(mode, curve.params).verify(public_key, digest[::-1], signature_be)
    except Exception:  # gostcrypto raises its own errors on out-of-range values
        return False


# --- Keys and signing --------------------------------------------------------------------


@dataclass(frozen=True)
class GostSigningKey:
    """A GOST 34.10-2015 private key: the scalar d and its curve."""

    scalar: int
    curve: Curve

    @property
    def public_key(self) -> bytes:
        """X||Y, each little-endian (NCA's encoding, inside an OCTET STRING in the SPKI)."""
        point = _generator(self.curve) * self.scalar
        half = self.curve.half
        return point.x().to_bytes(half, "little") + point.y().to_bytes(half, "little")

    def sign_digest(self, digest: bytes) -> bytes:
        """GOST 34.10-2012 §6.1 over a Streebog digest; r||s each little-endian."""
        q, half = self.curve.q, self.curve.half
        if len(digest) != half:
            raise EdsError("malformed", f"digest of {len(digest)} bytes for GOST {half * 8}")
        e = _digest_integer(digest, q)
        while True:
            r, s = signature_values(self.curve, self.scalar, e, secrets.randbelow(q - 1) + 1)
            if r and s:
                return r.to_bytes(half, "little") + s.to_bytes(half, "little")

    def sign(self, message: bytes) -> bytes:
        return self.sign_digest(streebog(f"streebog{self.curve.size}", message))


def signature_values(curve: Curve, scalar: int, e: int, k: int) -> tuple[int, int]:
    """GOST 34.10-2012 §6.1 steps 4-5 with the nonce ``k``: (r, s); 0 in either means
    "take another k". Separate so the standard's example (fixed k) can be checked."""
    r = (_generator(curve) * k).x() % curve.q
    return r, (r * scalar + k * e) % curve.q


def generate_signing_key(curve_name: str = PARAMSET_A_512) -> GostSigningKey:
    curve = curve_named(curve_name)
    return GostSigningKey(secrets.randbelow(curve.q - 1) + 1, curve)


# NCA's PKCS#8 for a GOST-2015/512 key: AlgorithmIdentifier {key OID, SEQUENCE {paramSetA,
# Streebog-512}} and the little-endian scalar as an OCTET STRING inside the privateKey
# OCTET STRING (read from KEY_INDIVIDUAL_VALID_2015.p12).
def gost2015_512_algorithm_der() -> bytes:
    params = _seq(
        core.ObjectIdentifier(KZ_GOST2015_512_PARAMSET_A).dump()
        + core.ObjectIdentifier(KZ_STREEBOG_512).dump()
    )
    return _seq(core.ObjectIdentifier(KZ_GOST2015_512_KEY).dump() + params)


def private_key_pkcs8(key: GostSigningKey) -> bytes:
    if key.curve.name != PARAMSET_A_512:
        raise EdsError("unsupported_algorithm", "only GOST-2015/512 paramSetA keys are written")
    inner = core.OctetString(key.scalar.to_bytes(key.curve.half, "little")).dump()
    return _seq(
        core.Integer(0).dump() + gost2015_512_algorithm_der() + core.OctetString(inner).dump()
    )


def subject_public_key_info(key: GostSigningKey) -> bytes:
    """The SubjectPublicKeyInfo DER of ``key``, as in NCA's GOST-2015/512 certificates."""
    if key.curve.name != PARAMSET_A_512:
        raise EdsError("unsupported_algorithm", "only GOST-2015/512 paramSetA keys are written")
    # BIT STRING (no unused bits) holding the OCTET STRING with X||Y.
    bits = tlv(0x03, b"\x00" + core.OctetString(key.public_key).dump())
    return _seq(gost2015_512_algorithm_der() + bits)


def signing_key_from_pkcs8(
    algorithm_oid: str, parameter_oids: tuple[str, ...], private_key: bytes
) -> GostSigningKey:
    """The key of a PKCS#8 ``privateKey`` field (an OCTET STRING holding the little-endian
    scalar, or the raw scalar)."""
    size = GOST2015_KEYS.get(algorithm_oid)
    if size is None:
        raise EdsError("unsupported_algorithm", f"GOST key {algorithm_oid}")
    curve = _curve_for(size, parameter_oids)
    raw = private_key
    try:
        loaded = core.OctetString.load(private_key)
        if len(loaded.contents) == curve.half:
            raw = loaded.native
    except ValueError:
        pass
    if len(raw) != curve.half:
        raise EdsError("malformed", f"GOST private key of {len(raw)} bytes")
    scalar = _le(raw)
    if not 0 < scalar < curve.q:
        raise EdsError("malformed", "GOST private key out of range")
    return GostSigningKey(scalar, curve)


def _seq(content: bytes) -> bytes:
    return tlv(0x30, content)
