"""The executor prepares the result or a motivated refusal (p.8.3, p.10 условие 3 /
процесс 8); the head signs it in the browser with the EDS (p.8.4, процесс 9) or returns it
with a comment. The key never leaves the head's page: the page fetches the exact bytes the
server prepared, signs them, and posts only the detached CMS."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from qyzmet.accounts.models import Role
from qyzmet.cases.models import DecisionKind
from qyzmet.catalog.schema_form import build_fields, errors_by_field, parse_post
from qyzmet.core.refusals import Refused
from qyzmet.workflow import actions as flow
from qyzmet.workflow.models import Step

from .. import queries
from ..texts import text
from .case import case_page, decision_context, reasons_for
from .common import language, not_found, refusal_text, staff_required, wants_json

MAX_SIGNATURE_BASE64 = 64 * 1024


def prefilled_result(case) -> dict:
    """The result's fields as the application gives them (the executor may edit them); after
    a return, the previous draft's fields."""
    returned = queries.last_returned_decision(case)
    if returned is not None and returned.result_data:
        return dict(returned.result_data)
    return dict(case.form_data)


def _holder(case) -> dict:
    return {"holder": case.applicant_name, "holder_identifier": case.identifier}


@staff_required(Role.EXECUTOR)
@require_http_methods(["GET", "POST"])
def prepare(request, public_id):
    case = queries.case_or_none(public_id)
    if case is None:
        return not_found(request)
    task = queries.open_tasks(case).get(Step.PREPARE)
    if task is None or task.assignee_id != request.user.pk:
        return case_page(request, public_id)
    version = case.service_version
    data = prefilled_result(case)
    conditions = data.pop("conditions", "")
    data = {k: v for k, v in data.items() if k not in ("holder", "holder_identifier")}
    context = {"case": case, "version": version, "kind": DecisionKind.APPROVAL, "error": ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        context["kind"] = kind
        conditions = request.POST.get("conditions", "").strip()[:4000]
        data = parse_post(version.form_schema, request.POST)
        try:
            if kind == DecisionKind.APPROVAL:
                result = {**data, **_holder(case)}
                if conditions:
                    result["conditions"] = conditions
                flow.prepare_decision(request.user, case, kind=kind, result_data=result)
            else:
                flow.prepare_decision(
                    request.user,
                    case,
                    kind=kind,
                    result_data=_holder(case),
                    reason_codes=request.POST.getlist("reasons"),
                    explanation=request.POST.get("explanation", "")[:4000],
                )
        except Refused as refusal:
            context["error"] = refusal_text(refusal)
            if refusal.code == "form_invalid":
                raw = errors_by_field(version.form_schema, data)
                errors = {
                    k: text("required_field" if v == "required" else "bad_value")
                    for k, v in raw.items()
                }
            status = 400
        else:
            return redirect("office:case", public_id=case.public_id)
    context.update(
        fields=build_fields(version.form_schema, data, language=language(), errors=errors),
        conditions=conditions,
        reasons=reasons_for(version, "prepare"),
        chosen=request.POST.getlist("reasons") if request.method == "POST" else [],
        explanation=request.POST.get("explanation", "") if request.method == "POST" else "",
        returned=queries.last_returned_decision(case),
    )
    return render(request, "office/prepare.html", context, status=status)


# Refusals after which the document is prepared again for the head on the page.
PREPARE_AGAIN = frozenset({"result_prepared_for_other_head", "result_signing_day_changed"})


def _prepare_for(request, case, decision):
    """The document prepared for the head on the page (their name, position, today's date):
    the decision with the bytes to sign; the one shown when the case moved on meanwhile (the
    posted signature then says why)."""
    try:
        return flow.prepare_signing(request.user, case)
    except Refused:
        return decision


def _sign_context(request, case, decision, error: str = "") -> dict:
    return {
        **decision_context(case, decision),
        "content_url": reverse("office:decision_bytes", args=[case.public_id]),
        "error": error,
    }


@staff_required(Role.HEAD)
def sign_page(request, public_id):
    case = queries.case_or_none(public_id)
    if case is None:
        return not_found(request)
    decision = queries.awaiting_decision(case)
    if decision is None or Step.SIGN not in queries.open_tasks(case):
        # The case exists: say that there is nothing to sign now (already signed, finished,
        # or not yet sent for signature) and lead to the case, not "not found".
        key = "sign_already_done" if case.is_final or case.decisions.exists() else "sign_not_yet"
        return render(
            request,
            "office/sign_nothing.html",
            {"case": case, "message": text(key, number=case.registration_number)},
            status=409,
        )
    decision = _prepare_for(request, case, decision)
    # After a refused signature the page's script comes back here to show the document
    # prepared again, with the reason (?again=<code>, only those codes).
    again = request.GET.get("again", "")
    error = refusal_text(Refused(again)) if again in PREPARE_AGAIN else ""
    return render(request, "office/sign.html", _sign_context(request, case, decision, error))


@staff_required(Role.HEAD)
def decision_bytes(request, public_id):
    """Exactly the bytes the head signs (``Decision.signed_content``), of the document
    prepared for this head today."""
    case = queries.case_or_none(public_id)
    decision = queries.awaiting_decision(case) if case else None
    if decision is None:
        return not_found(request)
    decision = _prepare_for(request, case, decision)
    response = HttpResponse(bytes(decision.signed_content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}.bin"'
    response["X-Decision-Id"] = str(decision.pk)
    response["Cache-Control"] = "no-store"
    return response


def _signature(request) -> bytes:
    value = request.POST.get("signature", "").strip()
    if not value or len(value) > MAX_SIGNATURE_BASE64:
        raise Refused("office_signature_missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused("office_signature_missing") from exc


@staff_required(Role.HEAD)
@require_POST
def sign(request, public_id):
    case = queries.case_or_none(public_id)
    decision = queries.awaiting_decision(case) if case else None
    if decision is None:
        return not_found(request)
    try:
        if request.POST.get("decision") != str(decision.pk):
            # The draft changed since the page was opened: the head signed other bytes.
            raise Refused("signature_content_mismatch")
        flow.sign_decision(
            request.user,
            case,
            signature=_signature(request),
            signed_content=bytes(decision.signed_content),
        )
    except Refused as refusal:
        if refusal.code in PREPARE_AGAIN:
            decision = _prepare_for(request, case, decision)
        if wants_json(request):
            answer = {"ok": False, "code": refusal.code, "message": refusal_text(refusal)}
            if refusal.code in PREPARE_AGAIN:
                page = reverse("office:sign_page", args=[case.public_id])
                answer["reload"] = f"{page}?again={refusal.code}"
            return JsonResponse(answer, status=400)
        context = _sign_context(request, case, decision, refusal_text(refusal))
        return render(request, "office/sign.html", context, status=400)
    target = reverse("office:case", args=[case.public_id])
    if wants_json(request):
        return JsonResponse({"ok": True, "redirect": target})
    return redirect(target)


@staff_required(Role.HEAD)
@require_POST
def return_to_executor(request, public_id):
    case = queries.case_or_none(public_id)
    decision = queries.awaiting_decision(case) if case else None
    if decision is None:
        return not_found(request)
    try:
        flow.return_decision(request.user, case, comment=request.POST.get("comment", "")[:4000])
    except Refused as refusal:
        context = _sign_context(request, case, decision, refusal_text(refusal))
        return render(request, "office/sign.html", context, status=400)
    return redirect("office:case", public_id=case.public_id)
