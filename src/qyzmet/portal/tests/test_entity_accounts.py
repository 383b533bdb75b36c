"""A legal entity's representatives each have their own account (issue 12, item 3), through
the portal's pages: the story of the issue. An employee without the right of signature signs
up first, the first head second; both log in with the EDS and with IIN + BIN + password, each
as themselves; the employee prepares a draft that the head sees, completes and submits; the
employee cannot submit but sees the entity's drafts and applications; a representative of
another entity, and an individual, see none of them (docs/accounts.md; EDS.md for the roles:
EKU 1.2.398.3.3.4.1.2.1 first head, .2.5 employee)."""

import base64

import pytest
from django.test import Client

from qyzmet.accounts.models import User
from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application, SignedRequest, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.demo.pki import COMPANY_BIN, PROVIDER_BIN
from qyzmet.testing import PORTAL_PASSWORD, restoration_form

from .applying import fill, ready_draft, signature_for, submit

pytestmark = pytest.mark.django_db


def _signed(client, pki, person: str, purpose: str) -> dict:
    """The page's EDS step: a fresh challenge signed with the person's authentication key."""
    answer = client.post(f"/challenge/{purpose}/").json()
    payload = base64.b64decode(answer["payload"])
    signature = base64.b64encode(pki.sign(person, payload, "auth")).decode()
    return {"challenge": answer["id"], "signature": signature}


def signs_up(pki, person: str) -> Client:
    """Sign-up with the EDS and the portal password, through the pages."""
    client = Client()
    answer = client.post("/sign-up/", _signed(client, pki, person, "sign_up")).json()
    assert answer == {"ok": True, "redirect": "/sign-up/password/"}, answer
    page = client.get("/sign-up/password/").content.decode()
    assert pki.person(person)["iin"] in page  # "your log-in: IIN …, BIN …"
    done = client.post("/sign-up/password/", {"password": PORTAL_PASSWORD, "email": ""})
    assert done.status_code == 302, done.content
    return client


def logs_in_with_eds(pki, person: str) -> Client:
    client = Client()
    answer = client.post("/log-in/eds/", _signed(client, pki, person, "log_in")).json()
    assert answer["ok"], answer
    return client


def logs_in_with_password(iin: str, entity_bin: str = "") -> Client:
    client = Client()
    response = client.post(
        "/log-in/", {"login": iin, "bin": entity_bin, "password": PORTAL_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def who(client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.fixture
def people(pki, catalog):
    return {p: pki.person(p)["iin"] for p in ("serikbaev", "ospanova", "zhumabaev", "abenova")}


def test_the_employee_signs_up_first_and_the_head_still_can(pki, people):
    employee = who(signs_up(pki, "ospanova"))
    head = who(signs_up(pki, "serikbaev"))  # was: account_exists, then iin_mismatch for ever
    assert (employee.username, head.username) == (
        f"{people['ospanova']}@{COMPANY_BIN}",
        f"{people['serikbaev']}@{COMPANY_BIN}",
    )
    assert (employee.bin, head.bin) == (COMPANY_BIN, COMPANY_BIN)
    assert (employee.certificate_roles, head.certificate_roles) == (["employee"], ["first_head"])
    assert (employee.may_sign_for_entity, head.may_sign_for_entity) == (False, True)

    # Each logs in with the EDS and with IIN + BIN + password, as themselves.
    for person, account in (("ospanova", employee), ("serikbaev", head)):
        assert who(logs_in_with_eds(pki, person)) == account
        assert who(logs_in_with_password(people[person], COMPANY_BIN)) == account
    # The BIN alone names nobody; the same answer as a wrong password (nothing to enumerate).
    alone = Client().post("/log-in/", {"login": COMPANY_BIN, "password": PORTAL_PASSWORD})
    assert alone.status_code == 400
    assert "указывает свой ИИН и БИН организации" in alone.content.decode()
    # Signing up twice is still refused, per person.
    again = Client()
    answer = again.post("/sign-up/", _signed(again, pki, "ospanova", "sign_up")).json()
    assert answer["code"] == "account_exists"


def test_every_sign_up_and_log_in_names_person_and_entity(pki, people):
    signs_up(pki, "ospanova")
    logs_in_with_eds(pki, "ospanova")
    logs_in_with_password(people["ospanova"], COMPANY_BIN)
    Client().post("/log-in/", {"login": people["ospanova"], "bin": COMPANY_BIN, "password": "x"})
    records = AuditRecord.objects.filter(
        action__in=["accounts.sign_up", "accounts.login", "accounts.login_refused"]
    ).order_by("id")
    assert [r.action for r in records] == [
        "accounts.sign_up",
        "accounts.login",
        "accounts.login",
        "accounts.login_refused",
    ]
    for record in records:
        assert (record.after["iin"], record.after["bin"]) == (people["ospanova"], COMPANY_BIN)
    assert records[1].after["method"] == "eds" and records[2].after["method"] == "password"
    assert records[1].after["roles"] == ["employee"]
    assert records[0].actor_label.startswith(f"{people['ospanova']}@{COMPANY_BIN} ")


def test_the_entitys_drafts_are_the_entitys_and_only_a_signing_right_submits(pki, people):
    employee = signs_up(pki, "ospanova")
    head = signs_up(pki, "serikbaev")
    draft = ready_draft(employee, "restoration-approval")  # prepared by the employee

    # The head sees the employee's draft and may open, review and complete it.
    assert str(draft.public_id) in head.get("/applications/").content.decode()
    for url in ("edit/", "review/"):
        assert head.get(f"/applications/{draft.public_id}/{url}").status_code == 200
    data = restoration_form()
    data["works"]["description"] = "Консервация фасада (дополнил руководитель)."
    assert fill(head, draft, data).status_code == 302
    draft.refresh_from_db()
    assert draft.form_data == data

    # The employee is told who signs, and the signature of their key is refused.
    review = employee.get(f"/applications/{draft.public_id}/review/").content.decode()
    assert 'data-code="entity_cannot_sign"' in review
    assert 'data-code="entity_cannot_sign"' not in (
        head.get(f"/applications/{draft.public_id}/review/").content.decode()
    )
    refused = submit(employee, draft, signature_for(employee, draft, pki, "ospanova")).json()
    assert refused["code"] == "signer_not_representative"
    # Nor can the employee submit with the head's key: the request names who signs it.
    borrowed = submit(employee, draft, signature_for(employee, draft, pki, "serikbaev")).json()
    assert borrowed["code"] == "iin_mismatch"
    assert not SignedRequest.objects.exists()

    # The request the head signs names the head, whoever began the draft.
    content = head.get(f"/applications/{draft.public_id}/request.bin").content
    assert f'"representative_iin":"{people["serikbaev"]}"'.encode() in content
    answer = submit(head, draft, signature_for(head, draft, pki, "serikbaev")).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert draft.representative_iin == people["serikbaev"]
    assert (draft.created_by, draft.applicant_user) == (who(employee), who(head))
    assert SignedRequest.objects.get(application=draft).content == canonical_request(draft)

    # The employee sees the registered application of the entity, and who submitted it.
    mine = employee.get("/applications/").content.decode()
    assert draft.registration_number in mine and "СЕРІКБАЕВ" in mine
    assert employee.get(f"/applications/{draft.public_id}/").status_code == 200


def test_a_representative_of_another_entity_and_an_individual_see_none(pki, people):
    employee = signs_up(pki, "ospanova")
    company_draft = ready_draft(employee, "restoration-approval")
    head = signs_up(pki, "serikbaev")
    # another service: "Apply" for the same one would continue the entity's open draft
    registered = ready_draft(head, "temporary-export")
    assert registered.pk != company_draft.pk
    assert submit(head, registered, signature_for(head, registered, pki, "serikbaev")).json()["ok"]
    registered.refresh_from_db()

    other_entity = signs_up(pki, "zhumabaev")  # first head of another BIN (the provider's)
    assert who(other_entity).bin == PROVIDER_BIN
    individual = signs_up(pki, "abenova")  # an individual, not a representative
    for outsider in (other_entity, individual):
        listing = outsider.get("/applications/").content.decode()
        for application in (company_draft, registered):
            assert str(application.public_id) not in listing
            base = f"/applications/{application.public_id}"
            for url in ("/", "/edit/", "/review/", "/request.bin", "/result/", "/result.pdf"):
                assert outsider.get(base + url).status_code == 404, (url, application)
            scan = application.attachments.first().pk
            for url in ("/submit/", "/attachments/", "/edit/", f"/attachments/{scan}/remove/"):
                assert outsider.post(base + url, {"signature": "x"}).status_code == 404, url
        # Nor can an outsider's new draft be of the entity: it is their own.
        own = ready_draft(outsider, "restoration-approval")
        assert own.applicant_bin != COMPANY_BIN
    assert Application.objects.filter(applicant_bin=COMPANY_BIN).count() == 2


def test_individual_and_representative_accounts_of_one_person_are_apart(pki, catalog):
    """One person may apply for themselves and act for an entity: two accounts, two logins
    (IIN; IIN + BIN), two sets of applications. The demo's provider head stands in: his
    certificate is a legal entity's; an individual's account of the same IIN is made here."""
    from qyzmet.accounts.models import Role

    iin = pki.person("zhumabaev")["iin"]
    representative = who(signs_up(pki, "zhumabaev"))
    individual = User.objects.create_user(iin, password=PORTAL_PASSWORD, role=Role.APPLICANT)
    User.objects.filter(pk=individual.pk).update(iin=iin)
    assert who(logs_in_with_password(iin)) == individual
    assert who(logs_in_with_password(iin, PROVIDER_BIN)) == representative
