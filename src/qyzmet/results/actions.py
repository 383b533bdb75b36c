"""Writes of the result documents: prepare for signature, issue with the head's CMS, revoke.

``prepare_document`` and ``finalize_document`` are called by the workflow inside its own
transaction (the head's signature is verified there by the EDS verifier, regulation p.5.5,
p.10 процесс 9); ``revoke_document`` is an action of its own (head or administrator).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date
from zoneinfo import ZoneInfo

from asn1crypto import cms as asn1_cms
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from qyzmet.accounts.models import Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.audit.chain import canonical_json
from qyzmet.core.locking import locked
from qyzmet.core.refusals import Refused

from . import conf, pades
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .document import document_kind, result_fields, template_for
from .models import DocumentState, OutgoingRegister, ResultDocument, new_token
from .queries import certificate_signer, expected_head, signer_block, verification_url
from .render import render_pdf

SIGNATURE_REASON = "Нәтижеге қол қою / Подписание результата государственной услуги"
SIGNATURE_LOCATION = "Алматы"
# The documents are signed in Almaty: their date is the day there, whatever TIME_ZONE says.
SIGNING_ZONE = ZoneInfo("Asia/Almaty")


def signing_day() -> date:
    """Today in Almaty: the date a document prepared now prints, and the only day on which
    a signature over it is accepted."""
    return timezone.localdate(timezone=SIGNING_ZONE)


@transaction.atomic
def prepare_document(decision, head=None) -> bytes:
    """Render the decision's result PDF, add the head's signature placeholder and return the
    exact bytes the signature covers (the ``/ByteRange`` content). The head's browser signs
    these bytes as a detached CMS (messageDigest = SHA-256 of them).

    The signature block names ``head`` (by default the head expected to sign,
    ``queries.expected_head``) with their position, and today's date in Almaty. Preparing
    again (the executor changed the draft, another head opened the sign page, another day)
    re-renders under the same verification link and the same outgoing number."""
    application = decision.application
    document = (
        locked(ResultDocument.objects)
        .defer("prepared_pdf")  # replaced below: the old PDF (megabytes) is never read
        .filter(decision=decision)
        .first()
    )
    if document is None:
        document = ResultDocument(application=application, decision=decision, token=new_token())
    elif document.state != DocumentState.PREPARED:
        raise Refused("result_already_issued")
    else:
        document.application = application  # the verification URL needs it: no second read
    document.kind = document_kind(decision)
    if not document.number:
        document.number = take_number(decision)
    if head is None:
        head = expected_head(application)
    document.prepared_for = head
    document.prepared_signer = signer_block(head)
    document.prepared_on = signing_day()
    pdf = render_pdf(
        decision,
        verification_url(document),
        number=document.number,
        signer=document.prepared_signer,
        signed_on=document.prepared_on,
    )
    prepared = pades.prepare(
        pdf,
        reserved_hex_digits=int(conf.get("SIGNATURE_BYTES")),
        reason=SIGNATURE_REASON,
        location=SIGNATURE_LOCATION,
    )
    document.prepared_pdf = prepared.pdf
    document.region_start = prepared.region_start
    document.region_end = prepared.region_end
    document.covered_sha256 = prepared.digest.hex()
    document.prepared_at = timezone.now()
    document.save()
    return prepared.covered


def is_prepared_for(decision, head) -> bool:
    """Whether the decision's document, awaiting signature, is prepared for ``head`` today."""
    return ResultDocument.objects.filter(
        decision=decision,
        state=DocumentState.PREPARED,
        prepared_pdf__isnull=False,
        prepared_for=head,
        prepared_on=signing_day(),
    ).exists()


def prepare_for_head(actor, decision) -> bool:
    """The head ``actor`` is about to sign (opened the sign page, asked for the bytes):
    unless the document is already prepared for them today, prepare it again naming them,
    their position and today's date (same number, same link) and put the new bytes to sign
    on the decision. Called by ``workflow.actions.prepare_signing`` with the case locked;
    True when the document was prepared again."""
    require_role(actor, Role.HEAD)
    if is_prepared_for(decision, actor):
        return False
    decision.signed_content = prepare_document(decision, head=actor)
    decision.save(update_fields=["signed_content"])
    document = ResultDocument.objects.get(decision=decision)
    audit.record(
        actor,
        "results.prepare",
        case_id=document.application_id,
        obj=document,
        after={
            **document.snapshot(),
            "prepared_for": actor.pk,
            "prepared_on": document.prepared_on.isoformat(),
            "covered_sha256": document.covered_sha256,
        },
    )
    return True


def check_prepared_for(decision, head) -> None:
    """Before ``head``'s signature is accepted: the document they sign must be the one
    prepared for them, today. Refused ``result_prepared_for_other_head`` when it was prepared
    for another head meanwhile, ``result_signing_day_changed`` when it names another day (the
    sign page prepares it again; nothing is issued)."""
    document = (
        ResultDocument.objects.filter(decision=decision)
        .only("state", "prepared_for", "prepared_on")  # not the PDF: finalize reads it
        .first()
    )
    if document is None:
        raise Refused("result_not_prepared")
    if document.state != DocumentState.PREPARED:
        raise Refused("result_already_issued")
    if document.prepared_for_id != head.pk:
        raise Refused("result_prepared_for_other_head")
    if document.prepared_on != signing_day():
        raise Refused("result_signing_day_changed")


def take_number(decision) -> str:
    """The next outgoing number of the decision's document kind for its provider and year
    (the template's ``numbering.format``), taken under a row lock on the register: two
    documents prepared at once get different numbers, and a number is never given twice
    (the transaction that takes it also stores it)."""
    version = decision.application.service_version
    template = template_for(decision)
    year = timezone.localdate(decision.prepared_at or timezone.now()).year
    key = {
        "provider": version.definition["provider"]["code"],
        "kind": template["kind"],
        "year": year,
    }
    try:
        with transaction.atomic():
            OutgoingRegister.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created by a concurrent transaction meanwhile: lock it below
    register = OutgoingRegister.objects.select_for_update(of=("self",), no_key=True).get(**key)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return template["numbering"]["format"].format(number=register.last_number, year=year)


def preview_pdf(document: ResultDocument) -> bytes:
    """The unsigned preview the head reviews: the prepared document marked "ЖОБА / ПРОЕКТ" on
    every sheet and without the "signed" wording. Rendered afresh, never stored: the bytes
    the head signs are the prepared PDF's (``prepare_document``)."""
    decision = document.decision
    return render_pdf(
        decision,
        verification_url(document),
        number=document.number,
        signer=document.prepared_signer,
        signed_on=document.prepared_on,
        draft=True,
    )


def _signer_fields(signer: pades.SignerOfCms) -> dict:
    fields = certificate_signer(signer.certificate_der)
    if fields is None:
        raise Refused("result_signature_malformed")
    return fields


def _signed_data(
    document: ResultDocument, decision, signed_pdf: bytes, signed_length: int, token
) -> bytes:
    application = document.application
    version = application.service_version
    return canonical_json(
        {
            "document": "qyzmet.result",
            "kind": document.kind,
            "number": document.number,
            "registration_number": application.registration_number,
            "service": version.service_code,
            "service_version": version.version,
            "applicant": {
                "kind": application.applicant_kind,
                "iin": application.applicant_iin,
                "bin": application.applicant_bin,
                "name": application.applicant_name,
            },
            "decision": decision.kind,
            "decision_id": decision.pk,
            "reason_codes": decision.reason_codes,
            "explanation": decision.explanation,
            "fields": result_fields(decision),
            "prepared_at": document.prepared_at.isoformat(),
            "signer": {
                "name": document.signer_name,
                "iin": document.signer_iin,
                "organization": document.signer_organization,
                "bin": document.signer_bin,
                "serial": document.signer_serial,
            },
            "signed_at": document.signed_at.isoformat(),
            "pdf": {
                "sha256": hashlib.sha256(signed_pdf).hexdigest(),
                "signature_field": pades.FIELD_NAME,
                "subfilter": "/ETSI.CAdES.detached",
                "byte_range": [
                    0,
                    document.region_start,
                    document.region_end,
                    signed_length - document.region_end,
                ],
                "covered_sha256": document.covered_sha256,
            },
            "timestamp": {
                "gen_time": token.gen_time.isoformat(),
                "tsa": token.tsa_name,
                "serial_number": str(token.serial_number),
                "policy": token.policy,
            },
        }
    ).encode("utf-8")


@transaction.atomic
def finalize_document(decision, cms: bytes) -> ResultDocument:
    """Embed the head's (already verified) detached CMS into the prepared PDF, store the
    signed PDF, the signed result data (JSON) and the CMS, and mark the document issued."""
    document = (
        locked(ResultDocument.objects.select_related("application__service_version"))
        .filter(decision=decision)
        .first()
    )
    if document is not None and document.state != DocumentState.PREPARED:
        raise Refused("result_already_issued")
    if document is None or document.prepared_pdf is None:
        raise Refused("result_not_prepared")
    prepared = pades.PreparedPdf(
        bytes(document.prepared_pdf), document.region_start, document.region_end
    )
    signer = pades.cms_signer(bytes(cms), prepared.covered)
    # PAdES B-T: the TSA's time-stamp on the signature (unreachable or garbage → Refused,
    # the whole signing rolls back and the head may sign again); B-LT: the DSS.
    stamped, token = pades.stamp(bytes(cms))
    embedded = pades.embed(prepared, stamped)
    # B-LTA: the document time-stamp, from the TSA of the signer's algorithm (GOST-signed
    # for a GOST head: QYZMET_TSA_URL_GOST).
    signed_pdf, archive = pades.add_document_timestamp(
        pades.add_dss(embedded, long_term_material(stamped, token)),
        hash_algorithm=pades.archive_digest(
            asn1_cms.ContentInfo.load(stamped)["content"]["signer_infos"][0]
        ),
    )
    now = timezone.now()
    for name, value in _signer_fields(signer).items():
        setattr(document, name, value)
    # The moment the server accepted the signature (after verifying it) is the signing
    # time it vouches for; the CMS's own signingTime is only the signer's claim.
    document.signed_at = decision.signed_at or now
    before = document.snapshot()
    stem = f"results/{now:%Y/%m}/{document.application_id}-{document.pk}"
    document.pdf.save(f"{stem}.pdf", ContentFile(signed_pdf), save=False)
    document.data.save(
        f"{stem}.json",
        ContentFile(_signed_data(document, decision, signed_pdf, len(embedded), token)),
        save=False,
    )
    document.signature.save(f"{stem}.p7s", ContentFile(stamped), save=False)
    document.pdf_sha256 = hashlib.sha256(signed_pdf).hexdigest()
    document.timestamp_expires_at = archive.signer_certificate.not_after
    document.issued_at = now
    document.state = DocumentState.ISSUED
    document.prepared_pdf = None  # the signed PDF replaces it
    document.save()
    audit.record(
        decision.signed_by,
        "results.issue",
        case=document.application,
        obj=document,
        before=before,
        after={
            **document.snapshot(),
            "signed_at": document.signed_at.astimezone(UTC).isoformat(),
            "timestamp": token.gen_time.isoformat(),
            "tsa": token.tsa_name,
        },
    )
    return document


def long_term_material(cms: bytes, token):
    """The certificates and revocation evidence of the head's and the TSA's paths
    (``eds.ltv``) for the DSS."""
    from qyzmet.eds.ltv import material_for

    signed = asn1_cms.ContentInfo.load(cms)["content"]
    offered = [c.chosen.dump() for c in signed["certificates"] or () if c.name == "certificate"]
    signer = pades.cms_signer_certificate(signed)
    chains = [(signer, offered)] if signer else []
    if token.signer_certificate is not None:
        chains.append((token.signer_certificate.der, list(token.certificates)))
    return material_for(chains)


@transaction.atomic
def revoke_document(actor, document: ResultDocument, reason: str) -> ResultDocument:
    """The head or an administrator revokes an issued document; the public verification
    page then says it is revoked (and since when, and why)."""
    require_role(actor, Role.HEAD, Role.ADMINISTRATOR)
    document = locked(ResultDocument.objects).get(pk=document.pk)
    if document.state == DocumentState.REVOKED:
        raise Refused("result_already_revoked")
    if document.state != DocumentState.ISSUED:
        raise Refused("result_not_issued")
    if not (reason or "").strip():
        raise Refused("revocation_reason_required")
    before = document.snapshot()
    document.state = DocumentState.REVOKED
    document.revoked_at = timezone.now()
    document.revoked_by = actor
    document.revocation_reason = reason.strip()
    document.save(update_fields=["state", "revoked_at", "revoked_by", "revocation_reason"])
    audit.record(
        actor,
        "results.revoke",
        case_id=document.application_id,
        obj=document,
        before=before,
        after=document.snapshot(),
    )
    return document


# --- PAdES B-LTA renewal ------------------------------------------------------------------


def restamp_document(document_id: int) -> ResultDocument | None:
    """Renew an issued document's long-term validity (``pades.renew``): the revocation
    evidence of its newest time-stamp's TSA path into the DSS and a new document time-stamp,
    as incremental updates; the re-stamped PDF replaces the stored one (download and
    verification serve it) and its TSA certificate's end is recorded. One transaction under
    the document's row lock; None when it is not (or no longer: another run did it) due.
    The TSA failing raises ``Refused`` (``tsa_*``) before anything is written: the stored PDF
    stays as it was. The old file is kept in storage (the new PDF starts with its bytes)."""
    from .queries import is_due_for_restamp

    with transaction.atomic():
        document = locked(ResultDocument.objects).filter(pk=document_id).first()
        if document is None or not is_due_for_restamp(document):
            return None
        with document.pdf.open("rb") as handle:
            pdf = handle.read()
        renewed, token = pades.renew(pdf)
        before = {**document.snapshot(), "timestamp_expires_at": document.timestamp_expires_at}
        now = timezone.now()
        document.pdf.save(
            f"results/{now:%Y/%m}/{document.application_id}-{document.pk}-lta{now:%Y%m%d%H%M%S}.pdf",
            ContentFile(renewed),
            save=False,
        )
        document.pdf_sha256 = hashlib.sha256(renewed).hexdigest()
        document.timestamp_expires_at = token.signer_certificate.not_after
        document.save(update_fields=["pdf", "pdf_sha256", "timestamp_expires_at"])
        audit.record(
            None,
            "results.restamp",
            case_id=document.application_id,
            obj=document,
            before=before,
            after={
                **document.snapshot(),
                "timestamp_expires_at": document.timestamp_expires_at,
                "timestamp": token.gen_time.isoformat(),
                "tsa": token.tsa_name,
            },
        )
    return document


def restamp_due_documents() -> tuple[int, list[int]]:
    """Re-stamp every document due (``queries.due_for_restamp``), each in its own
    transaction. Returns how many were re-stamped and the ids that failed (the TSA, or an
    unreadable file: logged, left as they were, tried again by the next run)."""
    import logging

    from .queries import due_for_restamp

    logger = logging.getLogger(__name__)
    done, failed = 0, []
    for document_id in list(due_for_restamp().values_list("pk", flat=True)):
        try:
            if restamp_document(document_id) is not None:
                done += 1
        except Refused as refused:
            failed.append(document_id)
            logger.warning("re-stamping result %s failed: %s", document_id, refused.code)
        except Exception:
            failed.append(document_id)
            logger.exception("re-stamping result %s failed", document_id)
    return done, failed
