"""The applicant's request as signed on the portal (regulation p.10 процесс 6).

The server, not the browser, decides what is signed: the canonical request is built here from
the stored draft — service version, applicant, form data and the SHA-256 of every attachment —
and the page signs exactly these bytes. At submission the same bytes are rebuilt and the
detached CMS verified over them, so what was signed is what is registered.
"""

from __future__ import annotations

from qyzmet.audit.chain import canonical_json

from .models import ApplicantKind


def canonical_request(application, *, signer=None) -> bytes:
    """The request as ``signer`` (the applicant's account about to sign) signs it. A legal
    entity's request names the representative who signs it: any representative of the BIN
    may have begun the draft (``queries.applicant_scope``), the one who signs is the one it
    names (``actions.submit_draft`` stores them). Without ``signer``: as stored."""
    representative = application.representative_iin
    if signer is not None and application.applicant_kind == ApplicantKind.LEGAL_ENTITY:
        representative = signer.iin
    attachments = sorted(
        (
            {
                "document": a.document_code,
                "name": a.original_name,
                "sha256": a.sha256,
                "size": a.size,
            }
            for a in application.attachments.all()
        ),
        key=lambda a: (a["document"], a["sha256"], a["name"]),
    )
    return canonical_json(
        {
            "document": "qyzmet.application",
            "draft": str(application.public_id),
            "service": application.service_version.service_code,
            "service_version": application.service_version.version,
            "applicant": {
                "kind": application.applicant_kind,
                "iin": application.applicant_iin,
                "bin": application.applicant_bin,
                "representative_iin": representative,
                "name": application.applicant_name,
            },
            "form": application.form_data,
            "attachments": attachments,
        }
    ).encode("utf-8")
