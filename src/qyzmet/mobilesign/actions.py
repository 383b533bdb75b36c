"""Writes of eGov mobile QR signing: start a session, serve the app its two GETs, accept
its PUT. Each is one transaction and audited; the PUT's signature goes through the very
action the key-file route calls (``cases.actions.submit_draft`` for the applicant's request,
``workflow.actions.sign_decision`` for the head's result), so verification, registration and
issue are one code path whatever signed. A sign-up / log-in QR signs the accounts app's
challenge: the PUT runs the key-file route's checks of the signer without spending the
challenge, and the browser session that started the QR completes it with
``accounts.actions.sign_up_with_eds`` / ``authenticate_with_eds`` (:func:`complete_auth`).

A refusal has a stable code. Two kinds:

- *not this session's signature* — the body is not the protocol's, another document id,
  a CMS over other bytes, another person's certificate, a signature or chain that does not
  hold (``NOT_PROOF``): the PUT is refused and nothing changes; the rightful signer may
  still sign until the QR expires;
- *the session cannot succeed any more* — expired, the draft or decision changed, or the
  bound person's signature refused by the action (revoked or expired certificate, wrong key
  purpose, no right to sign, incomplete draft…): the session ends (expired / refused, with
  the code) and the waiting page shows why.

A session already signed answers ``mobile_sign_used`` (a replay), one that ended otherwise
``mobile_sign_closed``. Every refused attempt is in the audit log.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qyzmet.accounts.models import Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.cases.models import ApplicantKind, Application, DecisionState, Status
from qyzmet.core.refusals import Refused

from . import conf, protocol
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .models import AUTH_PURPOSES, Purpose, SigningSession, State

# Refusals that do not prove the bound person signed these bytes: the session stays open.
NOT_PROOF = frozenset(
    {
        "mobile_sign_malformed",
        "mobile_sign_wrong_document",
        "mobile_sign_other_bytes",
        "mobile_sign_other_signer",
        "malformed",
        "bad_signature",
        "digest_mismatch",
        "untrusted_chain",
        "iin_mismatch",
        "bin_mismatch",
    }
)
# Answers about a session that has already ended: nothing to record on it.
_FINISHED = frozenset({"mobile_sign_used", "mobile_sign_closed"})


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _expected_signer_of_request(actor, draft: Application) -> tuple[str, str]:
    """A legal entity's request is signed by the representative who started the QR (any of
    the entity's may have begun the draft); an individual's by the individual."""
    if draft.applicant_kind == ApplicantKind.LEGAL_ENTITY:
        return actor.iin, draft.applicant_bin
    return draft.applicant_iin, ""


def _new_session(
    actor, application, purpose, content, *, expected, document_id, decision=None, **binding
):
    now = timezone.now()
    # A new QR replaces the ones still waiting for the same document (for a sign-up / log-in,
    # the same browser session's): one live QR at a time.
    if application is not None:
        same = {"application": application}
    else:
        same = {"browser_binding": binding["browser_binding"]}
    replaced = SigningSession.objects.filter(**same, purpose=purpose, state=State.WAITING).update(
        state=State.EXPIRED, finished_at=now
    )
    session = SigningSession.objects.create(
        **binding,
        purpose=purpose,
        application=application,
        decision=decision,
        user=actor,
        expected_iin=expected[0],
        expected_bin=expected[1] or "",
        document_id=document_id,
        content_sha256=_sha256(content),
        content_size=len(content),
        created_at=now,
        expires_at=now + timedelta(seconds=int(conf.get("SECONDS"))),
    )
    audit.record(
        actor,
        "mobilesign.start",
        case=application,
        obj=session,
        after={**session.snapshot(), "replaced": replaced},
    )
    return session


@transaction.atomic
def start_for_request(actor, draft: Application) -> SigningSession:
    """The applicant chose eGov mobile to sign the request of their draft (p.10 процесс 6)."""
    from qyzmet.cases.actions import lock_own_draft
    from qyzmet.cases.portal_requests import canonical_request

    require_role(actor, Role.APPLICANT)
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT:
        raise Refused("not_a_draft")
    return _new_session(
        actor,
        draft,
        Purpose.REQUEST,
        canonical_request(draft, signer=actor),
        expected=_expected_signer_of_request(actor, draft),
        document_id=f"request-{draft.public_id}",
    )


def browser_binding(secret: str) -> str:
    """What a session stores of the browser session's binding secret (its SHA-256)."""
    return _sha256(str(secret).encode("utf-8"))


@transaction.atomic
def start_for_challenge(purpose: str, browser_secret: str, ip: str | None = None) -> SigningSession:
    """An anonymous visitor chose eGov mobile to sign up or log in (p.10 процесс 1): a fresh
    one-time challenge of ``accounts`` (the very one the key-file route signs) is the
    document; the session is bound to the browser session holding ``browser_secret``. The
    signer is whoever signs: checked at the PUT as the key-file route checks it."""
    from qyzmet.accounts.actions import issue_challenge

    if purpose not in AUTH_PURPOSES:
        raise Refused("challenge_invalid")
    if not browser_secret:
        raise Refused("mobile_sign_not_found")
    challenge = issue_challenge(purpose, ip)  # limited per client address
    return _new_session(
        None,
        None,
        purpose,
        challenge.payload,
        expected=("", ""),
        document_id=f"{purpose}-{challenge.public_id}",
        challenge=challenge,
        browser_binding=browser_binding(browser_secret),
    )


@transaction.atomic
def start_for_result(actor, application: Application, decision_id: str) -> SigningSession:
    """The head chose eGov mobile to sign the prepared result (p.5.5, p.10 процесс 9).
    ``decision_id`` is the decision the head's page shows: another one means the draft
    changed since the page was opened."""
    from django.conf import settings

    from qyzmet.workflow import actions as flow
    from qyzmet.workflow.models import Step, Task, TaskState

    require_role(actor, Role.HEAD)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.is_final:
        raise Refused("case_finished")
    if not Task.objects.filter(
        application=application, step=Step.SIGN, state=TaskState.OPEN
    ).exists():
        raise Refused("wrong_step")
    decision = flow.current_decision(application)
    if str(decision.pk) != str(decision_id):
        raise Refused("signature_content_mismatch")
    if not actor.iin:
        raise Refused("signer_not_head")
    # The app signs the document prepared for this head today (their name, position, date).
    decision = flow.prepare_signing(actor, application)
    return _new_session(
        actor,
        application,
        Purpose.RESULT,
        bytes(decision.signed_content),
        expected=(actor.iin, getattr(settings, "QYZMET_PROVIDER_BIN", "") or ""),
        document_id=f"result-{application.registration_number}-{decision.pk}",
        decision=decision,
    )


# --- the app's side ------------------------------------------------------------------------


def _locked(token: str) -> SigningSession:
    session = (
        SigningSession.objects.select_for_update(of=("self",))
        .select_related("application__service_version", "decision", "user", "challenge")
        .filter(token=str(token)[:64])
        .first()
    )
    if session is None:
        raise Refused("mobile_sign_not_found")
    return session


def _check_open(session: SigningSession, now) -> None:
    if session.state == State.SIGNED:
        raise Refused("mobile_sign_used")
    if session.state == State.EXPIRED or (
        session.state == State.WAITING and now >= session.expires_at
    ):
        raise Refused("mobile_sign_expired")
    if session.state != State.WAITING:
        raise Refused("mobile_sign_closed")


def _content(session: SigningSession) -> bytes:
    """The exact bytes of the session, as they are now; ``mobile_sign_stale`` when the draft
    or the decision is no longer the one the QR was made for."""
    from qyzmet.cases.portal_requests import canonical_request

    if session.purpose in AUTH_PURPOSES:
        challenge = session.challenge
        if challenge is None or challenge.used_at or timezone.now() >= challenge.expires_at:
            raise Refused("mobile_sign_stale")
        content = challenge.payload
    elif session.purpose == Purpose.REQUEST:
        if session.application.status != Status.DRAFT:
            raise Refused("mobile_sign_stale")
        content = canonical_request(session.application, signer=session.user)
    else:
        decision = session.decision
        if decision is None or decision.state != DecisionState.AWAITING_SIGNATURE:
            raise Refused("mobile_sign_stale")
        content = bytes(decision.signed_content)
    if _sha256(content) != session.content_sha256:
        raise Refused("mobile_sign_stale")
    return content


def _record_refusal(session: SigningSession, refused: Refused, step: str, now) -> None:
    ends = refused.code not in NOT_PROOF and refused.code not in _FINISHED
    before = session.snapshot()
    if ends and session.state == State.WAITING:
        session.state = State.EXPIRED if refused.code == "mobile_sign_expired" else State.REFUSED
        session.refusal_code = "" if session.state == State.EXPIRED else refused.code
        session.finished_at = now
        session.save(update_fields=["state", "refusal_code", "finished_at"])
    audit.record(
        None,
        "mobilesign.refuse",
        case_id=session.application_id,
        obj=session,
        before=before,
        after={**session.snapshot(), "step": step, "code": refused.code},
    )


def _run(token: str, step: str, work):
    """Lock the session, do ``work(session, now)``; a refusal is recorded on the session (when
    it ends it) and in the audit log — committed — and then raised."""
    failure = None
    with transaction.atomic():
        session = _locked(token)
        now = timezone.now()
        try:
            _check_open(session, now)
            result = work(session, now)
        except Refused as refused:
            failure = refused
            _record_refusal(session, refused, step, now)
    if failure is not None:
        raise failure
    return result


def serve_api1(token: str) -> SigningSession:
    """The app scanned the QR and asks what it is about (API1)."""

    def work(session, now):
        session.api1_served_at = now
        session.save(update_fields=["api1_served_at"])
        audit.record(None, "mobilesign.serve_api1", case_id=session.application_id, obj=session)
        return session

    return _run(token, "api1", work)


def serve_api2(token: str) -> tuple[SigningSession, bytes]:
    """The app fetches the document to sign (API2): the session's exact bytes."""

    def work(session, now):
        content = _content(session)
        session.api2_served_at = now
        session.save(update_fields=["api2_served_at"])
        audit.record(
            None,
            "mobilesign.serve_api2",
            case_id=session.application_id,
            obj=session,
            after={"sha256": session.content_sha256, "size": len(content)},
        )
        return session, content

    return _run(token, "api2", work)


def _check_binding(session: SigningSession, signed: protocol.SignedDocument, content: bytes):
    """Cheap checks before the full verification: this session's document, a CMS over these
    bytes, a certificate of the bound person."""
    from qyzmet.results.pades import cms_signer
    from qyzmet.results.queries import certificate_signer

    if signed.document_id != session.document_id:
        raise Refused("mobile_sign_wrong_document")
    try:
        signer = cms_signer(signed.der, content)
    except Refused as refused:
        code = "result_signature_mismatch"
        raise Refused(
            "mobile_sign_other_bytes" if refused.code == code else "mobile_sign_malformed"
        ) from refused
    who = certificate_signer(signer.certificate_der)
    if who is None:
        raise Refused("mobile_sign_malformed")
    if not session.expected_iin:  # sign-up / log-in: whoever signs, checked by _apply
        return
    if who["signer_iin"] != session.expected_iin or (
        session.expected_bin and who["signer_bin"] != session.expected_bin
    ):
        raise Refused("mobile_sign_other_signer")


def _apply(session: SigningSession, signed: protocol.SignedDocument, content: bytes):
    """The key-file route's own action, acting as the person the session is bound to. For a
    sign-up / log-in the key-file route's checks of the signer run now (without spending the
    challenge); the browser session that started the QR completes it (:func:`complete_auth`)."""
    if session.purpose in AUTH_PURPOSES:
        from qyzmet.accounts.actions import check_eds_holder

        check_eds_holder(session.purpose, session.challenge, signed.signature_base64)
        session.signature = signed.signature_base64
        session.save(update_fields=["signature"])
        return None
    if session.purpose == Purpose.REQUEST:
        from qyzmet.cases import actions as cases

        # As the portal posts it: the base64 text of the CMS.
        return cases.submit_draft(
            session.user, session.application, signature=signed.signature_base64.encode("ascii")
        )
    from qyzmet.workflow import actions as flow

    return flow.sign_decision(
        session.user, session.application, signature=signed.der, signed_content=content
    )


def accept_signature(token: str, body: bytes) -> SigningSession:
    """The app PUTs the signed document back to API2. Accepted once: the request is
    registered / the result issued by the action the key-file route calls."""

    def work(session, now):
        if len(body) > int(conf.get("MAX_BODY_BYTES")):
            raise Refused("mobile_sign_malformed")
        documents = protocol.read_put(body)
        if len(documents) != 1:
            raise Refused("mobile_sign_wrong_document")
        [signed] = documents
        if signed.document_id != session.document_id:
            raise Refused("mobile_sign_wrong_document")
        content = _content(session)
        _check_binding(session, signed, content)
        _apply(session, signed, content)
        before = session.snapshot()
        session.state = State.SIGNED
        session.finished_at = now
        session.save(update_fields=["state", "finished_at"])
        audit.record(
            session.user,
            "mobilesign.accept",
            case_id=session.application_id,
            obj=session,
            before=before,
            after=session.snapshot(),
        )
        return session

    return _run(token, "put", work)


# --- sign-up / log-in: the browser session that started the QR completes it ---------------


def complete_auth(token: str, browser_secret: str, ip: str):
    """The waiting page's browser session completes the sign-up / log-in whose signature the
    phone had accepted, with the key-file route's own action over the stored CMS (which spends
    the challenge: at most once). Any other browser session: ``mobile_sign_not_found``.
    Returns the user to log in; a refusal ends the session with its code."""
    from qyzmet.accounts import actions as accounts

    failure = None
    with transaction.atomic():
        session = _locked(token)
        if (
            session.purpose not in AUTH_PURPOSES
            or not browser_secret
            or session.browser_binding != browser_binding(browser_secret)
        ):
            raise Refused("mobile_sign_not_found")
        if session.state != State.SIGNED:
            raise Refused("mobile_sign_closed")
        if session.completed_at is not None:
            raise Refused("mobile_sign_used")
        before = session.snapshot()
        challenge_id = session.challenge.public_id if session.challenge else ""
        try:  # a refusal keeps what the action leaves behind (a spent challenge, a counted failure)
            if session.purpose == Purpose.SIGN_UP:
                user = accounts.sign_up_with_eds(challenge_id, session.signature)
            else:
                user = accounts.authenticate_with_eds(challenge_id, session.signature, ip)
        except Refused as refused:
            failure = refused
            session.state = State.REFUSED
            session.refusal_code = refused.code
            session.signature = ""
            session.save(update_fields=["state", "refusal_code", "signature"])
            audit.record(
                None,
                "mobilesign.refuse",
                obj=session,
                before=before,
                after={**session.snapshot(), "step": "complete", "code": refused.code},
            )
        else:
            session.completed_at = timezone.now()
            session.user = user
            session.signature = ""
            session.save(update_fields=["completed_at", "user", "signature"])
            audit.record(
                user, "mobilesign.complete", obj=session, before=before, after=session.snapshot()
            )
    if failure is not None:
        raise failure
    return user
