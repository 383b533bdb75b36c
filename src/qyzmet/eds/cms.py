"""Verification of CMS / CAdES-BES signatures and of certificates, as verdicts.

Order of checks (fixed, so a verdict is stable when several things are wrong):

1. structure — the CMS (or certificate) parses, its signer's certificate included
   → ``malformed``; exactly one signer → ``multiple_signers``; signed attributes present
   (CAdES-BES: without them the signature covers the bare content and binds neither the
   content type nor the signer's certificate) → ``no_signed_attributes``; the SignedData's
   ``digestAlgorithms`` — outside the signature, so anyone can change it — names exactly the
   signer's digest algorithm → ``digest_algorithms_mismatch`` (the stored evidence is the
   bytes received, so they must say nothing the signature does not);
2. algorithms — a GOST 34.310-2004 signer → ``gost2004_retired`` (NCA RK no longer issues
   such keys and every one issued has expired); the digest is SHA-256/384/512 or
   Streebog-256/512 → ``digest_not_allowed`` (SHA-1, SHA-224, MD5 ...; GOST 34.311-95 and
   unknown digests → ``unsupported_algorithm``); the signature algorithm known and allowed
   → ``unsupported_algorithm``;
3. content — the messageDigest signed attribute equals the digest of the content
   → ``digest_mismatch``;
4. signature — over the *received* DER of signedAttrs with the SET OF tag (0x31), never a
   re-encoding (node-forge writes the attributes in its own order and signs that), and the
   ESS signing-certificate attribute, when present, names the signer's certificate
   → ``bad_signature``;
5. chain to a trust anchor → ``untrusted_chain`` (``unsupported_algorithm`` for a GOST
   34.310-2004 CA);
6. validity period of every certificate of the path at the moment the caller gives (not
   the unauthenticated signingTime attribute) → ``not_yet_valid`` / ``expired``;
7. purpose (``sign`` / ``auth``) → ``wrong_purpose``;
8. revocation of the signer's certificate (CRL/OCSP) → ``revoked`` / ``revocation_unknown``;
9. identity — ``expect_iin`` / ``expect_bin`` against the certificate (regulation p.10,
   условие 2) → ``iin_mismatch`` / ``bin_mismatch``.

Neither function raises for bad input: every failure is a ``Verdict`` with a code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import cms, core

from qyzmet.core.i18n import translate

from .algorithms import DIGESTS, GOST2004, digest, key_family, verify_signature
from .certificate import Certificate, as_utc, implicit_set_items, pem_or_der
from .chain import TrustStore, check_period, check_purpose
from .errors import VALID_TEXTS, EdsError
from .gost import GOST34311_DIGEST
from .profile import CertificateProfile, iso_utc, profile_of
from .revocation import RevocationSources, RevocationStatus, check_revocation

logger = logging.getLogger(__name__)

MAX_SIGNATURE_BYTES = 1024 * 1024
_SIGNED_DATA = "1.2.840.113549.1.7.2"
_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SIGNING_TIME = "1.2.840.113549.1.9.5"
_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12"
_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"

# Digests a CMS signer info may use (issue 9): the SHA-2 family from SHA-256 and Streebog.
ALLOWED_CMS_DIGESTS = frozenset({"sha256", "sha384", "sha512", "streebog256", "streebog512"})


@dataclass
class Verdict:
    valid: bool
    code: str | None
    signer: CertificateProfile | None = None
    signed_attributes: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # technical note for logs, English
    revocation: RevocationStatus | None = None

    def message(self, language: str | None = None) -> str:
        if self.valid:
            return translate(VALID_TEXTS, language)
        from qyzmet.core.refusals import message_for

        return message_for(self.code).text(language)

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        return {
            "valid": self.valid,
            "code": self.code,
            "message": self.message(language),
            "signer": self.signer.to_inspect_dict() if self.signer else None,
            "signed_attributes": self.signed_attributes,
        }


# Verdicts reached only after the signature verified with the key of a certificate that
# chains to a trust anchor (steps 6–9): whoever sent it holds that certificate's key.
_HOLDER_PROVEN_CODES = frozenset(
    {
        "not_yet_valid",
        "expired",
        "wrong_purpose",
        "revoked",
        "revocation_unknown",
        "iin_mismatch",
        "bin_mismatch",
    }
)


def holder_proven(verdict: Verdict) -> bool:
    """True when the signer is who the certificate names: the signature verified with its
    key and the certificate chains to a trust anchor, whatever came after (a log-in
    throttle may count such a refusal against that person; anything else names nobody —
    a certificate is public and can be put into any garbage)."""
    return verdict.signer is not None and (verdict.valid or verdict.code in _HOLDER_PROVEN_CODES)


def _failed(error: EdsError, signer: Certificate | None, attributes: dict) -> Verdict:
    profile = None
    if signer is not None:
        try:
            profile = profile_of(signer)
        except Exception:  # a profile is a courtesy on a refusal, never a crash
            profile = None
    return Verdict(False, error.code, profile, attributes, error.detail)


def verify_certificate(
    certificate: bytes | Certificate,
    *,
    trust: TrustStore,
    at: datetime,
    revocation: RevocationSources,
    purpose: str | None = None,
    expect_iin: str | None = None,
    expect_bin: str | None = None,
    intermediates: list[bytes | Certificate] = (),
) -> Verdict:
    """Chain, period, purpose, revocation and identity of one certificate at ``at``."""
    cert = None
    try:
        cert = (
            certificate if isinstance(certificate, Certificate) else Certificate.load(certificate)
        )
        extra = [c if isinstance(c, Certificate) else Certificate.load(c) for c in intermediates]
        status = _check_certificate(
            cert, extra, trust, at, revocation, purpose, expect_iin, expect_bin
        )
        return Verdict(True, None, profile_of(cert), {}, status.detail, status)
    except EdsError as error:
        return _failed(error, cert, {})
    except Exception as error:  # never a traceback for bad input
        logger.exception("unexpected error verifying a certificate")
        return _failed(EdsError("malformed", repr(error)), cert, {})


def _check_certificate(
    cert: Certificate,
    intermediates: list[Certificate],
    trust: TrustStore,
    at: datetime,
    revocation: RevocationSources,
    purpose: str | None,
    expect_iin: str | None,
    expect_bin: str | None,
) -> RevocationStatus:
    family = key_family(cert)
    if family == GOST2004:
        raise EdsError("gost2004_retired", "GOST 34.310-2004 certificate")
    if trust.allowed_families is not None and family not in trust.allowed_families:
        raise EdsError("unsupported_algorithm", "the certificate's key algorithm")
    path = trust.build_path(cert, intermediates)
    check_period(path, at)
    check_purpose(cert, purpose)
    if len(path) > 1:
        status = check_revocation(cert, path[1], at=at, sources=revocation, trust=trust)
    else:  # a pinned anchor is trusted as it is
        status = RevocationStatus("good", None, detail="trust anchor")
    profile = profile_of(cert)
    if expect_iin is not None and profile.iin != str(expect_iin).strip():
        raise EdsError("iin_mismatch", f"certificate IIN {profile.iin}")
    if expect_bin is not None and profile.bin != str(expect_bin).strip():
        raise EdsError("bin_mismatch", f"certificate BIN {profile.bin}")
    return status


def verify_cms(
    signature: bytes,
    data: bytes | None,
    *,
    trust: TrustStore,
    at: datetime,
    revocation: RevocationSources,
    purpose: str | None = "sign",
    expect_iin: str | None = None,
    expect_bin: str | None = None,
) -> Verdict:
    """Verify an attached (``data`` None) or detached CMS SignedData at ``at``."""
    signer: Certificate | None = None
    attributes: dict[str, Any] = {}
    try:
        parsed = _parse_signed_data(signature)
        signer_info, signer, certificates = parsed
        content = _content(parsed_signed_data=signer_info.signed_data, data=data)
        attributes = _check_signer_info(signer_info, signer, content, trust)
        status = _check_certificate(
            signer, certificates, trust, at, revocation, purpose, expect_iin, expect_bin
        )
        return Verdict(True, None, profile_of(signer), attributes, status.detail, status)
    except EdsError as error:
        return _failed(error, signer, attributes)
    except Exception as error:  # never a traceback for bad input
        logger.exception("unexpected error verifying a CMS signature")
        return _failed(EdsError("malformed", repr(error)), signer, attributes)


@dataclass
class _SignerInfo:
    info: cms.SignerInfo
    signed_data: cms.SignedData


def _decode_signature_bytes(signature: bytes) -> bytes:
    """DER, PEM (any label) or base64 text, as browsers and NCALayer send it."""
    if isinstance(signature, str):
        signature = signature.encode("ascii", "replace")
    if not isinstance(signature, bytes | bytearray) or not signature:
        raise EdsError("malformed", "empty signature")
    if len(signature) > MAX_SIGNATURE_BYTES * 2:
        raise EdsError("malformed", "signature too large")
    signature = bytes(signature)
    if signature[:1] == b"\x30":
        return signature
    stripped = signature.strip()
    if stripped.startswith(b"-----BEGIN"):
        return pem_or_der(stripped, "")[0]
    try:
        return base64.b64decode(b"".join(stripped.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EdsError("malformed", "not DER, PEM or base64") from exc


def _parse_signed_data(signature: bytes) -> tuple[_SignerInfo, Certificate, list[Certificate]]:
    der = _decode_signature_bytes(signature)
    try:
        content_info = cms.ContentInfo.load(der, strict=True)
        if content_info["content_type"].dotted != _SIGNED_DATA:
            raise EdsError("malformed", "not a CMS SignedData")
        signed_data = content_info["content"]
        signer_infos = list(signed_data["signer_infos"])
        # Only plain X.509 certificates (universal SEQUENCE); attribute certificates
        # and other choices carry context tags and are ignored.
        certificates = [
            Certificate.from_der(der)
            for der in implicit_set_items(signed_data["certificates"])
            if der[:1] == b"\x30"
        ]
        if not signer_infos:
            raise EdsError("malformed", "no signer info")
        if len(signer_infos) > 1:
            raise EdsError("multiple_signers", f"{len(signer_infos)} signer infos")
        info = signer_infos[0]
        sid = info["sid"]
    except EdsError:
        raise
    except Exception as exc:
        raise EdsError("malformed", f"unreadable CMS: {exc}") from exc
    signer = _find_signer(sid, certificates)
    others = [c for c in certificates if c is not signer]
    _check_structure(info, signed_data)
    return _SignerInfo(info, signed_data), signer, others


def _check_structure(info: cms.SignerInfo, signed_data: cms.SignedData) -> None:
    """Signed attributes present; ``digestAlgorithms`` exactly the signer's digest."""
    signed_attrs = info["signed_attrs"]
    if signed_attrs is None or isinstance(signed_attrs, core.Void) or not len(signed_attrs):
        raise EdsError("no_signed_attributes", "the signature covers the bare content")
    wanted = _algorithm_key(info["digest_algorithm"])
    listed = [_algorithm_key(item) for item in signed_data["digest_algorithms"]]
    if listed != [wanted]:
        raise EdsError(
            "digest_algorithms_mismatch",
            f"digestAlgorithms {[oid for oid, _ in listed]} vs signer's {wanted[0]}",
        )


def _algorithm_key(identifier) -> tuple[str, bytes]:
    """An AlgorithmIdentifier as (OID, parameters); absent parameters and NULL are the same
    (RFC 5754 lets a signer write either)."""
    parameters = identifier["parameters"]
    encoded = b"" if parameters is None else parameters.dump()
    return identifier["algorithm"].dotted, b"" if encoded in (b"", b"\x05\x00") else encoded


def _find_signer(sid, certificates: list[Certificate]) -> Certificate:
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.serial == wanted["serial_number"].native and (
                wanted["issuer"].dump() == cert.issuer_der  # exact bytes: the usual case
                or cert.issuer_key == wanted["issuer"].hashable
            ):
                return cert
        elif (
            sid.name == "subject_key_identifier"
            and cert.subject_key_identifier == sid.chosen.native
        ):
            return cert
    raise EdsError("malformed", "the signer's certificate is not in the signature")


def _content(parsed_signed_data: cms.SignedData, data: bytes | None) -> bytes:
    encapsulated = parsed_signed_data["encap_content_info"]["content"]
    attached = None
    if encapsulated is not None and encapsulated.native is not None:
        attached = encapsulated.native
        if not isinstance(attached, bytes):  # a parsed non-data content type
            attached = encapsulated.parsed.dump() if hasattr(encapsulated, "parsed") else None
    if data is not None:
        if attached is not None and not hmac.compare_digest(attached, bytes(data)):
            raise EdsError("digest_mismatch", "attached content differs from the given data")
        return bytes(data)
    if attached is None:
        raise EdsError("malformed", "detached signature without the signed data")
    return attached


def _check_signer_info(
    signer_info: _SignerInfo, signer: Certificate, content: bytes, trust: TrustStore
) -> dict[str, Any]:
    info = signer_info.info
    digest_oid = info["digest_algorithm"]["algorithm"].dotted
    signature_oid = info["signature_algorithm"]["algorithm"].dotted
    signature_value = info["signature"].native
    family = key_family(signer)
    if family == GOST2004:
        raise EdsError("gost2004_retired", "GOST 34.310-2004 signer")
    if digest_oid == GOST34311_DIGEST or digest_oid not in DIGESTS:
        raise EdsError("unsupported_algorithm", f"digest {digest_oid}")
    if DIGESTS[digest_oid] not in ALLOWED_CMS_DIGESTS:
        raise EdsError("digest_not_allowed", f"digest {DIGESTS[digest_oid]}")
    if family is None or (
        trust.allowed_families is not None and family not in trust.allowed_families
    ):
        raise EdsError("unsupported_algorithm", f"signer key {family}")
    content_digest = digest(digest_oid, content)
    signed_attrs = info["signed_attrs"]  # present: _check_structure refused a CMS without
    values = _attribute_values(signed_attrs)
    attributes = _describe_attributes(values)
    message_digest = values.get(_MESSAGE_DIGEST)
    if message_digest is None:
        raise EdsError("malformed", "no messageDigest signed attribute")
    if not hmac.compare_digest(core.OctetString.load(message_digest).native, content_digest):
        raise EdsError("digest_mismatch", "messageDigest differs from the content's digest")
    received = signed_attrs.dump()
    message = b"\x31" + received[1:]  # the SET OF tag replaces the [0] IMPLICIT tag
    verify_signature(
        signer,
        signature_oid,
        message,
        signature_value,
        digest_oid=digest_oid,
        allowed_families=trust.allowed_families,
    )
    _check_signing_certificate(values, signer)
    return attributes


def _attribute_values(signed_attrs) -> dict[str, bytes]:
    """oid -> DER of the first value; a repeated attribute type is malformed (RFC 5652)."""
    values: dict[str, bytes] = {}
    for attribute in signed_attrs:
        oid = attribute["type"].dotted
        if oid in values:
            raise EdsError("malformed", f"signed attribute {oid} repeated")
        items = list(core.SetOf.load(attribute["values"].dump(), spec=core.Any))
        if len(items) != 1:
            raise EdsError("malformed", f"signed attribute {oid} must have one value")
        values[oid] = items[0].dump()
    return values


def _describe_attributes(values: dict[str, bytes]) -> dict[str, Any]:
    described: dict[str, Any] = {}
    if _CONTENT_TYPE in values:
        described["content_type"] = core.ObjectIdentifier.load(values[_CONTENT_TYPE]).dotted
    if _MESSAGE_DIGEST in values:
        described["message_digest"] = core.OctetString.load(values[_MESSAGE_DIGEST]).native.hex()
    if _SIGNING_TIME in values:
        moment = cms.Time.load(values[_SIGNING_TIME]).native
        described["signing_time"] = (
            iso_utc(as_utc(moment)) if isinstance(moment, datetime) else None
        )
    return described


def _check_signing_certificate(values: dict[str, bytes], signer: Certificate) -> None:
    """CAdES: the ESS signing-certificate attribute must name the signer's certificate."""
    if _SIGNING_CERTIFICATE_V2 in values:
        from asn1crypto import tsp

        certs = tsp.SigningCertificateV2.load(values[_SIGNING_CERTIFICATE_V2])["certs"]
        if len(certs):
            first = certs[0]
            algorithm = first["hash_algorithm"]["algorithm"].dotted
            name = DIGESTS.get(algorithm)
            if name is None:
                raise EdsError("unsupported_algorithm", f"ESSCertIDv2 hash {algorithm}")
            if not hmac.compare_digest(digest(algorithm, signer.der), first["cert_hash"].native):
                raise EdsError("bad_signature", "signing-certificate attribute names another cert")
    elif _SIGNING_CERTIFICATE in values:
        from asn1crypto import tsp

        certs = tsp.SigningCertificate.load(values[_SIGNING_CERTIFICATE])["certs"]
        if len(certs):
            expected = certs[0]["cert_hash"].native
            if not hmac.compare_digest(hashlib.sha1(signer.der).digest(), expected):  # noqa: S324 -- ESSCertID is SHA-1 by definition
                raise EdsError("bad_signature", "signing-certificate attribute names another cert")
