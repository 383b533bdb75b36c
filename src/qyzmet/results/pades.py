"""PAdES signing of a result PDF in two halves, and its validation (pyHanko).

The head's key never leaves the browser, so signing is interrupted (pyHanko's "interrupted
signing"): :func:`prepare` adds an invisible signature field and a placeholder of a fixed size,
computes the ``/ByteRange`` and returns the prepared PDF with the reserved region; the bytes
outside the region (:func:`covered_bytes`) are what the browser signs as a plain detached CMS;
:func:`embed` writes that CMS into the placeholder.

Subfilter: ``/adbe.pkcs7.detached``. The browser's CMS (node-forge) has the signed attributes
contentType, messageDigest and signingTime and no ESS signing-certificate-v2. PAdES baseline
(ETSI EN 319 142-1, ``/ETSI.CAdES.detached``) requires signing-certificate-v2 and forbids the
signingTime attribute, so labelling such a CMS as CAdES would be a false claim even though
lenient validators accept it. ``adbe.pkcs7.detached`` (ISO 32000-1 12.8.3.3) is exactly what
the CMS is, and pyHanko, poppler (pdfsig) and Acrobat validate it.

Validation: pyHanko for RSA signatures; a GOST 34.10-2015 signature (the head's NCA key
since 2024), which pyHanko and poppler cannot check, is validated by qyzmet's own EDS
verifier over the byte range (``_validate_gost``), with the same verdict codes.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from qyzmet.core.refusals import Refused

from . import refusals as _refusals  # noqa: F401  (registers the codes)

FIELD_NAME = "HeadSignature"
SUBFILTER = fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED


@dataclass(frozen=True)
class PreparedPdf:
    pdf: bytes
    region_start: int
    region_end: int

    # Computed once: a prepared PDF is asked for both (digest to store, covered bytes for the
    # browser or the CMS check), and with photos it weighs megabytes.
    @cached_property
    def covered(self) -> bytes:
        return covered_bytes(self.pdf, self.region_start, self.region_end)

    @cached_property
    def digest(self) -> bytes:
        return hashlib.sha256(self.covered).digest()


def covered_bytes(pdf: bytes, region_start: int, region_end: int) -> bytes:
    """The ``/ByteRange`` content: everything but the reserved ``<…>`` region."""
    return pdf[:region_start] + pdf[region_end:]


def prepare(
    pdf: bytes, *, reserved_hex_digits: int, reason: str = "", location: str = ""
) -> PreparedPdf:
    """Add the head's signature field and a placeholder of ``reserved_hex_digits`` to ``pdf``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SUBFILTER,
        reason=reason or None,
        location=location or None,
    )
    # The real signer is unknown until the browser answers: a placeholder signer whose
    # CMS is never used (the reserved size is explicit, so nothing is estimated with it).
    placeholder = signers.ExternalSigner(signing_cert=None, cert_registry=None)
    pdf_signer = signers.PdfSigner(
        metadata, signer=placeholder, new_field_spec=fields.SigFieldSpec(FIELD_NAME)
    )
    prepared, _tbs, output = asyncio.run(
        pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=reserved_hex_digits)
    )
    result = PreparedPdf(
        pdf=output.getvalue(),
        region_start=prepared.reserved_region_start,
        region_end=prepared.reserved_region_end,
    )
    # pyHanko has just hashed the same byte range with SHA-256: the digest is not computed
    # twice (the cached property's value).
    result.__dict__["digest"] = prepared.document_digest
    return result


# --- the CMS the browser returns -----------------------------------------------------------


@dataclass(frozen=True)
class SignerOfCms:
    certificate_der: bytes
    signing_time: datetime | None


def _signed_data(signature: bytes) -> asn1_cms.SignedData:
    try:
        info = asn1_cms.ContentInfo.load(bytes(signature))
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        signed["signer_infos"][0]["signed_attrs"].native  # noqa: B018  (parse it now)
        if signed["encap_content_info"]["content"].native is not None:
            raise ValueError("not detached")
        return signed
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise Refused("result_signature_malformed") from error


def _attribute(signer_info, name: str):
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].native == name:
            return attribute["values"][0]
    return None


def cms_signer(signature: bytes, covered: bytes) -> SignerOfCms:
    """The signer of a detached CMS whose messageDigest must be the digest of ``covered``
    (with the CMS's own digest algorithm). The cryptographic verification of the signature,
    chain and revocation is the EDS verifier's job before this is called; this only makes
    sure the CMS belongs to this PDF before it is embedded."""
    from qyzmet.eds.algorithms import digest
    from qyzmet.eds.errors import EdsError

    signed = _signed_data(signature)
    signer_info = signed["signer_infos"][0]
    message_digest = _attribute(signer_info, "message_digest")
    try:
        expected = digest(signer_info["digest_algorithm"]["algorithm"].dotted, covered)
    except EdsError as error:
        raise Refused("result_signature_malformed") from error
    if message_digest is None or message_digest.native != expected:
        raise Refused("result_signature_mismatch")
    sid = signer_info["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        certificate: asn1_x509.Certificate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            matches = (
                certificate.issuer == sid.chosen["issuer"]
                and certificate.serial_number == sid.chosen["serial_number"].native
            )
        else:
            matches = certificate.key_identifier == sid.chosen.native
        if matches:
            signing_time = _attribute(signer_info, "signing_time")
            return SignerOfCms(certificate.dump(), signing_time.native if signing_time else None)
    raise Refused("result_signature_malformed")


def embed(prepared: PreparedPdf, signature: bytes) -> bytes:
    """Write the CMS into the prepared PDF's placeholder; returns the signed PDF."""
    room = (prepared.region_end - prepared.region_start - 2) // 2
    if len(signature) > room:
        raise Refused("result_signature_too_large", {"size": len(signature), "room": room})
    output = io.BytesIO(prepared.pdf)
    PdfTBSDocument.finish_signing(
        output,
        PreparedByteRangeDigest(prepared.digest, prepared.region_start, prepared.region_end),
        bytes(signature),
    )
    return output.getvalue()


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfCheck:
    """pyHanko's verdict on the first signature of a PDF. ``code`` is ``valid`` or the first
    thing that failed: ``unreadable``, ``not_signed``, ``modified`` (the signed bytes changed),
    ``bad_signature``, ``not_whole_file`` (bytes added after signing), ``untrusted``."""

    code: str
    signer_der: bytes | None = None
    signer_reported_at: datetime | None = None
    subfilter: str = ""

    @property
    def authentic(self) -> bool:
        return self.code == "valid"

    @property
    def signer(self) -> asn1_x509.Certificate | None:
        return asn1_x509.Certificate.load(self.signer_der) if self.signer_der else None


def validate(pdf: bytes, *, trust_roots: list[bytes], moment: datetime | None = None) -> PdfCheck:
    """Validate the PDF's first signature with pyHanko against ``trust_roots`` (DER) at
    ``moment`` (the time the server recorded the signature; now when None). Never raises:
    anything unreadable is a verdict, not a crash."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001  (pyHanko raises many types on garbage)
        return PdfCheck("unreadable")
    if not signatures:
        return PdfCheck("not_signed")
    embedded = signatures[0]
    if _is_gost(embedded):
        return _validate_gost(embedded, pdf, trust_roots, moment)
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_roots],
        allow_fetching=False,
        # The head's certificate was checked against CRL/OCSP by the EDS verifier when it
        # signed; here the question is integrity and the chain at that moment.
        revocation_mode="soft-fail",
        moment=moment,
    )
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # noqa: BLE001  (a malformed CMS is a verdict)
        return PdfCheck("bad_signature")
    signer_der = status.signing_cert.dump() if status.signing_cert is not None else None
    details = {
        "signer_der": signer_der,
        "signer_reported_at": status.signer_reported_dt,
        "subfilter": str(embedded.sig_object.get("/SubFilter", "")),
    }
    return PdfCheck(_first_failure(status), **details)


def _cms_signer(embedded) -> asn1_x509.Certificate | None:
    """The signer's certificate, read from the CMS by its issuer and serial (pyHanko's own
    ``signer_cert`` also checks the ESS hash, with digests it knows: not Streebog)."""
    try:
        signed_data = embedded.signed_data
        sid = signed_data["signer_infos"][0]["sid"].chosen
        for choice in signed_data["certificates"] or ():
            certificate = choice.chosen
            if (
                isinstance(certificate, asn1_x509.Certificate)
                and certificate.serial_number == sid["serial_number"].native
                and certificate.issuer == sid["issuer"]
            ):
                return certificate
    except Exception:  # noqa: BLE001  (garbage: pyHanko's own path gives the verdict)
        return None
    return None


def _is_gost(embedded) -> bool:
    from qyzmet.eds.gost import GOST2015_KEYS

    signer = _cms_signer(embedded)
    if signer is None:
        return False
    algorithm = signer["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"]
    return algorithm.dotted in GOST2015_KEYS


def _validate_gost(embedded, pdf: bytes, trust_roots: list[bytes], moment) -> PdfCheck:
    """The same checks as pyHanko's, by the EDS verifier: the byte range's digest against
    messageDigest (``modified``), the signature (``bad_signature``), whole-file coverage
    (``not_whole_file``), the chain and period at ``moment`` (``untrusted``). Revocation is
    not asked here (the EDS verifier checked it when the head signed), as pyHanko's
    soft-fail mode does."""
    from datetime import UTC

    from qyzmet.eds.chain import TrustStore
    from qyzmet.eds.cms import verify_cms
    from qyzmet.eds.revocation import RevocationSources

    start, first, second, rest = embedded.byte_range
    covered = pdf[start : start + first] + pdf[second : second + rest]
    # /Contents is the CMS followed by the placeholder's zero padding
    cms_der = asn1_cms.ContentInfo.load(embedded.pkcs7_content, strict=False).dump()
    verdict = verify_cms(
        cms_der,
        covered,
        trust=TrustStore.from_certificates(trust_roots),
        at=moment or datetime.now(UTC),
        revocation=RevocationSources(required=False),
        purpose="sign",
    )
    signing_time = verdict.signed_attributes.get("signing_time")
    details = {
        "signer_der": _cms_signer(embedded).dump(),
        "signer_reported_at": datetime.fromisoformat(signing_time) if signing_time else None,
        "subfilter": str(embedded.sig_object.get("/SubFilter", "")),
    }
    if verdict.code == "digest_mismatch":
        return PdfCheck("modified", **details)
    if verdict.code in ("bad_signature", "malformed", "unsupported_algorithm"):
        return PdfCheck("bad_signature", **details)
    if embedded.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
        return PdfCheck("not_whole_file", **details)
    if not verdict.valid:
        return PdfCheck("untrusted", **details)
    return PdfCheck("valid", **details)


def _first_failure(status: PdfSignatureStatus) -> str:
    if not status.intact:
        return "modified"
    if not status.valid:
        return "bad_signature"
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return "not_whole_file"
    if not status.trusted:
        return "untrusted"
    return "valid"
