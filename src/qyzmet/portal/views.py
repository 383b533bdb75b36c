"""The applicant's pages (regulation p.10 "через портал", p.11, p.12). Thin: reads come from
the apps' ``queries``, every change goes through their ``actions``; a refusal is shown with
its code's message in the page's language and nothing else happens."""

from __future__ import annotations

import base64
import functools
import hashlib

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from qyzmet.accounts import actions as accounts
from qyzmet.accounts.models import ChallengePurpose, Role
from qyzmet.accounts.queries import needs_portal_password
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.cases.queries import applications_of
from qyzmet.catalog.appendices import appendices as catalog_appendices
from qyzmet.catalog.schema_form import build_fields, error_list, errors_by_field, parse_post
from qyzmet.core.client import client_address
from qyzmet.core.refusals import Refused

from . import queries
from .texts import field_error, text

MAX_SIGNATURE_FIELD = 2 * 1024 * 1024


def _language() -> str:
    return (translation.get_language() or "ru")[:2]


def _refusal_json(refused: Refused, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, **refused.as_dict(_language())}, status=status)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def applicant_required(view):
    """Pages of the applicant's own cabinet: log in first; staff accounts are not applicants."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            # ?next= encoded: a query string of the page (with its "&") comes back whole.
            return redirect_to_login(request.get_full_path(), "portal:login")
        if user.role != Role.APPLICANT or not user.is_active:
            return render(
                request,
                "portal/refused.html",
                {"message": Refused("permission_denied").message(_language())},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _own_application(request, public_id) -> Application:
    """The applicant's own case; anybody else's is simply not found (never 403)."""
    application = queries.own_application(request.user, public_id)
    if application is None:
        raise Http404
    return application


# --- catalogue ------------------------------------------------------------------------------


@require_GET
def home(request):
    return render(request, "portal/home.html", {"services": queries.catalogue(timezone.now())})


@require_GET
def service(request, code: str, version: str | None = None):
    passport = queries.passport(code, version, timezone.now())
    if passport is None:
        raise Http404
    appendices = catalog_appendices(passport["v"].definition, translation.get_language())
    return render(request, "portal/service.html", {"p": passport, "appendices": appendices})


# --- sign-up and log-in ----------------------------------------------------------------------


@never_cache
@require_POST
def challenge(request, purpose: str):
    """A fresh one-time challenge; the page signs ``payload`` (base64 of the exact bytes)."""
    try:
        issued = accounts.issue_challenge(purpose, client_address(request))
    except Refused as refused:
        return _refusal_json(refused, 429 if refused.status == 429 else 400)
    return JsonResponse(
        {
            "ok": True,
            "id": str(issued.public_id),
            "payload": base64.b64encode(issued.payload).decode("ascii"),
            "expires_at": issued.expires_at.isoformat(),
        }
    )


def _signature_from(request) -> str:
    signature = request.POST.get("signature", "")
    return signature[:MAX_SIGNATURE_FIELD]


@never_cache
def sign_up(request):
    if request.method == "GET":
        return render(request, "portal/sign_up.html", {"purpose": ChallengePurpose.SIGN_UP})
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        user = accounts.sign_up_with_eds(
            request.POST.get("challenge", ""), _signature_from(request)
        )
    except Refused as refused:
        return _refusal_json(refused)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["account_created"] = True  # the password page says so, once
    return JsonResponse({"ok": True, "redirect": reverse("portal:set_password")})


@never_cache
@applicant_required
def set_password(request):
    if request.user.has_usable_password():
        # A password is changed on the account page (with the current one, throttled).
        return redirect("portal:account")
    context = {
        "email": request.user.email,
        "has_password": False,
        "account_created": request.session.get("account_created", False),
    }
    if request.method == "POST":
        try:
            user = accounts.set_portal_password(
                request.user,
                request.POST.get("password", ""),
                current_password=request.POST.get("current_password"),
                email=request.POST.get("email", ""),
            )
        except Refused as refused:
            context["error"] = refused.message(_language())
            context["email"] = request.POST.get("email", "")
            return render(request, "portal/set_password.html", context, status=400)
        # Changing the password rotates the session's auth hash: keep this session signed in.
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop("account_created", None)
        return redirect("portal:my_applications")
    return render(request, "portal/set_password.html", context)


@never_cache
def log_in(request):
    context = {"next": _safe_next(request, ""), "purpose": ChallengePurpose.LOG_IN}
    if request.method == "POST":
        login = request.POST.get("login", "")
        entity_bin = request.POST.get("bin", "")
        context["login"], context["entity_bin"] = login[:32], entity_bin[:32]
        try:
            user = accounts.authenticate_with_password(
                login,
                request.POST.get("password", ""),
                client_address(request),
                entity_bin=entity_bin,
            )
        except Refused as refused:
            context["error"] = refused.message(_language())
            context["error_code"] = refused.code
            status = 429 if refused.code == "login_rate_limited" else 400
            return render(request, "portal/log_in.html", context, status=status)
        # auth_login() rotates the session key: a session fixed before log-in is useless.
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request, reverse("portal:my_applications")))
    return render(request, "portal/log_in.html", context)


@never_cache
@require_POST
def log_in_eds(request):
    try:
        user = accounts.authenticate_with_eds(
            request.POST.get("challenge", ""), _signature_from(request), client_address(request)
        )
    except Refused as refused:
        return _refusal_json(refused, 429 if refused.code == "login_rate_limited" else 400)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = reverse("portal:set_password") if needs_portal_password(user) else None
    return JsonResponse(
        {"ok": True, "redirect": target or _safe_next(request, reverse("portal:my_applications"))}
    )


@require_POST
def log_out(request):
    auth_logout(request)  # flushes the session
    return redirect("portal:home")


# --- the account page ------------------------------------------------------------------------


@never_cache
@applicant_required
def account(request):
    """The applicant's account: the password (changed with the current one), the e-mail
    for notifications, the certificates used to sign in."""
    from qyzmet.accounts.queries import sign_in_certificates

    context = {"email": request.user.email, "done": request.GET.get("done", "")}
    status = 200
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "password":
                user = accounts.change_password(
                    request.user,
                    request.POST.get("current_password", ""),
                    request.POST.get("password", ""),
                    client_address(request),
                )
                # The new password rotates the session's auth hash: keep this session.
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            elif what == "email":
                accounts.update_contact_email(request.user, request.POST.get("email", ""))
            else:
                return HttpResponse(status=400)
        except Refused as refused:
            context[f"{what}_error"] = refused.message(_language())
            context["email"] = request.POST.get("email", request.user.email)
            status = 429 if refused.code == "login_rate_limited" else 400
        else:
            return redirect(f"{reverse('portal:account')}?done={what}")
    context["certificates"] = sign_in_certificates(request.user)
    context["has_password"] = request.user.has_usable_password()
    return render(request, "portal/account.html", context, status=status)


# --- applications ----------------------------------------------------------------------------


@never_cache
@applicant_required
def my_applications(request):
    rows = queries.my_application_rows(applications_of(request.user))
    return render(
        request,
        "portal/my_applications.html",
        {
            "rows": [r for r in rows if r["a"].status != Status.DRAFT],
            "drafts": queries.draft_rows(request.user),
            "deleted": "deleted" in request.GET,
        },
    )


@never_cache
@applicant_required
def delete_draft(request, public_id):
    """GET: the confirmation (service, last change, files); POST: the draft is deleted."""
    application = _own_application(request, public_id)
    if application.status != Status.DRAFT:
        return redirect("portal:detail", public_id=application.public_id)
    if request.method == "POST":
        try:
            cases.delete_draft(request.user, application)
        except Refused as refused:
            message = refused.message(_language())
            return render(request, "portal/refused.html", {"message": message}, status=400)
        return redirect(f"{reverse('portal:my_applications')}?deleted=1")
    draft = next(r for r in queries.draft_rows(request.user) if r["a"].pk == application.pk)
    return render(request, "portal/delete_draft.html", {"r": draft})


@applicant_required
@require_POST
def new_application(request, code: str):
    try:
        draft = cases.start_draft(request.user, code)
    except Refused as refused:
        return render(
            request, "portal/refused.html", {"message": refused.message(_language())}, status=400
        )
    return redirect("portal:edit", public_id=draft.public_id)


def _form_context(request, application, *, errors=None, form_data=None, **extra):
    version = application.service_version
    data = application.form_data if form_data is None else form_data
    messages = {name: field_error(kind) for name, kind in (errors or {}).items()}
    documents = queries.document_slots(application)
    fields = build_fields(
        version.form_schema,
        data,
        language=_language(),
        errors=messages,
        attachments={
            slot["doc"].code: [a.original_name for a in slot["files"]] for slot in documents
        },
    )
    return {
        "application": application,
        "version": version,
        "fields": fields,
        "error_list": error_list(fields),
        "documents": documents,
        "limit_mb": queries.attachment_limit_mb(),
        "accept": ",".join(queries.accepted_types()),
        "msg_empty": Refused("attachment_empty", {"name": "{name}"}).message(_language()),
        "msg_none": Refused("attachment_not_chosen").message(_language()),
        **extra,
    }


@never_cache
@applicant_required
def edit(request, public_id):
    application = _own_application(request, public_id)
    if application.status != Status.DRAFT:
        return redirect("portal:detail", public_id=application.public_id)
    if request.method == "POST":
        form_data = parse_post(application.service_version.form_schema, request.POST)
        try:
            cases.save_draft(request.user, form_data=form_data, draft=application)
        except Refused as refused:
            context = _form_context(
                request, application, form_data=form_data, error=refused.message(_language())
            )
            return render(request, "portal/edit.html", context, status=400)
        if request.POST.get("action") == "review":
            return redirect("portal:review", public_id=application.public_id)
        return redirect(f"{reverse('portal:edit', args=[application.public_id])}?saved=1")
    if _moved_into_force(request, application) or "amended" in request.GET:
        return _amended_form(request, public_id)
    # ?check=1 (the review's links): every field that is not right yet marked with its message.
    errors = (
        errors_by_field(application.service_version.form_schema, application.form_data)
        if "check" in request.GET
        else None
    )
    return render(
        request,
        "portal/edit.html",
        _form_context(request, application, errors=errors, saved="saved" in request.GET),
    )


def _moved_into_force(request, application) -> bool:
    """Move a draft begun before an amendment to the version in force (False when none is:
    the review page then says the service takes no applications)."""
    try:
        return cases.bring_draft_into_force(request.user, application) is not None
    except Refused:
        return False


def _amended_form(request, public_id):
    """The form of a draft moved to the amended version: the notice, and every field that
    no longer fits marked (what was entered is all still there)."""
    application = _own_application(request, public_id)
    version = application.service_version
    errors = errors_by_field(version.form_schema, application.form_data)
    notice = Refused(
        "draft_moved_to_version",
        {"version": version.version, "date": version.effective_from.strftime("%d.%m.%Y")},
    ).message(_language())
    context = _form_context(request, application, errors=errors, amended=notice)
    return render(request, "portal/edit.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@applicant_required
@require_POST
def upload(request, public_id):
    application = _own_application(request, public_id)
    files = request.FILES.getlist("file")
    code = request.POST.get("document_code", "")
    stored = []
    try:
        if not files:
            raise Refused("attachment_not_chosen")
        for uploaded in files:
            stored.append(
                cases.add_draft_attachment(
                    request.user, application, cases.AttachmentInput(code, uploaded)
                )
            )
    except Refused as refused:
        if _wants_json(request):
            return _refusal_json(refused)
        context = _form_context(request, application, error=refused.message(_language()))
        return render(request, "portal/edit.html", context, status=400)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "attachments": [
                    {"id": a.pk, "name": a.original_name, "size": a.size, "sha256": a.sha256}
                    for a in stored
                ],
            }
        )
    return redirect(f"{reverse('portal:edit', args=[application.public_id])}#documents")


@applicant_required
@require_POST
def remove_attachment(request, public_id, attachment_id: int):
    application = _own_application(request, public_id)
    try:
        cases.remove_draft_attachment(request.user, application, attachment_id)
    except Refused as refused:
        context = _form_context(request, application, error=refused.message(_language()))
        return render(request, "portal/edit.html", context, status=400)
    return redirect(f"{reverse('portal:edit', args=[application.public_id])}#documents")


@never_cache
@applicant_required
def review(request, public_id):
    application = _own_application(request, public_id)
    if application.status != Status.DRAFT:
        return redirect("portal:detail", public_id=application.public_id)
    if _moved_into_force(request, application):
        return redirect(f"{reverse('portal:edit', args=[application.public_id])}?amended=1")
    version = application.service_version
    errors = errors_by_field(version.form_schema, application.form_data)
    context = _form_context(request, application, errors=errors)
    context.update(
        {
            "errors": errors,
            "missing": queries.missing_documents(application),
            "repealed": version.is_repealed_on(timezone.localdate()),
            "summary": queries.review_summary(application, context["fields"]),
        }
    )
    return render(request, "portal/review.html", context)


@never_cache
@applicant_required
@require_GET
def request_bytes(request, public_id):
    """The exact bytes the page signs: the server's canonical request of this draft."""
    application = _own_application(request, public_id)
    if application.status != Status.DRAFT:
        raise Http404
    content = canonical_request(application, signer=request.user)
    response = HttpResponse(content, content_type="application/octet-stream")
    response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
    return response


@never_cache
@applicant_required
@require_POST
def submit(request, public_id):
    application = _own_application(request, public_id)
    signature = _signature_from(request)
    try:
        registered = cases.submit_draft(
            request.user, application, signature=signature.encode("ascii", "replace")
        )
    except Refused as refused:
        return _refusal_json(refused)
    return JsonResponse(
        {
            "ok": True,
            "registration_number": registered.registration_number,
            "redirect": reverse("portal:detail", args=[registered.public_id]) + "?registered=1",
        }
    )


@never_cache
@applicant_required
def detail(request, public_id):
    application = _own_application(request, public_id)
    if application.status == Status.DRAFT:
        return redirect("portal:edit", public_id=application.public_id)
    case = queries.case_view(application)
    return render(
        request,
        "portal/detail.html",
        {"case": case, "just_registered": "registered" in request.GET},
    )


@never_cache
@applicant_required
def result(request, public_id):
    """The output document rendered in the page (p.11: "просмотр выходного документа")."""
    application = _own_application(request, public_id)
    document = queries.output_document(application)
    if document is None:
        raise Http404
    return render(
        request, "portal/result.html", {"case": queries.case_view(application), "doc": document}
    )


@applicant_required
@require_GET
def result_pdf(request, public_id):
    """ "Save" (p.11): the signed PDF of the result, for its applicant only."""
    application = _own_application(request, public_id)
    document = queries.result_document(application)
    if document is None:
        raise Http404
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{application.registration_number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@applicant_required
@require_GET
def attachment(request, public_id, attachment_id: int):
    """A file of the applicant's own submitted case (anyone else's is not found)."""
    found = queries.own_attachment(request.user, public_id, attachment_id)
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type or "application/octet-stream",
        as_attachment=True,
        filename=found.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def not_found(request, exception=None):
    return render(request, "portal/refused.html", {"message": text("not_found_title")}, status=404)
