"""PAdES signing of a result PDF in two halves, and its validation (pyHanko).

The head's key never leaves the browser, so signing is interrupted (pyHanko's "interrupted
signing"): :func:`prepare` adds an invisible signature field and a placeholder of a fixed size,
computes the ``/ByteRange`` and returns the prepared PDF with the reserved region; the bytes
outside the region (:func:`covered_bytes`) are what the browser signs as a plain detached CMS;
:func:`embed` writes that CMS into the placeholder.

PAdES baseline (ETSI EN 319 142-1), SubFilter ``/ETSI.CAdES.detached``: the head's CMS is
CAdES-BES (ESS signing-certificate-v2 among its signed attributes: the browser module, the
Python signer, NCALayer and eGov mobile all write it). After the EDS verifier accepted it the
server completes it to a long-term signature before anything is issued:

* **B-T** — :func:`stamp`: an RFC 3161 signature time-stamp (``qyzmet.eds.tsa``) over the
  SignerInfo's signature value, with the signer's own digest algorithm (SHA-256 for RSA,
  Streebog-512 for GOST), added as the unsigned attribute id-aa-signatureTimeStampToken;
  the signed attributes are left byte for byte as the signer made them;
* **B-LT** — :func:`add_dss`: an incremental update after the signature with the Document
  Security Store: the certificates of the signer's and the TSA's paths and a CRL or OCSP
  answer for each (``qyzmet.eds.ltv``). pyHanko's difference analysis allows exactly this
  kind of update after a signature.
* **B-LTA** — :func:`add_document_timestamp`: a document time-stamp over the whole file,
  Streebog-512 from the GOST TSA for a GOST head, SHA-256 otherwise (:func:`archive_digest`);
  :func:`renew`, run by the scheduled job before the newest time-stamp's TSA certificate
  expires, adds that TSA path's revocation evidence to the DSS and the next one.

The TSA not answering, or answering garbage, refuses (``tsa_*`` codes): the head's
transaction rolls back and nothing is issued.

Validation: pyHanko for RSA signatures; a GOST 34.10-2015 signature (the head's NCA key
since 2024), which pyHanko and poppler cannot check, is validated by qyzmet's own EDS
verifier over the byte range (``_validate_gost``), with the same verdict codes.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from asn1crypto import cms as asn1_cms
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from qyzmet.core.refusals import Refused

from . import refusals as _refusals  # noqa: F401  (registers the codes)

FIELD_NAME = "HeadSignature"
SUBFILTER = fields.SigSeedSubFilter.PADES  # /ETSI.CAdES.detached
OID_SIGNATURE_TIME_STAMP_TOKEN = "1.2.840.113549.1.9.16.2.14"  # noqa: S105 -- an OID


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


def cms_signer_certificate(signed: asn1_cms.SignedData) -> bytes | None:
    """The DER of the certificate the SignerInfo's sid names, None when absent."""
    sid = signed["signer_infos"][0]["sid"]
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
            return certificate.dump()
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
    certificate = cms_signer_certificate(signed)
    if certificate is None:
        raise Refused("result_signature_malformed")
    signing_time = _attribute(signer_info, "signing_time")
    return SignerOfCms(certificate, signing_time.native if signing_time else None)


def _unsigned_token(signer_info) -> bytes | None:
    attributes = signer_info["unsigned_attrs"]
    if attributes is None or isinstance(attributes, core.Void):
        return None
    for attribute in attributes:
        if attribute["type"].dotted == OID_SIGNATURE_TIME_STAMP_TOKEN:
            return attribute["values"][0].dump()
    return None


def signature_imprint(signer_info) -> tuple[str, bytes]:
    """What a signature time-stamp stamps: the digest, with the signer's digest algorithm,
    of the SignerInfo's signature value (RFC 3161 Appendix A, ETSI EN 319 122-1 §5.3)."""
    from qyzmet.eds.algorithms import digest

    algorithm = signer_info["digest_algorithm"]["algorithm"].dotted
    return algorithm, digest(algorithm, signer_info["signature"].native)


def stamp(signature: bytes):
    """The head's CMS with a verified signature time-stamp from the TSA added to its
    SignerInfo (unsigned attribute), and the token. Raises ``Refused`` (``tsa_*``) when the
    TSA is unreachable or its answer is not a valid token for this signature."""
    from qyzmet.eds import tsa

    try:
        info = asn1_cms.ContentInfo.load(bytes(signature))
        signer_info = info["content"]["signer_infos"][0]
        algorithm, imprint = signature_imprint(signer_info)
    except Exception as error:  # noqa: BLE001  (checked before; anything odd is malformed)
        raise Refused("result_signature_malformed") from error
    token = tsa.timestamp_digest(imprint, hash_algorithm=algorithm)
    attributes = [
        attribute
        for attribute in (
            []
            if isinstance(signer_info["unsigned_attrs"], core.Void)
            else list(signer_info["unsigned_attrs"])
        )
        if attribute["type"].dotted != OID_SIGNATURE_TIME_STAMP_TOKEN
    ]
    attributes.append(
        asn1_cms.CMSAttribute(
            {
                "type": OID_SIGNATURE_TIME_STAMP_TOKEN,
                "values": [asn1_cms.ContentInfo.load(token.der)],
            }
        )
    )
    signer_info["unsigned_attrs"] = asn1_cms.CMSAttributes(attributes)
    return info.dump(), token


def add_dss(pdf: bytes, material) -> bytes:
    """PAdES B-LT: the Document Security Store with ``material`` (``eds.ltv.Material``:
    certificates, CRLs, OCSP answers, DER), as an incremental update."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    output = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        output,
        None,  # no VRI: PAdES baseline validators read the DSS as a whole
        certs=[asn1_x509.Certificate.load(der) for der in material.certificates],
        crls=[asn1_crl.CertificateList.load(der) for der in material.crls],
        ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in material.ocsps],
    )
    return output.getvalue()


DOCUMENT_TIMESTAMP_FIELD = "DocumentTimestamp"
DOCUMENT_TIMESTAMP_BYTES = 24576  # hex digits: 12 KB of DER for the TSA's token


def archive_digest(signer_info) -> str:
    """The digest a document time-stamp of this signature is asked with, which chooses the
    TSA unit (``eds.tsa.tsa_url``): Streebog-512 for a GOST signer (its stamps are GOST-signed,
    ``QYZMET_TSA_URL_GOST``), SHA-256 otherwise."""
    from qyzmet.eds import tsa

    algorithm = signer_info["digest_algorithm"]["algorithm"].dotted
    return tsa.STREEBOG512 if algorithm in tsa.GOST_DIGESTS else tsa.SHA256


def _next_timestamp_field(writer) -> str:
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    if DOCUMENT_TIMESTAMP_FIELD not in taken:
        return DOCUMENT_TIMESTAMP_FIELD
    number = 2
    while f"{DOCUMENT_TIMESTAMP_FIELD}{number}" in taken:
        number += 1
    return f"{DOCUMENT_TIMESTAMP_FIELD}{number}"


def add_document_timestamp(pdf: bytes, *, hash_algorithm: str | None = None):
    """PAdES B-LTA: a document time-stamp (``/ETSI.RFC3161``) over the whole PDF with its DSS,
    as an incremental update; returns the PDF and the (verified) token. ``hash_algorithm``
    (``archive_digest``): SHA-256, or Streebog-512 for a GOST-signed result — pyHanko knows no
    Streebog, so the byte range is written by pyHanko's CMS embedder and digested here. It is
    what lets a validator years later judge the earlier time-stamps' certificates "in the
    past"; :func:`renew` adds the next one before this one's TSA certificate expires."""
    from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
    from pyhanko.sign.signers.pdf_byterange import DocumentTimestamp

    from qyzmet.eds import tsa
    from qyzmet.eds.algorithms import digest

    algorithm = hash_algorithm or tsa.SHA256
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.ensure_output_version(version=(1, 7))  # as pyHanko's PdfTimeStamper
    if writer.output_version < (2, 0):
        from pyhanko.sign.signers import constants

        writer.register_extension(constants.ESIC_EXTENSION_1)
    name = _next_timestamp_field(writer)
    embedder = PdfCMSEmbedder(new_field_spec=fields.SigFieldSpec(name)).write_cms(
        field_name=name, writer=writer, existing_fields_only=False
    )
    next(embedder)
    embedder.send(SigObjSetup(sig_placeholder=DocumentTimestamp(DOCUMENT_TIMESTAMP_BYTES)))
    prepared, output = embedder.send(SigIOSetup(md_algorithm="sha256", output=io.BytesIO()))
    if algorithm == tsa.SHA256:
        imprint = prepared.document_digest
    else:
        written = output.getvalue()
        imprint = digest(
            algorithm,
            covered_bytes(written, prepared.reserved_region_start, prepared.reserved_region_end),
        )
    token = tsa.timestamp_digest(imprint, hash_algorithm=algorithm)
    embedder.send(asn1_cms.ContentInfo.load(token.der))
    return output.getvalue(), token


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _signature_containers(pdf: bytes) -> list[asn1_cms.ContentInfo]:
    """The CMS of every signature and document time-stamp of a PDF issued here, in file
    order, read through their ``/ByteRange`` (the gap is ``<hex>``): pyHanko's reader parses
    the hex of each placeholder token by token (~0.1 s a PDF), which the renewal of every
    document would pay twice. Only for PDFs this application wrote; ``validate`` reads
    anyone's with pyHanko."""
    containers = []
    for match in _BYTE_RANGE.finditer(pdf):
        _start, first, second, _rest = (int(n) for n in match.groups())
        hex_digits = pdf[first + 1 : second - 1]  # between '<' and '>'
        containers.append(
            asn1_cms.ContentInfo.load(bytes.fromhex(hex_digits.decode()), strict=False)
        )
    return containers


def _is_time_stamp_token(container: asn1_cms.ContentInfo) -> bool:
    from qyzmet.eds import tsa

    return container["content"]["encap_content_info"]["content_type"].dotted == tsa.OID_TST_INFO


def document_timestamps(pdf: bytes) -> list:
    """The document time-stamp tokens (``eds.tsa.TimestampToken``, parsed, not verified) of
    a PDF issued here, oldest first."""
    from qyzmet.eds import tsa

    return [
        tsa.parse_token(container.dump())
        for container in _signature_containers(pdf)
        if _is_time_stamp_token(container)
    ]


def renew(pdf: bytes):
    """PAdES B-LTA renewal (ETSI EN 319 142-1 §5.5) of a PDF issued here: the revocation
    evidence of the newest time-stamp's TSA path added to the DSS, then a new document
    time-stamp over it all, both as incremental updates. Returns the PDF and the new token;
    ``Refused`` (``tsa_*``) when the TSA fails — the caller keeps the PDF it had."""
    from qyzmet.eds import tsa
    from qyzmet.eds.ltv import material_for

    containers = _signature_containers(pdf)
    head = next(c for c in containers if not _is_time_stamp_token(c))
    signer_info = head["content"]["signer_infos"][0]
    stamps = [tsa.parse_token(c.dump()) for c in containers if _is_time_stamp_token(c)]
    signature_stamp = _unsigned_token(signer_info)
    newest = stamps[-1] if stamps else signature_stamp and tsa.parse_token(signature_stamp)
    chains = []
    if newest and newest.signer_certificate is not None:
        chains.append((newest.signer_certificate.der, list(newest.certificates)))
    return add_document_timestamp(
        add_dss(pdf, material_for(chains)), hash_algorithm=archive_digest(signer_info)
    )


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
class ArchiveStamp:
    """A verified document time-stamp: when, by which TSA, with which imprint digest, and
    until when its TSA certificate is valid (the renewal is due before that)."""

    gen_time: datetime
    tsa_name: str
    hash_algorithm: str
    tsa_not_after: datetime
    tsa_key_algorithm: str


@dataclass(frozen=True)
class PdfCheck:
    """The verdict on the first signature of a PDF. ``code`` is ``valid`` or the first thing
    that failed: ``unreadable``, ``not_signed``, ``modified`` (the signed bytes changed),
    ``bad_signature``, ``bad_timestamp`` (a signature time-stamp that does not verify),
    ``not_whole_file`` (bytes added after signing, other than long-term validation data),
    ``untrusted``.

    With a valid signature time-stamp the signature is judged at its genTime
    (``timestamped_at``, by ``tsa_name``): "valid at the time of signing", whatever has
    happened to the signer's certificate since (``signer_not_after``). ``long_term``: the
    PDF carries a Document Security Store (PAdES B-LT). ``archive_stamps``: its document
    time-stamps (B-LTA), oldest first, each verified like the signature's (imprint over its
    byte range, TSA path at its genTime) — one that does not verify is ``bad_timestamp``."""

    code: str
    signer_der: bytes | None = None
    signer_reported_at: datetime | None = None
    subfilter: str = ""
    timestamped_at: datetime | None = None
    tsa_name: str = ""
    long_term: bool = False
    # SHA-256 of the bytes the signature covers (its /ByteRange): the same for every later
    # revision of the document (DSS, document time-stamps), so an earlier copy is recognised
    covered_sha256: str = ""
    archive_stamps: tuple[ArchiveStamp, ...] = ()

    @property
    def authentic(self) -> bool:
        return self.code == "valid"

    @property
    def signer(self) -> asn1_x509.Certificate | None:
        return asn1_x509.Certificate.load(self.signer_der) if self.signer_der else None

    @property
    def signer_not_after(self) -> datetime | None:
        signer = self.signer
        return signer.not_valid_after if signer is not None else None


def validate(pdf: bytes, *, trust_roots: list[bytes], moment: datetime | None = None) -> PdfCheck:
    """Validate the PDF's first signature against ``trust_roots`` (DER): its signature
    time-stamp with qyzmet's verifier (``eds.tsa``), then the signature with pyHanko (RSA) or
    qyzmet's verifier (GOST) at the time-stamp's genTime — or at ``moment`` (the time the
    server recorded the signature; now when None) for a signature without one. Never
    raises: anything unreadable is a verdict, not a crash."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        long_term = "/DSS" in reader.root
    except Exception:  # noqa: BLE001  (pyHanko raises many types on garbage)
        return PdfCheck("unreadable")
    if not signatures:
        return PdfCheck("not_signed")
    embedded = next(
        (
            sig
            for sig in signatures
            if sig.field_name == FIELD_NAME and sig.sig_object_type == "/Sig"
        ),
        None,
    ) or next((sig for sig in signatures if sig.sig_object_type == "/Sig"), signatures[0])
    stamp_details: dict = {"long_term": long_term}
    try:
        start, first, second, rest = embedded.byte_range
        stamp_details["covered_sha256"] = hashlib.sha256(
            pdf[start : start + first] + pdf[second : second + rest]
        ).hexdigest()
    except (TypeError, ValueError):
        pass  # no usable /ByteRange: pyHanko's verdict below says what is wrong
    try:
        token = _verified_timestamp(embedded, trust_roots)
    except Refused:
        return PdfCheck("bad_timestamp", subfilter=_subfilter(embedded), **stamp_details)
    if token is not None:
        moment = token.gen_time
        stamp_details.update(timestamped_at=token.gen_time, tsa_name=token.tsa_name)
    if _is_gost(embedded):
        check = _validate_gost(embedded, pdf, trust_roots, moment)
    else:
        check = _validate_rsa(embedded, trust_roots, moment)
    if check.code == "valid":  # what was signed first: a changed byte is "modified"
        try:
            stamp_details["archive_stamps"] = _verified_document_timestamps(
                pdf, signatures, trust_roots
            )
        except Refused:
            return replace(check, code="bad_timestamp", **stamp_details)
    return replace(check, **stamp_details)


def _subfilter(embedded) -> str:
    return str(embedded.sig_object.get("/SubFilter", ""))


def _verified_timestamp(embedded, trust_roots: list[bytes]):
    """The signature's verified time-stamp token, None when it has none; ``Refused``
    (``tsa_*``) when it has one that does not verify."""
    from qyzmet.eds import tsa
    from qyzmet.eds.chain import TrustStore

    try:
        signer_info = embedded.signed_data["signer_infos"][0]
        token = _unsigned_token(signer_info)
        if token is None:
            return None
        algorithm, imprint = signature_imprint(signer_info)
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001
        raise Refused("tsa_bad_response") from error
    return tsa.verify_token(
        token,
        imprint=imprint,
        hash_algorithm=algorithm,
        trust=TrustStore.from_certificates(trust_roots),
    )


def _verified_document_timestamps(pdf: bytes, signatures, trust_roots: list[bytes]):
    """Every document time-stamp checked by qyzmet's verifier (``eds.tsa.verify_token``):
    RSA and GOST tokens alike; ``Refused`` (``tsa_*``) for the first that fails."""
    from qyzmet.eds import tsa
    from qyzmet.eds.chain import TrustStore

    trust = TrustStore.from_certificates(trust_roots)
    verified = []
    for embedded in signatures:
        if embedded.sig_object_type != "/DocTimeStamp":
            continue
        try:
            start, first, second, rest = embedded.byte_range
            covered = pdf[start : start + first] + pdf[second : second + rest]
            der = asn1_cms.ContentInfo.load(embedded.pkcs7_content, strict=False).dump()
        except Exception as error:  # noqa: BLE001
            raise Refused("tsa_bad_response") from error
        token = tsa.verify_token(der, data=covered, trust=trust)
        certificate = token.signer_certificate
        verified.append(
            ArchiveStamp(
                gen_time=token.gen_time,
                tsa_name=token.tsa_name,
                hash_algorithm=token.hash_algorithm,
                tsa_not_after=certificate.not_after,
                tsa_key_algorithm=certificate.public_key_info.algorithm_oid,
            )
        )
    return tuple(verified)


def _validate_rsa(embedded, trust_roots: list[bytes], moment) -> PdfCheck:
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
        "subfilter": _subfilter(embedded),
    }
    return PdfCheck(_first_failure(status), **details)


def _only_long_term_data_added(embedded) -> bool:
    """The signature covers the whole file, or what follows it is long-term validation data
    only (DSS, document time-stamps: pyHanko's difference analysis, LTA_UPDATES)."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY

    # pyHanko's own compute_integrity_info would hash the byte range with a digest it knows
    # (not Streebog): the coverage and the difference analysis are asked for directly.
    coverage = embedded.evaluate_signature_coverage()
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    embedded.coverage = coverage
    result = embedded.evaluate_modifications(DEFAULT_DIFF_POLICY)
    level = getattr(result, "modification_level", None)
    return level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


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
        "subfilter": _subfilter(embedded),
    }
    if verdict.code == "digest_mismatch":
        return PdfCheck("modified", **details)
    if verdict.code in ("bad_signature", "malformed", "unsupported_algorithm"):
        return PdfCheck("bad_signature", **details)
    if not _only_long_term_data_added(embedded):
        return PdfCheck("not_whole_file", **details)
    if not verdict.valid:
        return PdfCheck("untrusted", **details)
    return PdfCheck("valid", **details)


def _first_failure(status: PdfSignatureStatus) -> str:
    if not status.intact:
        return "modified"
    if not status.valid:
        return "bad_signature"
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    ):
        return "not_whole_file"
    if not status.trusted:
        return "untrusted"
    return "valid"
