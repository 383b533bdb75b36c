"""The system's own gateway keys (server-side keys are allowed for the system itself).

In production the key and certificate are issued for the system and configured by path.
In demo mode :func:`ensure_demo_keys` generates a self-signed RSA key and certificate for
the client (qyzmet) and one for the registry simulator, once, into ``var/registry/``.
Nothing here is committed: demo keys are made at run time.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from qyzmet.core.certificates import self_signed

DEMO_ROLES = ("client", "simulator")
DEMO_NAMES = {
    "client": "qyzmet gateway client (DEMO)",
    "simulator": "GBD FL/UL registry simulator (DEMO)",
}


@dataclass(frozen=True)
class KeyPair:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def generate_self_signed(
    common_name: str, *, days: int = 3650, key_size: int = 2048, ip_addresses: tuple[str, ...] = ()
) -> KeyPair:
    """A self-signed RSA key pair (``core/certificates.py``) for TLS client and server use;
    ``ip_addresses`` go into the subjectAltName (a TLS server certificate for 127.0.0.1, as
    the NCALayer simulator's tests use)."""
    key, cert = self_signed(
        common_name,
        extended_usage=(ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH),
        ip_addresses=ip_addresses,
        days=days,
        key_size=key_size,
    )
    return KeyPair(key, cert)


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def demo_paths(directory: Path, role: str) -> tuple[Path, Path]:
    return directory / f"{role}.key", directory / f"{role}.crt"


def ensure_demo_keys(directory: str | Path) -> dict[str, tuple[Path, Path]]:
    """Create the client's and the simulator's demo key and certificate unless they exist.

    Idempotent and safe to call from several processes at once (``make run`` starts the web
    server and the simulator together): a file lock serialises the creation, and each pair
    is written key-first then certificate, both atomically, so a reader never sees a
    certificate without its key. Returns ``{role: (key_path, cert_path)}``.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    result: dict[str, tuple[Path, Path]] = {}
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for role in DEMO_ROLES:
                key_path, cert_path = demo_paths(directory, role)
                if not (key_path.exists() and cert_path.exists()):
                    pair = generate_self_signed(DEMO_NAMES[role])
                    _write_atomically(key_path, pair.key_pem, 0o600)
                    _write_atomically(cert_path, pair.cert_pem, 0o644)
                result[role] = (key_path, cert_path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return result


def load_private_key(path: str | Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path}: the gateway key must be an RSA key")
    return key


def load_certificate(path: str | Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def load_certificates(paths: Iterable[str | Path]) -> list[x509.Certificate]:
    return [load_certificate(path) for path in paths]
