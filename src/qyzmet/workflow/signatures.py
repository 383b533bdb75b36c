"""What the head signs, and the check of the head's signature (regulation p.5.5, p.10 процесс 9).

At preparation the server renders the result PDF and fixes the exact bytes to be signed
(``Decision.signed_content``): the byte range the PAdES signature covers
(``qyzmet.results.actions.prepare_document``). The head's browser signs those bytes with the
head's own key; the server verifies the detached CMS over the same bytes, the certificate's
chain, period, revocation and purpose, and that the certificate belongs to this head (IIN).
"""

from __future__ import annotations

from typing import Any

from qyzmet.core.refusals import Refused

# Roles (EKU, EDS.md) that may sign for the provider: its first head or a person with signing right.
HEAD_SIGNING_ROLES = frozenset({"first_head", "signer"})


def verify_head_signature(head, content: bytes, signature: bytes) -> dict[str, Any]:
    """Verify the detached CMS over ``content`` now: chain, period, revocation, purpose, the
    head's own IIN, the provider's BIN (when configured) and a signing role. Returns the
    signer's profile (inspect shape); refuses with the EDS verdict code or ``signer_not_head``."""
    from django.conf import settings

    from qyzmet.eds.service import verifier

    if not head.iin:
        raise Refused("signer_not_head")
    provider_bin = getattr(settings, "QYZMET_PROVIDER_BIN", "") or None
    verdict = verifier().verify_cms(
        signature, content, purpose="sign", expect_iin=head.iin, expect_bin=provider_bin
    )
    if not verdict.valid:
        raise Refused(verdict.code)
    signer = verdict.signer.to_inspect_dict()
    if not HEAD_SIGNING_ROLES.intersection(signer.get("roles") or ()):
        raise Refused("signer_not_head")
    return signer
