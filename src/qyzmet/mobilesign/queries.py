"""Reads of eGov mobile QR signing: a person's own session and what its waiting page shows."""

from __future__ import annotations

import io

import segno
from django.urls import reverse
from django.utils import timezone

from qyzmet.core.refusals import message_for

from . import protocol
from .models import AUTH_PURPOSES, Purpose, SigningSession, State

# The browser session's binding secret of its sign-up / log-in QR codes (its SHA-256 is on
# the signing session): only the browser session that started a QR can see or complete it.
BROWSER_KEY = "qyzmet.mobilesign.browser"


def browser_secret(request) -> str:
    return str(request.session.get(BROWSER_KEY, ""))


def browser_session(request, token: str) -> SigningSession | None:
    """The session, if this browser started it: its user's own, or a sign-up / log-in QR
    bound to this browser session (any other: not found)."""
    from .actions import browser_binding

    session = own_session(request.user, token)
    if session is not None:
        return session
    secret = browser_secret(request)
    if not secret:
        return None
    return (
        SigningSession.objects.select_related("application")
        .filter(
            token=str(token)[:64],
            purpose__in=AUTH_PURPOSES,
            browser_binding=browser_binding(secret),
        )
        .first()
    )


def own_session(user, token: str) -> SigningSession | None:
    """The session, if ``user`` started it (anyone else: not found)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        SigningSession.objects.select_related("application")
        .filter(token=str(token)[:64], user=user)
        .first()
    )


def effective_state(session: SigningSession, now=None) -> str:
    """A waiting session past its expiry is expired even before anyone touches it."""
    now = now or timezone.now()
    if session.state == State.WAITING and now >= session.expires_at:
        return State.EXPIRED
    return session.state


def done_url(session: SigningSession) -> str:
    """Where the page goes once the phone's signature is accepted."""
    if session.purpose in AUTH_PURPOSES:
        from qyzmet.accounts.queries import needs_portal_password

        if session.purpose == Purpose.SIGN_UP or needs_portal_password(session.user):
            return reverse("portal:set_password")
        return reverse("portal:my_applications")
    public_id = session.application.public_id
    if session.purpose == Purpose.REQUEST:
        return reverse("portal:detail", args=[public_id]) + "?registered=1"
    return reverse("office:case", args=[public_id])


def status(session: SigningSession, language: str) -> dict:
    state = effective_state(session)
    answer = {
        "state": state,
        "expires_at": timezone.localtime(session.expires_at).isoformat(),
        "seconds_left": max(0, int((session.expires_at - timezone.now()).total_seconds())),
        "scanned": session.api1_served_at is not None,
    }
    if state == State.SIGNED:
        answer["redirect"] = done_url(session)
    elif state == State.REFUSED and session.refusal_code:
        answer["code"] = session.refusal_code
        answer["message"] = message_for(session.refusal_code).text(language)
    elif state == State.EXPIRED:
        answer["code"] = "mobile_sign_expired"
        answer["message"] = message_for("mobile_sign_expired").text(language)
    return answer


def qr_svg(session: SigningSession) -> bytes:
    """The QR code of ``mobileSign:<API1 URL>`` as SVG (segno), drawn on the server."""
    out = io.BytesIO()
    segno.make(protocol.qr_text(session), error="m").save(out, kind="svg", scale=5, border=2)
    return out.getvalue()


def start_answer(session: SigningSession) -> dict:
    """What the page needs to show a new QR and wait for the phone."""
    return {
        "ok": True,
        "qr_text": protocol.qr_text(session),
        "qr_url": reverse("mobilesign:qr", args=[session.token]),
        "status_url": reverse("mobilesign:status", args=[session.token]),
        "links": protocol.deep_links(session),
        "expires_at": timezone.localtime(session.expires_at).isoformat(),
        "seconds": max(0, int((session.expires_at - timezone.now()).total_seconds())),
    }
