"""Public verification pages (no log-in): the page behind the QR code, the PDF download, and
the upload check. Thin: the verdicts come from ``queries``."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods

from qyzmet.core.refusals import Refused
from qyzmet.core.uploads import upload_limits

from . import conf, queries
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .texts import LANGUAGES, code_text, current_language, texts


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in LANGUAGES else current_language()


def _kind_title(document, language: str) -> str:
    """The document's name from its catalogue template, in ``language`` when it has it."""
    return queries.document_title(document, language)


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M (%Z)") if value else ""


def _context(result: queries.VerificationResult, language: str) -> dict:
    document = result.document
    context = {
        "result": result,
        "t": texts(language),
        "language": language,
        "languages": LANGUAGES,
        "status_title": texts(language)[result.status],
        "status_detail": texts(language)[f"{result.status}_detail"],
        "code_text": code_text(result.code, language),
        "signed_at": _moment(result.signed_at),
        "revoked_at": _moment(result.revoked_at),
    }
    if result.status != "not_authentic" and result.timestamped_at:
        context["valid_at_signing"] = texts(language)["valid_at_signing"].format(
            moment=_moment(result.timestamped_at), tsa=result.tsa_name
        )
        context["timestamped_at"] = _moment(result.timestamped_at)
    if result.status != "not_authentic" and result.certificate_expired_at:
        context["certificate_expired_since"] = texts(language)["certificate_expired_since"].format(
            moment=_moment(result.certificate_expired_at)
        )
    if document is not None:
        application = document.application
        context.update(
            registration_number=application.registration_number,
            kind_title=_kind_title(document, language),
            service_title=application.service_version.title(language),
            version=application.service_version,  # the frame's footer and helpline
        )
        if result.status in ("authentic", "revoked"):
            context["document_view"] = queries.document_view(document)
    return context


def _respond(request, template: str, context: dict, language: str, status: int = 200):
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


@require_GET
def verify(request: HttpRequest, registration_number: str, token: str) -> HttpResponse:
    result = queries.verify_public(registration_number, token)
    if result is None:
        raise Http404
    language = _language(request)
    context = _context(result, language)
    context["token"] = token
    return _respond(request, "results/verify.html", context, language)


@require_GET
def download(request: HttpRequest, registration_number: str, token: str) -> FileResponse:
    document = queries.public_document(registration_number, token)
    if document is None:
        raise Http404
    try:
        handle = document.pdf.open("rb")
    except (OSError, ValueError) as error:
        raise Http404 from error
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{registration_number}.pdf",
    )


def _uploaded_pdf(request: HttpRequest) -> bytes:
    upload = request.FILES.get("pdf")
    if upload is None:
        raise Refused("upload_missing")
    limit = _upload_max()
    if upload.size > limit:
        raise Refused("upload_too_large", {"limit": limit // (1024 * 1024)})
    content = upload.read()
    if not content.lstrip()[:5] == b"%PDF-":
        raise Refused("upload_not_pdf")
    return content


def _upload_max() -> int:
    return int(conf.get("UPLOAD_MAX_BYTES"))


# Refused by its length, or stopped at the limit, before the view (core/uploads.py).
@upload_limits(request_bytes=lambda: _upload_max() + 64 * 1024, file_bytes=_upload_max)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    context = {"t": texts(language), "language": language, "languages": LANGUAGES}
    if request.method == "GET":
        return _respond(request, "results/upload.html", context, language)
    try:
        pdf = _uploaded_pdf(request)
    except Refused as refusal:
        context["error"] = refusal.message(language)
        return _respond(request, "results/upload.html", context, language, status=400)
    result = queries.verify_upload(pdf)
    context.update(_context(result, language))
    context["uploaded_name"] = request.FILES["pdf"].name
    return _respond(request, "results/upload.html", context, language)
