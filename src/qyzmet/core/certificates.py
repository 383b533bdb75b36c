"""A self-signed RSA key and certificate for the system's own demo keys: the registry
gateway's client and simulator keys (``registry.keys``) and the audit checkpoints' demo
system key (``audit.checkpoint``). One builder, so the demo keys' profile (subject, validity,
serial) is written once. Production keys are issued for the system and configured by path."""

from __future__ import annotations

import datetime as dt
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


def key_usage_extension(names) -> x509.KeyUsage:
    """The KeyUsage extension with the bits ``names`` set (of ``KEY_USAGES``), the others
    clear."""
    names = set(names)
    unknown = names - set(KEY_USAGES)
    if unknown:
        raise ValueError(f"unknown key usage: {sorted(unknown)}")
    return x509.KeyUsage(
        **{usage: usage in names for usage in KEY_USAGES},
        encipher_only=False,
        decipher_only=False,
    )


def self_signed(
    common_name: str,
    *,
    key_usage: tuple[str, ...] = ("digital_signature",),
    extended_usage: tuple[x509.ObjectIdentifier, ...] = (),
    ip_addresses: tuple[str, ...] = (),
    end_entity: bool = True,
    days: int = 3650,
    key_size: int = 2048,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new RSA key and its self-signed certificate (subject = issuer: C=KZ, O=qyzmet demo,
    CN ``common_name``), valid from five minutes ago for ``days``. ``key_usage``: the
    KeyUsage bits set (critical); ``extended_usage``: EKU purposes, if any; ``ip_addresses``
    go into the subjectAltName (a TLS server certificate for 127.0.0.1); ``end_entity``:
    a critical BasicConstraints CA:FALSE."""
    usage = key_usage_extension(key_usage)
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "qyzmet demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
    )
    if end_entity:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=False, path_length=None), critical=True
        )
    builder = builder.add_extension(usage, critical=True)
    if extended_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(extended_usage)), critical=False)
    if ip_addresses:
        addresses = [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses]
        builder = builder.add_extension(x509.SubjectAlternativeName(addresses), critical=False)
    return key, builder.sign(key, hashes.SHA256())
