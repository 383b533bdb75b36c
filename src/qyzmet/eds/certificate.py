"""A parsed X.509 certificate that also works for GOST keys.

``cryptography`` refuses GOST public keys and ``asn1crypto`` fails on GOST key OIDs and on
some malformed extensions found in real NCA certificates (an OCSP responder certificate
carries an empty ``ocsp-nocheck`` value). So everything is read from the DER with
``asn1crypto`` primitives, extensions are kept raw and parsed one by one on demand, and
only RSA keys are handed to ``cryptography``.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from asn1crypto import core, parser, pem, x509

from .errors import EdsError

OID_BASIC_CONSTRAINTS = "2.5.29.19"
OID_KEY_USAGE = "2.5.29.15"
OID_EXT_KEY_USAGE = "2.5.29.37"
OID_SUBJECT_KEY_ID = "2.5.29.14"
OID_AUTHORITY_KEY_ID = "2.5.29.35"
OID_CERT_POLICIES = "2.5.29.32"
OID_CRL_DP = "2.5.29.31"
OID_AIA = "1.3.6.1.5.5.7.1.1"
OID_SAN = "2.5.29.17"

_EXTENSION_SPECS = {
    OID_BASIC_CONSTRAINTS: x509.BasicConstraints,
    OID_KEY_USAGE: x509.KeyUsage,
    OID_EXT_KEY_USAGE: x509.ExtKeyUsageSyntax,
    OID_SUBJECT_KEY_ID: core.OctetString,
    OID_AUTHORITY_KEY_ID: x509.AuthorityKeyIdentifier,
    OID_CERT_POLICIES: x509.CertificatePolicies,
    OID_CRL_DP: x509.CRLDistributionPoints,
    OID_AIA: x509.AuthorityInfoAccessSyntax,
    OID_SAN: x509.GeneralNames,
}

MAX_CERTIFICATE_BYTES = 64 * 1024
MAX_PARSED_CACHE = 2048
_PARSED: dict[bytes, Certificate] = {}
_PARSED_LOCK = threading.Lock()


class _AlgorithmIdentifier(core.Sequence):
    _fields = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class _RawExtension(core.Sequence):
    """An extension whose value stays raw bytes (asn1crypto's own parses it eagerly)."""

    _fields = [
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class _RawExtensions(core.SequenceOf):
    _child_spec = _RawExtension


class _SubjectPublicKeyInfo(core.Sequence):
    """SPKI without asn1crypto's key-type dispatch (which raises on GOST OIDs)."""

    _fields = [("algorithm", _AlgorithmIdentifier), ("public_key", core.BitString)]


@dataclass(frozen=True)
class PublicKeyInfo:
    algorithm_oid: str
    parameters: bytes | None  # DER of the parameters, if any
    key_bytes: bytes  # contents of the subjectPublicKey BIT STRING
    spki_der: bytes

    @cached_property
    def parameter_oids(self) -> tuple[str, ...]:
        return parameter_oids(self.parameters)


def parameter_oids(parameters: bytes | None) -> tuple[str, ...]:
    """The OIDs in an AlgorithmIdentifier's parameters (DER): GOST keys carry a SEQUENCE of
    OIDs (curve, digest); RSA carries NULL (no OIDs)."""
    if not parameters:
        return ()
    try:
        value = core.load(parameters)
        if isinstance(value, core.ObjectIdentifier):
            return (value.dotted,)
        if isinstance(value, core.Sequence):
            members = (core.load(child.dump()) for child in _AnyList.load(parameters))
            return tuple(
                member.dotted for member in members if isinstance(member, core.ObjectIdentifier)
            )
    except (ValueError, TypeError):
        return ()
    return ()


class _AnyList(core.SequenceOf):
    _child_spec = core.Any


def pem_or_der(data: bytes, kind: str = "CERTIFICATE") -> list[bytes]:
    """DER blobs from PEM (one or several blocks) or the DER itself."""
    if pem.detect(data):
        blocks = []
        try:
            for name, _headers, der in pem.unarmor(data, multiple=True):
                if kind in name:
                    blocks.append(der)
        except (ValueError, TypeError) as exc:
            raise EdsError("malformed", f"bad PEM: {exc}") from exc
        if not blocks:
            raise EdsError("malformed", f"no {kind} block in PEM")
        return blocks
    return [data]


@dataclass(eq=False)
class Certificate:
    """One certificate, parsed lazily from its DER."""

    der: bytes
    asn1: x509.Certificate = field(repr=False)

    @classmethod
    def load(cls, data: bytes) -> Certificate:
        """Parse DER or PEM; anything unreadable raises ``EdsError('malformed')``."""
        if not isinstance(data, bytes | bytearray) or not data:
            raise EdsError("malformed", "empty certificate")
        if len(data) > MAX_CERTIFICATE_BYTES:
            raise EdsError("malformed", "certificate too large")
        der = bytes(pem_or_der(bytes(data))[0])
        return cls.from_der(der)

    @classmethod
    def from_der(cls, der: bytes) -> Certificate:
        """Parse DER; parsed certificates are kept in a bounded process-wide cache keyed
        by their exact bytes (the same signer certificate arrives with every signature)."""
        der = bytes(der)
        cached = _PARSED.get(der)
        if cached is not None:
            return cached
        certificate = cls._parse(der)
        with _PARSED_LOCK:
            _PARSED[der] = certificate
            while len(_PARSED) > MAX_PARSED_CACHE:
                _PARSED.pop(next(iter(_PARSED)))
        return certificate

    @classmethod
    def _parse(cls, der: bytes) -> Certificate:
        try:
            asn1 = x509.Certificate.load(der, strict=True)
            cert = cls(der=der, asn1=asn1)
            # Touch every field we rely on so that a damaged certificate fails here,
            # with a code, and not later in the middle of a check.
            cert.tbs_der  # noqa: B018
            cert.serial  # noqa: B018
            cert.not_before  # noqa: B018
            cert.not_after  # noqa: B018
            cert.subject_key  # noqa: B018
            cert.issuer_key  # noqa: B018
            cert.public_key_info  # noqa: B018
            cert.signature_algorithm_oid  # noqa: B018
            cert.signature  # noqa: B018
            cert.extensions  # noqa: B018
        except EdsError:
            raise
        except Exception as exc:  # asn1crypto raises many types on garbage
            raise EdsError("malformed", f"unreadable certificate: {exc}") from exc
        return cert

    # --- identity and names
    @cached_property
    def fingerprint(self) -> bytes:
        return hashlib.sha256(self.der).digest()

    @cached_property
    def tbs_der(self) -> bytes:
        return self.asn1["tbs_certificate"].dump()

    @cached_property
    def serial(self) -> int:
        return self.asn1["tbs_certificate"]["serial_number"].native

    @property
    def subject(self) -> x509.Name:
        return self.asn1["tbs_certificate"]["subject"]

    @property
    def issuer(self) -> x509.Name:
        return self.asn1["tbs_certificate"]["issuer"]

    @cached_property
    def subject_key(self) -> str:
        """Normalised subject name, comparable with another certificate's issuer."""
        return self.subject.hashable

    @cached_property
    def issuer_key(self) -> str:
        return self.issuer.hashable

    @cached_property
    def subject_der(self) -> bytes:
        return self.subject.dump()

    @cached_property
    def issuer_der(self) -> bytes:
        return self.issuer.dump()

    @cached_property
    def subject_common_name(self) -> str | None:
        return name_attribute(self.subject, "2.5.4.3")

    @cached_property
    def issuer_common_name(self) -> str | None:
        return name_attribute(self.issuer, "2.5.4.3")

    # --- validity
    @cached_property
    def not_before(self) -> datetime:
        return _utc(self.asn1["tbs_certificate"]["validity"]["not_before"].native)

    @cached_property
    def not_after(self) -> datetime:
        return _utc(self.asn1["tbs_certificate"]["validity"]["not_after"].native)

    # --- keys and signature
    @cached_property
    def public_key_info(self) -> PublicKeyInfo:
        spki_der = self.asn1["tbs_certificate"]["subject_public_key_info"].dump()
        spki = _SubjectPublicKeyInfo.load(spki_der)
        params = spki["algorithm"]["parameters"]
        bit_string = spki["public_key"]
        return PublicKeyInfo(
            algorithm_oid=spki["algorithm"]["algorithm"].dotted,
            parameters=params.dump() if params.native is not None or params.contents else None,
            key_bytes=bit_string.contents[1:],  # skip the unused-bits byte
            spki_der=spki_der,
        )

    @cached_property
    def signature_algorithm_oid(self) -> str:
        return self.asn1["signature_algorithm"]["algorithm"].dotted

    @cached_property
    def signature(self) -> bytes:
        return self.asn1["signature_value"].contents[1:]

    # --- extensions
    @cached_property
    def extensions(self) -> dict[str, tuple[bool, bytes]]:
        """oid -> (critical, raw value); parsed only when asked for."""
        found: dict[str, tuple[bool, bytes]] = {}
        extensions = self.asn1["tbs_certificate"]["extensions"]
        if extensions is None or not extensions.contents:
            return found
        # The field is [3] EXPLICIT: unwrap the tag, then read the SEQUENCE raw.
        for extension in _RawExtensions.load(explicit_contents(extensions.dump())):
            oid = extension["extn_id"].dotted
            if oid in found:
                raise EdsError("malformed", f"duplicate extension {oid}")
            found[oid] = (bool(extension["critical"].native), extension["extn_value"].native)
        return found

    def extension(self, oid: str) -> Any:
        """The parsed extension value, or None when absent or unreadable."""
        entry = self.extensions.get(oid)
        if entry is None:
            return None
        spec = _EXTENSION_SPECS.get(oid)
        if spec is None:
            return entry[1]
        try:
            value = spec.load(entry[1])
            value.native  # noqa: B018 -- force a full parse now
            return value
        except Exception:  # an unreadable extension is treated as absent
            return None

    @cached_property
    def subject_key_identifier(self) -> bytes | None:
        value = self.extension(OID_SUBJECT_KEY_ID)
        return value.native if value is not None else None

    @cached_property
    def authority_key_identifier(self) -> bytes | None:
        value = self.extension(OID_AUTHORITY_KEY_ID)
        if value is None:
            return None
        return value["key_identifier"].native

    @cached_property
    def extended_key_usage(self) -> frozenset[str]:
        value = self.extension(OID_EXT_KEY_USAGE)
        if value is None:
            return frozenset()
        return frozenset(oid.dotted for oid in value)

    @cached_property
    def key_usage(self) -> frozenset[str] | None:
        value = self.extension(OID_KEY_USAGE)
        return frozenset(value.native) if value is not None else None

    @cached_property
    def policies(self) -> frozenset[str]:
        value = self.extension(OID_CERT_POLICIES)
        if value is None:
            return frozenset()
        return frozenset(policy["policy_identifier"].dotted for policy in value)

    @cached_property
    def is_ca(self) -> bool:
        value = self.extension(OID_BASIC_CONSTRAINTS)
        return bool(value is not None and value["ca"].native)

    @cached_property
    def path_length(self) -> int | None:
        value = self.extension(OID_BASIC_CONSTRAINTS)
        return value["path_len_constraint"].native if value is not None else None

    @cached_property
    def crl_urls(self) -> tuple[str, ...]:
        value = self.extension(OID_CRL_DP)
        urls: list[str] = []
        for point in value or ():
            name = point["distribution_point"]
            if name.name != "full_name":
                continue
            for general in name.chosen:
                if general.name == "uniform_resource_identifier":
                    urls.append(general.native)
        return tuple(urls)

    @cached_property
    def ocsp_urls(self) -> tuple[str, ...]:
        value = self.extension(OID_AIA)
        return tuple(
            entry["access_location"].native
            for entry in value or ()
            if entry["access_method"].dotted == "1.3.6.1.5.5.7.48.1"
            and entry["access_location"].name == "uniform_resource_identifier"
        )

    @cached_property
    def emails(self) -> tuple[str, ...]:
        value = self.extension(OID_SAN)
        return tuple(g.native for g in value or () if g.name == "rfc822_name")

    @property
    def is_self_issued(self) -> bool:
        return self.subject_key == self.issuer_key

    # --- RSA key for cryptography
    @cached_property
    def rsa_public_key(self):
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        return load_der_public_key(self.public_key_info.spki_der)

    def __repr__(self) -> str:
        return f"<Certificate {self.subject_common_name!r} serial={self.serial:x}>"


class _AnySequence(core.SequenceOf):
    _child_spec = core.Any


def explicit_contents(der: bytes) -> bytes:
    """The inner encoding of an EXPLICIT-tagged value."""
    return parser.parse(der)[4]


def raw_certificates(value) -> list[bytes]:
    """DER of each certificate in an asn1crypto SEQUENCE OF Certificate field, without
    letting asn1crypto parse the keys (it raises on GOST OIDs)."""
    if value is None or not value.contents:
        return []
    der = value.dump()
    if der[0] != 0x30:
        der = explicit_contents(der)
    return [item.dump() for item in _AnySequence.load(der)]


def implicit_set_items(value) -> list[bytes]:
    """DER of each element of an IMPLICIT-tagged SET OF (e.g. CMS ``certificates``)."""
    if value is None or not value.contents:
        return []
    contents = parser.parse(value.dump())[4]
    items: list[bytes] = []
    while contents:
        parsed = parser.parse(contents, strict=False)
        size = len(parsed[3]) + len(parsed[4]) + len(parsed[5])
        items.append(contents[:size])
        contents = contents[size:]
    return items


def name_attribute(name: x509.Name, oid: str) -> str | None:
    """The first value of an attribute in a Name, by OID (never by position)."""
    values = name_attributes(name, oid)
    return values[0] if values else None


def name_attributes(name: x509.Name, oid: str) -> list[str]:
    values: list[str] = []
    for rdn in name.chosen:
        for attribute in rdn:
            if attribute["type"].dotted == oid:
                value = attribute["value"].native
                if isinstance(value, str):
                    values.append(value.strip())
    return values


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """Validation moments are compared in UTC; a naive moment is taken as UTC."""
    return _utc(moment)
