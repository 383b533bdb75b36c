"""PKCS#12 key files (RFC 7292), including the legacy encryption of NCA RK GOST files.

NCA RK key files protect the key bag with pbeWithSHAAnd3-KeyTripleDES-CBC and the
certificate bag with pbeWithSHAAnd40BitRC2-CBC. ``cryptography`` refuses the GOST ones
("Invalid password or PKCS12 data"), so the container is read here: the RFC 7292
appendix B key derivation, RC2/3DES (or PBES2/AES) decryption with pycryptodome, and
asn1crypto for the structures. RSA keys are then loaded with ``cryptography``; GOST keys
are kept as raw PKCS#8 and turned into a ``gost.GostSigningKey`` when one signs with them.

A wrong password is detected by the PKCS#12 MAC before anything is decrypted.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import algos, cms, core, pkcs12
from Crypto.Cipher import AES, ARC2, DES3

from . import gost
from .algorithms import key_family
from .certificate import Certificate, parameter_oids
from .errors import EdsError

MAX_PKCS12_BYTES = 256 * 1024

_ID_KEY, _ID_IV, _ID_MAC = 1, 2, 3
# PKCS#12 PBE OIDs -> (cipher, key length, block size).
_PKCS12_PBE = {
    "1.2.840.113549.1.12.1.3": ("3des", 24),
    "1.2.840.113549.1.12.1.4": ("3des", 16),
    "1.2.840.113549.1.12.1.5": ("rc2", 16),
    "1.2.840.113549.1.12.1.6": ("rc2", 5),
}
_PBES2 = "1.2.840.113549.1.5.13"
_HMAC_PRFS = {
    "1.2.840.113549.2.7": "sha1",
    "1.2.840.113549.2.8": "sha224",
    "1.2.840.113549.2.9": "sha256",
    "1.2.840.113549.2.10": "sha384",
    "1.2.840.113549.2.11": "sha512",
}
_AES_CBC = {
    "2.16.840.1.101.3.4.1.2": 16,
    "2.16.840.1.101.3.4.1.22": 24,
    "2.16.840.1.101.3.4.1.42": 32,
}
_DES_EDE3_CBC = "1.2.840.113549.3.7"


@dataclass(frozen=True)
class GostPrivateKey:
    """A GOST private key as found in the file (PKCS#8 DER)."""

    algorithm_oid: str
    pkcs8_der: bytes = field(repr=False)

    def signing_key(self) -> gost.GostSigningKey:
        """The GOST 34.10-2015 key to sign with (``gost.py``); GOST-2004 is refused."""
        info = _RawPrivateKeyInfo.load(self.pkcs8_der)
        parameters = info["private_key_algorithm"]["parameters"]
        return gost.signing_key_from_pkcs8(
            self.algorithm_oid,
            parameter_oids(parameters.dump() if parameters.contents is not None else None),
            info["private_key"].native,
        )


@dataclass
class KeyBundle:
    certificate: Certificate | None
    certificates: list[Certificate]
    private_key: Any  # a cryptography private key, a GostPrivateKey, or None
    algorithm: str | None


def _bmp_password(password: str) -> bytes:
    return password.encode("utf-16-be") + b"\x00\x00"


def pkcs12_kdf(
    hash_name: str, password: bytes, salt: bytes, iterations: int, purpose: int, size: int
) -> bytes:
    """RFC 7292 appendix B.2 key derivation (``password`` already BMP-encoded)."""
    block = hashlib.new(hash_name).block_size
    diversifier = bytes([purpose]) * block

    def stretch(value: bytes) -> bytes:
        if not value:
            return b""
        length = block * ((len(value) + block - 1) // block)
        return (value * (length // len(value) + 1))[:length]

    work = bytearray(stretch(salt) + stretch(password))
    result = b""
    while len(result) < size:
        digest = diversifier + bytes(work)
        digest = hashlib.new(hash_name, digest).digest()
        for _ in range(iterations - 1):
            digest = hashlib.new(hash_name, digest).digest()
        result += digest
        b_value = int.from_bytes(stretch(digest), "big") + 1
        for start in range(0, len(work), block):
            chunk = int.from_bytes(work[start : start + block], "big") + b_value
            work[start : start + block] = (chunk % (1 << (8 * block))).to_bytes(block, "big")
    return result[:size]


def _unpad(data: bytes, block: int) -> bytes:
    if not data or len(data) % block:
        raise EdsError("wrong_password", "bad ciphertext length")
    pad = data[-1]
    if not 1 <= pad <= block or data[-pad:] != bytes([pad]) * pad:
        raise EdsError("wrong_password", "bad padding")
    return data[:-pad]


def _decrypt(algorithm: core.Sequence, ciphertext: bytes, password: str) -> bytes:
    oid = algorithm["algorithm"].dotted
    if oid in _PKCS12_PBE:
        cipher_name, key_size = _PKCS12_PBE[oid]
        params = algos.Pbes1Params.load(algorithm["parameters"].dump())
        salt, iterations = params["salt"].native, params["iterations"].native
        if not 1 <= iterations <= 10_000_000:
            raise EdsError("malformed", "unreasonable PBE iteration count")
        secret = _bmp_password(password)
        key = pkcs12_kdf("sha1", secret, salt, iterations, _ID_KEY, key_size)
        iv = pkcs12_kdf("sha1", secret, salt, iterations, _ID_IV, 8)
        if cipher_name == "3des":
            if key_size == 16:
                key = key + key[:8]
            plain = DES3.new(DES3.adjust_key_parity(key), DES3.MODE_CBC, iv).decrypt(ciphertext)
        else:
            plain = ARC2.new(key, ARC2.MODE_CBC, iv, effective_keylen=key_size * 8).decrypt(  # noqa: S304 -- the format NCA RK key files use
                ciphertext
            )
        return _unpad(plain, 8)
    if oid == _PBES2:
        return _decrypt_pbes2(algorithm, ciphertext, password)
    raise EdsError("unsupported_algorithm", f"PKCS#12 encryption {oid}")


def _decrypt_pbes2(algorithm: core.Sequence, ciphertext: bytes, password: str) -> bytes:
    params = algos.Pbes2Params.load(algorithm["parameters"].dump())
    kdf = params["key_derivation_func"]
    if kdf["algorithm"].dotted != "1.2.840.113549.1.5.12":
        raise EdsError("unsupported_algorithm", "PBES2 without PBKDF2")
    kdf_params = kdf["parameters"]
    prf_oid = kdf_params["prf"]["algorithm"].dotted if kdf_params["prf"] else None
    prf = _HMAC_PRFS.get(prf_oid or "1.2.840.113549.2.7")
    scheme = params["encryption_scheme"]
    scheme_oid = scheme["algorithm"].dotted
    iterations = kdf_params["iteration_count"].native
    if prf is None or not 1 <= iterations <= 10_000_000:
        raise EdsError("unsupported_algorithm", "PBKDF2 parameters")
    if scheme_oid in _AES_CBC:
        key_size, block = _AES_CBC[scheme_oid], 16
    elif scheme_oid == _DES_EDE3_CBC:
        key_size, block = 24, 8
    else:
        raise EdsError("unsupported_algorithm", f"PBES2 cipher {scheme_oid}")
    iv = scheme["parameters"].native
    key = hashlib.pbkdf2_hmac(
        prf, password.encode("utf-8"), kdf_params["salt"].native, iterations, key_size
    )
    if block == 16:
        plain = AES.new(key, AES.MODE_CBC, iv).decrypt(ciphertext)
    else:
        plain = DES3.new(key, DES3.MODE_CBC, iv).decrypt(ciphertext)
    return _unpad(plain, block)


def _check_mac(pfx: pkcs12.Pfx, auth_safe_bytes: bytes, password: str) -> None:
    mac_data = pfx["mac_data"]
    if not mac_data:
        return  # no MAC: a wrong password shows as bad padding when decrypting
    hash_name = mac_data["mac"]["digest_algorithm"]["algorithm"].native
    if hash_name not in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        raise EdsError("unsupported_algorithm", f"PKCS#12 MAC {hash_name}")
    iterations = mac_data["iterations"].native
    if not 1 <= iterations <= 10_000_000:
        raise EdsError("malformed", "unreasonable MAC iteration count")
    salt = mac_data["mac_salt"].native
    expected = mac_data["mac"]["digest"].native
    size = hashlib.new(hash_name).digest_size
    candidates = [_bmp_password(password)]
    if password == "":
        candidates.append(b"")  # some writers encode the empty password as no bytes
    for secret in candidates:
        mac_key = pkcs12_kdf(hash_name, secret, salt, iterations, _ID_MAC, size)
        actual = hmac.new(mac_key, auth_safe_bytes, hash_name).digest()
        if hmac.compare_digest(actual, expected):
            return
    raise EdsError("wrong_password", "PKCS#12 MAC does not verify")


def _safe_contents(content_info: cms.ContentInfo, password: str) -> pkcs12.SafeContents:
    content_type = content_info["content_type"].native
    if content_type == "data":
        return pkcs12.SafeContents.load(content_info["content"].native)
    if content_type == "encrypted_data":
        encrypted = content_info["content"]["encrypted_content_info"]
        plain = _decrypt(
            encrypted["content_encryption_algorithm"],
            encrypted["encrypted_content"].native,
            password,
        )
        return pkcs12.SafeContents.load(plain)
    raise EdsError("unsupported_algorithm", f"PKCS#12 content {content_type}")


def _bags(safe: pkcs12.SafeContents, password: str, depth: int = 0):
    for bag in safe:
        bag_id = bag["bag_id"].dotted
        local_key_id = None
        for attribute in bag["bag_attributes"] or ():
            if attribute["type"].native == "local_key_id" and attribute["values"]:
                local_key_id = attribute["values"][0].native
        if bag_id == "1.2.840.113549.1.12.10.1.6" and depth < 2:  # safeContentsBag
            yield from _bags(bag["bag_value"], password, depth + 1)
        else:
            yield bag_id, bag["bag_value"], local_key_id


def load_pkcs12(data: bytes, password: str, *, require_key: bool = False) -> KeyBundle:
    """Open a PKCS#12 key file. Raises ``EdsError`` with ``malformed``,
    ``wrong_password``, ``no_key`` (when ``require_key``) or ``unsupported_algorithm``."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise EdsError("malformed", "empty PKCS#12")
    if len(data) > MAX_PKCS12_BYTES:
        raise EdsError("malformed", "PKCS#12 too large")
    try:
        pfx = pkcs12.Pfx.load(bytes(data), strict=True)
        auth_safe = pfx["auth_safe"]
        if auth_safe["content_type"].native != "data":
            raise EdsError("unsupported_algorithm", "public-key protected PKCS#12")
        auth_safe_bytes = auth_safe["content"].native
        _check_mac(pfx, auth_safe_bytes, password)
        certificates: list[tuple[Certificate, bytes | None]] = []
        key_infos: list[tuple[_RawPrivateKeyInfo, bytes | None]] = []
        for content_info in pkcs12.AuthenticatedSafe.load(auth_safe_bytes):
            for bag_id, value, local_key_id in _bags(
                _safe_contents(content_info, password), password
            ):
                if bag_id == "1.2.840.113549.1.12.10.1.3":  # certBag
                    if value["cert_id"].dotted == "1.2.840.113549.1.9.22.1":  # x509Certificate
                        certificates.append(
                            (Certificate.from_der(value["cert_value"].parsed.dump()), local_key_id)
                        )
                elif bag_id == "1.2.840.113549.1.12.10.1.2":  # pkcs8ShroudedKeyBag
                    plain = _decrypt(
                        value["encryption_algorithm"], value["encrypted_data"].native, password
                    )
                    key_infos.append((_private_key_info(plain), local_key_id))
                elif bag_id == "1.2.840.113549.1.12.10.1.1":  # keyBag
                    key_infos.append((_private_key_info(value.dump()), local_key_id))
    except EdsError:
        raise
    except Exception as exc:  # garbage in any of the nested structures
        raise EdsError("malformed", f"unreadable PKCS#12: {exc}") from exc

    if not key_infos and require_key:
        raise EdsError("no_key", "the file holds certificates only")
    key_info, key_id = key_infos[0] if key_infos else (None, None)
    leaf = _pick_leaf(certificates, key_id)
    private_key = _load_private_key(key_info) if key_info is not None else None
    return KeyBundle(
        certificate=leaf,
        certificates=[cert for cert, _ in certificates],
        private_key=private_key,
        algorithm=key_family(leaf) if leaf is not None else None,
    )


class _RawAlgorithm(core.Sequence):
    _fields = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class _RawPrivateKeyInfo(core.Sequence):
    """PKCS#8 without asn1crypto's key-type dispatch (which raises on GOST OIDs)."""

    _fields = [
        ("version", core.Integer),
        ("private_key_algorithm", _RawAlgorithm),
        ("private_key", core.OctetString),
        ("attributes", core.Any, {"implicit": 0, "optional": True}),
    ]


def _private_key_info(der: bytes) -> _RawPrivateKeyInfo:
    info = _RawPrivateKeyInfo.load(der)
    info["private_key_algorithm"]["algorithm"].dotted  # noqa: B018 -- parse now
    return info


def _pick_leaf(
    certificates: list[tuple[Certificate, bytes | None]], key_id: bytes | None
) -> Certificate | None:
    if key_id is not None:
        for cert, cert_key_id in certificates:
            if cert_key_id == key_id:
                return cert
    for cert, _ in certificates:
        if not cert.is_ca:
            return cert
    return certificates[0][0] if certificates else None


def _load_private_key(info: _RawPrivateKeyInfo) -> Any:
    oid = info["private_key_algorithm"]["algorithm"].dotted
    if oid.startswith("1.2.398.3.10.") or oid.startswith("1.2.643."):
        return GostPrivateKey(algorithm_oid=oid, pkcs8_der=info.dump())
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    try:
        return load_der_private_key(info.dump(), password=None)
    except (ValueError, TypeError) as exc:
        raise EdsError("unsupported_algorithm", f"private key {oid}: {exc}") from exc
