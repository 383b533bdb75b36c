"""The head (or an administrator) revokes an issued result document: a confirmation page that
shows the document and asks for the reason; the POST calls ``results.actions.revoke_document``
(role-checked and audited there). Afterwards the public verification page behind the QR code
says the document is revoked, and the case page says when, by whom and why."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qyzmet.accounts.models import Role
from qyzmet.core.refusals import Refused
from qyzmet.results.actions import revoke_document
from qyzmet.results.queries import document_for, verification_url

from .. import queries
from .case import decision_context
from .common import not_found, refusal_text, staff_required

MAX_REASON = 4000


@staff_required(Role.HEAD, Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def revoke(request, public_id):
    case = queries.case_or_none(public_id)
    document = document_for(case) if case else None
    if document is None:
        return not_found(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            revoke_document(request.user, document, request.POST.get("reason", "")[:MAX_REASON])
        except Refused as refusal:
            error, status = refusal_text(refusal), 400
            document.refresh_from_db()
        else:
            return redirect("office:case", public_id=case.public_id)
    context = {
        **decision_context(case, document.decision),
        "document": document,
        "verification_url": verification_url(document),
        "reason": request.POST.get("reason", ""),
        "error": error,
    }
    return render(request, "office/revoke.html", context, status=status)
