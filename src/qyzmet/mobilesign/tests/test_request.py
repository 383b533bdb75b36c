"""The applicant's request signed with eGov mobile, through the protocol's endpoints as the app
calls them (API1 GET, API2 GET, API2 PUT) and the page's (start, QR, status): accepted once
and registered by the portal's own submission action; every late, replayed, foreign or
altered answer refused with its code, nothing registered."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application, SignedRequest, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.mobilesign.models import SigningSession, State

from .conftest import fetch, logged_in, put, ready_draft, signed_body, start

pytestmark = pytest.mark.django_db


def start_url(draft) -> str:
    return reverse("mobilesign:start_request", args=[draft.public_id])


@pytest.fixture
def page(applicant):
    return logged_in(applicant)


def signer(demo_pki, person: str):
    return lambda data: demo_pki.sign(person, data)


def assert_nothing_registered(draft):
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.registration_number
    assert not SignedRequest.objects.filter(application=draft).exists()


@pytest.mark.parametrize("key", ["abenova", "abenova-rsa"], ids=["gost2015-512", "rsa-legacy"])
def test_the_phone_signs_and_the_request_is_registered(draft, page, phone, demo_pki, key):
    started = start(page, start_url(draft))
    token = SigningSession.objects.get().token
    assert started["qr_text"] == f"mobileSign:https://qyzmet.example.kz/mobile-sign/{token}/"
    assert started["links"]["egov_mobile"].startswith("https://mgovsign.page.link/?link=https%3A")
    assert "apn=kz.mobile.mgov.business" in started["links"]["egov_business"]

    api1, api2 = fetch(phone, started)
    assert api1["document"] == {
        "uri": f"https://qyzmet.example.kz/mobile-sign/{token}/document/",
        "auth_type": "None",
    }
    assert api1["organisation"]["nameRu"] == "КГУ «Управление культуры города Алматы»"
    assert api1["organisation"]["nameKz"].startswith("«Алматы қаласының")
    assert api1["organisation"]["bin"] == "070840007503"  # QYZMET_PROVIDER_BIN (demo)
    assert api1["expiry_date"].startswith(str(timezone.localdate()))
    assert api2["signMethod"] == "CMS_SIGN_ONLY" and api2["version"] == 1
    [document] = api2["documentsToSign"]
    assert document["id"] == f"request-{draft.public_id}"
    assert {"nameRu", "nameKz", "nameEn", "meta"} <= set(document)
    assert document["document"]["file"]["mime"] == ""
    # The phone is given exactly the bytes the key-file route signs.
    assert base64.b64decode(document["document"]["file"]["data"]) == canonical_request(draft)

    answer = put(phone, api1, signed_body(api2, signer(demo_pki, key)))
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED and draft.registration_number.startswith("CULT-")
    signed_with = draft.applicant_details["signer"]
    assert signed_with["algorithm"] == demo_pki.person(key)["algorithm"], signed_with
    stored = SignedRequest.objects.get(application=draft)
    assert bytes(stored.content) == canonical_request(draft)
    session = SigningSession.objects.get()
    assert session.state == State.SIGNED and session.api2_served_at is not None
    actions = list(AuditRecord.objects.filter(case_id=draft.pk).values_list("action", flat=True))
    assert {"mobilesign.start", "mobilesign.serve_api1", "mobilesign.serve_api2"} <= set(actions)
    assert "cases.submit_portal" in actions and actions[-1] == "mobilesign.accept"

    status = page.get(started["status_url"]).json()
    assert status["state"] == "signed"
    assert status["redirect"] == f"/applications/{draft.public_id}/?registered=1"


def test_a_replayed_put_is_refused_and_changes_nothing(draft, page, phone, demo_pki):
    api1, api2 = fetch(phone, start(page, start_url(draft)))
    body = signed_body(api2, signer(demo_pki, "abenova"))
    assert put(phone, api1, body).status_code == 200
    draft.refresh_from_db()
    number = draft.registration_number

    again = put(phone, api1, body)
    assert again.status_code == 409 and again.json()["code"] == "mobile_sign_used"
    draft.refresh_from_db()
    assert draft.registration_number == number
    assert SignedRequest.objects.filter(application=draft).count() == 1
    # After use, the QR's API1 and API2 answer the same.
    assert phone.get(put_url_of(api1)).json()["code"] == "mobile_sign_used"


def put_url_of(api1) -> str:
    return api1["document"]["uri"].removeprefix("https://qyzmet.example.kz")


@pytest.mark.parametrize(
    ("person", "alter", "document_id", "code", "status"),
    [
        ("nurlanov", False, None, "mobile_sign_other_signer", 403),  # another person's key
        ("abenova", True, None, "mobile_sign_other_bytes", 400),  # other bytes signed
        ("abenova", False, "request-other", "mobile_sign_wrong_document", 400),
    ],
    ids=["foreign-signer", "altered-bytes", "wrong-document-id"],
)
def test_a_foreign_or_altered_put_is_refused_and_the_qr_stays_usable(
    draft, page, phone, demo_pki, person, alter, document_id, code, status
):
    api1, api2 = fetch(phone, start(page, start_url(draft)))
    wrong = signed_body(api2, signer(demo_pki, person), alter=alter, document_id=document_id)
    answer = put(phone, api1, wrong, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == status and answer.json()["code"] == code
    assert answer.json()["message"]  # in the app's language (English here)
    assert_nothing_registered(draft)
    session = SigningSession.objects.get()
    assert session.state == State.WAITING and not session.refusal_code
    refusal = AuditRecord.objects.filter(action="mobilesign.refuse").get()
    assert refusal.after["code"] == code

    # The rightful signer still signs with the same QR.
    right = put(phone, api1, signed_body(api2, signer(demo_pki, "abenova")))
    assert right.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED


def test_a_garbled_put_is_malformed(draft, page, phone):
    api1, _ = fetch(phone, start(page, start_url(draft)))
    for body in (b"not json", b'{"documentsToSign": []}', b'{"documentsToSign": [{"id": 1}]}'):
        answer = put(phone, api1, body)
        assert answer.status_code == 400 and answer.json()["code"] == "mobile_sign_malformed"
    assert_nothing_registered(draft)
    assert SigningSession.objects.get().state == State.WAITING


def expire(session=None) -> None:
    SigningSession.objects.filter(pk=(session or SigningSession.objects.get()).pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_an_expired_qr_answers_expired_everywhere(draft, page, phone, demo_pki):
    started = start(page, start_url(draft))
    api1, api2 = fetch(phone, started)
    body = signed_body(api2, signer(demo_pki, "abenova"))
    expire()
    assert page.get(started["status_url"]).json()["state"] == "expired"  # before anyone asks

    late = put(phone, api1, body)  # a late PUT
    assert late.status_code == 410 and late.json()["code"] == "mobile_sign_expired"
    assert_nothing_registered(draft)
    session = SigningSession.objects.get()
    assert session.state == State.EXPIRED
    first = phone.get(started["qr_text"].removeprefix("mobileSign:https://qyzmet.example.kz"))
    assert first.status_code == 410 and first.json()["code"] == "mobile_sign_expired"
    status = page.get(started["status_url"]).json()
    assert status["state"] == "expired" and status["code"] == "mobile_sign_expired"

    # A new QR works.
    api1, api2 = fetch(phone, start(page, start_url(draft)))
    assert put(phone, api1, signed_body(api2, signer(demo_pki, "abenova"))).status_code == 200


def test_a_new_qr_closes_the_previous_one(draft, page, phone):
    first = start(page, start_url(draft))
    start(page, start_url(draft))
    answer = phone.get(first["qr_text"].removeprefix("mobileSign:https://qyzmet.example.kz"))
    assert answer.status_code == 410 and answer.json()["code"] == "mobile_sign_expired"
    assert list(SigningSession.objects.order_by("pk").values_list("state", flat=True)) == [
        State.EXPIRED,
        State.WAITING,
    ]


def test_a_draft_changed_after_the_qr_ends_the_session(draft, page, phone, demo_pki, applicant):
    from qyzmet.cases import actions as cases

    api1, api2 = fetch(phone, start(page, start_url(draft)))
    body = signed_body(api2, signer(demo_pki, "abenova"))
    cases.save_draft(applicant, form_data={**draft.form_data, "country": "FR"}, draft=draft)
    answer = put(phone, api1, body)
    assert answer.status_code == 409 and answer.json()["code"] == "mobile_sign_stale"
    assert_nothing_registered(draft)
    session = SigningSession.objects.get()
    assert (session.state, session.refusal_code) == (State.REFUSED, "mobile_sign_stale")


def test_the_bound_persons_revoked_certificate_ends_the_session(catalog, demo_pki, phone):
    """The signature is the bound person's over these bytes, but the certificate is revoked:
    the portal's submission refuses it (p.10 условие 2) and the page shows why."""
    from qyzmet.conftest import make_user

    person = demo_pki.person("tolegenova")
    user = make_user(person["iin"], "applicant", iin=person["iin"], last_name="Төлегенова")
    draft = ready_draft(user)
    page = logged_in(user)
    started = start(page, start_url(draft))
    api1, api2 = fetch(phone, started)
    answer = put(phone, api1, signed_body(api2, signer(demo_pki, "tolegenova")))
    assert answer.status_code == 400 and answer.json()["code"] == "revoked"
    assert_nothing_registered(draft)
    status = page.get(started["status_url"], HTTP_ACCEPT_LANGUAGE="kk").json()
    assert status["state"] == "refused" and status["code"] == "revoked"
    assert "кері қайтарылған" in status["message"]
    again = put(phone, api1, signed_body(api2, signer(demo_pki, "tolegenova")))
    assert again.json()["code"] == "mobile_sign_closed"


def test_unknown_token_and_other_peoples_sessions(draft, page, phone, demo_pki, staff):
    assert phone.get("/mobile-sign/no-such-token/").json()["code"] == "mobile_sign_not_found"
    assert phone.get("/mobile-sign/no-such-token/").status_code == 404
    started = start(page, start_url(draft))
    stranger = logged_in(staff["clerk"])
    assert stranger.get(started["status_url"]).status_code == 404
    assert stranger.get(started["qr_url"]).status_code == 404
    assert phone.get(started["status_url"]).status_code == 404  # anonymous
    # Nobody else starts a QR for this draft.
    refused = stranger.post(start_url(draft))
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert phone.post(start_url(draft)).status_code == 403  # no CSRF token, no session


def test_the_qr_code_is_an_svg_of_the_qr_text(draft, page):
    started = start(page, start_url(draft))
    response = page.get(started["qr_url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content


def test_a_registered_application_gets_no_qr(draft, page, applicant, demo_pki):
    from qyzmet.cases import actions as cases

    content = canonical_request(draft)
    cases.submit_draft(applicant, draft, signature=demo_pki.sign("abenova", content))
    answer = page.post(start_url(draft))
    assert answer.status_code == 400 and answer.json()["code"] == "not_a_draft"
    assert not SigningSession.objects.exists()
    assert Application.objects.get(pk=draft.pk).status == Status.REGISTERED
