"""Refusals answered by a middleware, before any view: JSON for the API and for pages that
ask for JSON, otherwise a short page in the request's language (``core/refused.html``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from .refusals import Refused

API_PREFIX = "/api/"


def refusal_response(request, refused: Refused, status: int):
    """A refusal answered before any view: JSON for the API and for pages that ask for
    JSON, otherwise a short page in the request's language."""
    language = (translation.get_language() or "ru")[:2]
    body = refused.as_dict(language)
    body.setdefault("field", None)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if "json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"ok": False, **body}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return render(
        request,
        "core/refused.html",
        {"message": body["message"], "code": refused.code, "back": back, "language": language},
        status=status,
    )
