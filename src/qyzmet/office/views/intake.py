"""The clerk registers an application handed in on paper (p.10 "через услугодателя",
процесс 3–7): the service, the applicant looked up in GBD FL/UL through the gateway
(процесс 4, условие 2, процесс 5) or entered by hand with a reason, the form generated from
the service's JSON Schema, the paper documents handed in, the scans; then the receipt
(расписка), or the receipt of refusal for an incomplete package."""

from __future__ import annotations

import re
import uuid

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from qyzmet.accounts.models import Role
from qyzmet.cases import actions as cases
from qyzmet.cases.models import ApplicantKind, Channel, Status
from qyzmet.cases.queries import registration_times
from qyzmet.catalog.queries import services_in_force, version_in_force
from qyzmet.catalog.schema_form import build_fields, errors_by_field, parse_post
from qyzmet.core.refusals import Refused

from .. import actions
from ..queries import case_or_none
from ..texts import text
from .common import language, not_found, refusal_text, staff_required, wants_json

SESSION_LOOKUPS = "office_lookups"
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
VALIDATOR_TEXT = {"required": "required_field"}
# Refusals about these fields are shown in the applicant block, next to the look-up.
APPLICANT_FIELDS = ("identifier", "applicant_kind", "iin", "bin", "manual_reason", "name")


@staff_required(Role.CLERK)
def choose_service(request):
    versions = services_in_force(timezone.localdate())
    offered = [v for v in versions if Channel.OFFICE in v.channels]
    return render(request, "office/register_choose.html", {"versions": offered})


def _version(code: str):
    try:
        version = version_in_force(code, timezone.localdate())
    except Refused as refusal:
        raise Http404(code) from refusal
    if Channel.OFFICE not in version.channels:
        raise Http404(code)
    return version


class IntakeForm:
    """What the clerk typed, read back from the POST (or empty on the first GET)."""

    def __init__(self, version, post=None, files=None):
        post = post if post is not None else {}
        self.version = version
        kind = post.get("applicant_kind", ApplicantKind.INDIVIDUAL)
        self.kind = kind if kind in ApplicantKind.values else ""
        self.identifier = "".join(str(post.get("identifier", "")).split())[:12]
        self.name = str(post.get("applicant_name", "")).strip()[:300]
        self.representative_iin = "".join(str(post.get("representative_iin", "")).split())[:12]
        self.manual = post.get("manual") == "1"
        self.manual_reason = str(post.get("manual_reason", "")).strip()[:500]
        key = str(post.get("idempotency_key", ""))
        self.idempotency_key = key if KEY_PATTERN.match(key) else uuid.uuid4().hex
        self.paper_documents = post.getlist("paper_documents") if post else []
        self.form_data = parse_post(version.form_schema, post) if post else {}
        self.files = files
        self.errors: dict[str, str] = {}
        self.message = ""  # the refusal, shown above the form
        self.message_code = ""
        self.lookup_error = ""
        self.lookup_error_code = ""

    def attachments(self) -> list[cases.AttachmentInput]:
        if self.files is None:
            return []
        codes = [doc.code for doc in self.version.documents(Channel.OFFICE)] + ["other"]
        return [
            cases.AttachmentInput(code, upload)
            for code in codes
            for upload in self.files.getlist(f"scan_{code}")
        ]


def _lookups(request) -> dict:
    return request.session.get(SESSION_LOOKUPS, {})


def _remember_lookup(request, result: actions.LookupResult) -> None:
    lookups = _lookups(request)
    lookups[f"{result.kind}:{result.identifier}"] = {"name": result.name, "details": result.details}
    # Only the last few lookups are kept in the session: enough for one desk, bounded.
    request.session[SESSION_LOOKUPS] = dict(list(lookups.items())[-10:])


def _looked_up(request, form: IntakeForm) -> dict | None:
    return _lookups(request).get(f"{form.kind}:{form.identifier}")


def _applicant(request, form: IntakeForm) -> cases.ApplicantInput:
    """The applicant as the clerk gave it: the lookup made on this page (its message id, kept
    in the session), or manual entry with the reason. The register's action applies the rule
    (``cases.actions._identified_applicant``), the same for the API."""
    if not form.kind:
        raise Refused("office_applicant_kind", field_name="applicant_kind")
    found = None if form.manual else _looked_up(request, form)
    is_person = form.kind == ApplicantKind.INDIVIDUAL
    return cases.ApplicantInput(
        kind=form.kind,
        name=form.name,
        iin=form.identifier if is_person else "",
        bin="" if is_person else form.identifier,
        representative_iin="" if is_person else form.representative_iin,
        lookup=found["details"].get("message_id", "") if found else "",
        manual=form.manual,
        manual_reason=form.manual_reason,
    )


def _field_errors(form: IntakeForm) -> dict[str, str]:
    raw = errors_by_field(form.version.form_schema, form.form_data)
    return {name: text(VALIDATOR_TEXT.get(kind, "bad_value")) for name, kind in raw.items()}


def _render(request, form: IntakeForm, status: int = 200):
    version = form.version
    lang = language()
    found = _looked_up(request, form)
    documents = [
        (doc, doc.code in form.paper_documents) for doc in version.documents(Channel.OFFICE)
    ]
    context = {
        "version": version,
        "form": form,
        "found": found,
        "documents": documents,
        "fields": build_fields(
            version.form_schema, form.form_data, language=lang, errors=form.errors
        ),
        "kinds": [
            k
            for k in (ApplicantKind.INDIVIDUAL, ApplicantKind.LEGAL_ENTITY)
            if k in version.recipients
        ],
    }
    return render(request, "office/register_form.html", context, status=status)


def _refused(request, form: IntakeForm, refusal: Refused, *, during_lookup: bool = False):
    message = refusal_text(refusal)
    if refusal.code == "form_invalid":
        form.errors = _field_errors(form)
    if during_lookup or refusal.field_name in APPLICANT_FIELDS:
        form.lookup_error, form.lookup_error_code = message, refusal.code
    form.message, form.message_code = message, refusal.code
    # The XHR upload (progress bar) swaps the re-rendered form into the page as it is.
    return _render(request, form, status=400)


def _done(request, application):
    target = reverse("office:receipt", args=[application.public_id])
    if wants_json(request):
        return JsonResponse({"ok": True, "redirect": target})
    return redirect(target)


@staff_required(Role.CLERK)
@require_http_methods(["GET", "POST"])
def register_form(request, code: str):
    version = _version(code)
    if request.method == "GET":
        return _render(request, IntakeForm(version))
    form = IntakeForm(version, request.POST, request.FILES)
    step = request.POST.get("_action", "register")
    try:
        if step == "lookup":
            result = actions.lookup_applicant(request.user, form.kind, form.identifier)
            _remember_lookup(request, result)
            form.name = result.name
            form.manual = False
            return _render(request, form)
        applicant = _applicant(request, form)
        if step == "refuse":
            application = cases.refuse_paper_intake(
                request.user,
                service_code=version.service_code,
                applicant=applicant,
                paper_documents=form.paper_documents,
                idempotency_key=form.idempotency_key,
            )
        else:
            application = cases.register_paper_application(
                request.user,
                service_code=version.service_code,
                applicant=applicant,
                form_data=form.form_data,
                paper_documents=form.paper_documents,
                attachments=form.attachments(),
                idempotency_key=form.idempotency_key,
            )
    except Refused as refusal:
        return _refused(request, form, refusal, during_lookup=step == "lookup")
    return _done(request, application)


@staff_required(Role.CLERK, Role.HEAD, Role.EXECUTOR)
def receipt(request, public_id):
    """The printable receipt (расписка) of a paper application, or of the refusal to accept
    an incomplete package (p.10 процесс 7; Standard item 9)."""
    case = case_or_none(public_id)
    if case is None or case.channel != Channel.OFFICE:
        return not_found(request)
    version = case.service_version
    names = {doc.code: doc for doc in version.documents(Channel.OFFICE)}
    accepted = [names[c] for c in case.paper_documents if c in names]
    refused = case.status == Status.INTAKE_REFUSED
    missing = [names[c] for c in (case.form_data.get("missing_documents") or []) if c in names]
    from qyzmet.results.document import compose_receipt

    employee = case.created_by
    context = {
        "case": case,
        "version": version,
        "accepted": accepted,
        "missing": missing if refused else [],
        "refused": refused,
        "employee": employee,
        "times": registration_times(case),
        # The catalogue's receipt template (kk and ru), when the version has one.
        "receipt": compose_receipt(
            case,
            refused=refused,
            accepted=accepted,
            missing=missing if refused else [],
            employee=employee.display_name if employee else "",
        ),
    }
    return render(request, "office/receipt.html", context)
