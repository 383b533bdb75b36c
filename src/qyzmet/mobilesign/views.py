"""HTTP side of eGov mobile QR signing (mounted at ``/mobile-sign/``).

The protocol endpoints the eGov mobile app calls — API1 (GET) and API2 (GET, PUT) — are
public and CSRF-exempt JSON: the unguessable token in the URL is the session; the app holds no
cookie. The pages' endpoints — start a session, its QR code (SVG), its status — belong to the
logged-in person who started it, or — a sign-up / log-in QR — to the browser session that
started it, whose status poll completes the sign-up / log-in once the phone's signature is
accepted. Thin: every change is an action, every read a query.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import login as auth_login
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qyzmet.cases.models import Application
from qyzmet.core.client import client_address
from qyzmet.core.i18n import translate
from qyzmet.core.refusals import Refused

from . import actions, protocol, queries
from .models import AUTH_PURPOSES, State

# HTTP status of each protocol refusal (400 for the rest).
_HTTP_STATUS = {
    "mobile_sign_not_found": 404,
    "mobile_sign_expired": 410,
    "mobile_sign_closed": 410,
    "mobile_sign_used": 409,
    "mobile_sign_stale": 409,
    "mobile_sign_other_signer": 403,
    "permission_denied": 403,
    "not_found": 404,
}


def _language() -> str:
    return (translation.get_language() or "ru")[:2]


def _refused(refused: Refused) -> JsonResponse:
    return JsonResponse(
        {"ok": False, **refused.as_dict(_language())},
        status=_HTTP_STATUS.get(refused.code, 400),
        json_dumps_params={"ensure_ascii": False},
    )


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


# --- the eGov mobile app's side ------------------------------------------------------------


@csrf_exempt  # the app is not a browser: no session, no CSRF cookie; the token is the key
@never_cache
@require_GET
def api1(request, token: str):
    try:
        session = actions.serve_api1(token)
    except Refused as refused:
        return _refused(refused)
    return _json(protocol.api1(session, _language()))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "PUT"])
def api2(request, token: str):
    try:
        if request.method == "PUT":
            actions.accept_signature(token, request.body)
            return _json({"ok": True, "message": translate(_SIGNED, _language())})
        session, content = actions.serve_api2(token)
    except Refused as refused:
        return _refused(refused)
    return _json(protocol.api2(session, content, _language()))


_SIGNED = gettext_lazy("Подпись принята.")


# --- the signing pages' side -----------------------------------------------------------------


def _application(public_id) -> Application:
    application = Application.objects.filter(public_id=public_id).first()
    if application is None:
        raise Refused("not_found")
    return application


@never_cache
@require_POST
def start_request(request, public_id):
    """The portal's review page: a QR for the applicant's request of this draft."""
    try:
        session = actions.start_for_request(request.user, _application(public_id))
    except Refused as refused:
        return _refused(refused)
    return _json(queries.start_answer(session))


@never_cache
@require_POST
def start_result(request, public_id):
    """The desk's signing page: a QR for the head's signature of the prepared result."""
    try:
        session = actions.start_for_result(
            request.user, _application(public_id), request.POST.get("decision", "")
        )
    except Refused as refused:
        return _refused(refused)
    return _json(queries.start_answer(session))


@never_cache
@require_POST
def start_auth(request, purpose: str):
    """The portal's sign-up / log-in page: a QR for a one-time challenge, bound to this
    browser session (the visitor is anonymous: no user yet)."""
    secret = queries.browser_secret(request)
    if not secret:
        secret = request.session[queries.BROWSER_KEY] = secrets.token_urlsafe(32)
    try:
        session = actions.start_for_challenge(purpose, secret, client_address(request))
    except Refused as refused:
        return _refused(refused)
    return _json(queries.start_answer(session))


def _complete(request, session) -> None:
    """A sign-up / log-in QR the phone signed: this browser session (the one that started
    it) completes it now and is logged in as the signer; a refusal ends the session with its
    code, which the status then shows."""
    try:
        user = actions.complete_auth(
            session.token, queries.browser_secret(request), client_address(request)
        )
    except Refused:
        pass
    else:
        # auth_login() keeps the session's data (the binding secret) and rotates its key.
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    session.refresh_from_db()


@never_cache
@require_GET
def status(request, token: str):
    session = queries.browser_session(request, token)
    if session is None:
        raise Http404
    if (
        session.purpose in AUTH_PURPOSES
        and session.state == State.SIGNED
        and session.completed_at is None
    ):
        _complete(request, session)
    return _json(queries.status(session, _language()))


@never_cache
@require_GET
def qr(request, token: str):
    session = queries.browser_session(request, token)
    if session is None:
        raise Http404
    return HttpResponse(queries.qr_svg(session), content_type="image/svg+xml")
