"""The applicant's request as signed on the portal (regulation p.10 процесс 6).

The server, not the browser, decides what is signed: the canonical request is built here from
the stored draft — service version, applicant, form data and the SHA-256 of every attachment —
and the page signs exactly these bytes. At submission the same bytes are rebuilt and the
detached CMS verified over them, so what was signed is what is registered.
"""

from __future__ import annotations

from qyzmet.audit.chain import canonical_json


def canonical_request(application) -> bytes:
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
                "representative_iin": application.representative_iin,
                "name": application.applicant_name,
            },
            "form": application.form_data,
            "attachments": attachments,
        }
    ).encode("utf-8")
