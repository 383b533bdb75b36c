"""A legal entity's representatives through /api/v1/ (issue 12, item 3): the same rule as the
portal (docs/accounts.md). Each representative signs up and logs in as themselves (IIN, for
the BIN, with the roles of their certificate); the entity's drafts and applications are seen
by each of them; only a signing right submits; another entity's representative sees none."""

import pytest

from qyzmet.demo.pki import COMPANY_BIN, PROVIDER_BIN

from .conftest import Api, ready_draft, sign_up, signature_over_request, signed_challenge

pytestmark = pytest.mark.django_db

PASSWORD = "Portal-Pass-2026!"


def with_password(api: Api) -> Api:
    assert api.post("/auth/password/", {"password": PASSWORD}).status_code == 200
    return api


def test_each_representative_signs_up_and_logs_in_as_themselves(pki, catalog):
    employee = with_password(sign_up(pki, "ospanova"))  # first, without the right to sign
    head = with_password(sign_up(pki, "serikbaev"))  # second: no account_exists any more
    iins = {p: pki.person(p)["iin"] for p in ("ospanova", "serikbaev")}
    me = {"ospanova": employee.get("/auth/me/").json(), "serikbaev": head.get("/auth/me/").json()}
    for person, profile in me.items():
        assert (profile["iin"], profile["bin"]) == (iins[person], COMPANY_BIN)
        assert profile["login"] == f"{iins[person]}@{COMPANY_BIN}"
    assert me["ospanova"]["certificate_roles"] == ["employee"]
    assert me["ospanova"]["may_sign_for_entity"] is False
    assert me["serikbaev"]["may_sign_for_entity"] is True

    for person in iins:
        api = Api()
        by_eds = api.post("/auth/log-in/eds/", signed_challenge(api, pki, person, "log_in"))
        assert by_eds.status_code == 200, by_eds.content
        assert by_eds.json()["user"]["iin"] == iins[person]
        by_password = Api().post(
            "/auth/log-in/", {"login": iins[person], "bin": COMPANY_BIN, "password": PASSWORD}
        )
        assert by_password.status_code == 200, by_password.content
        assert by_password.json()["user"]["login"] == f"{iins[person]}@{COMPANY_BIN}"
    # The BIN alone names no one: the one refusal of an unknown login or a wrong password.
    alone = Api().post("/auth/log-in/", {"login": COMPANY_BIN, "password": PASSWORD})
    assert alone.status_code == 400 and alone.json()["code"] == "login_incorrect"


def test_the_entitys_applications_are_the_entitys_and_the_head_submits(pki, catalog):
    employee = sign_up(pki, "ospanova")
    head = sign_up(pki, "serikbaev")
    draft = ready_draft(employee, "restoration-approval")

    # The head lists and reads the employee's draft; either can change it.
    assert [a["id"] for a in head.get("/applications/").json()["applications"]] == [draft["id"]]
    assert head.get(f"/applications/{draft['id']}/").status_code == 200

    refused = employee.post(
        f"/applications/{draft['id']}/submit/",
        {"signature": signature_over_request(employee, draft["id"], pki, "ospanova")},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "signer_not_representative"

    submitted = head.post(
        f"/applications/{draft['id']}/submit/",
        {"signature": signature_over_request(head, draft["id"], pki, "serikbaev")},
    )
    assert submitted.status_code == 201, submitted.content
    number = submitted.json()["registration_number"]
    rows = employee.get("/applications/").json()["applications"]
    assert [(r["id"], r["registration_number"]) for r in rows] == [(draft["id"], number)]
    detail = employee.get(f"/applications/{draft['id']}/").json()
    assert detail["applicant"]["representative_iin"] == pki.person("serikbaev")["iin"]


def test_another_entitys_representative_sees_none(pki, catalog):
    employee = sign_up(pki, "ospanova")
    draft = ready_draft(employee, "restoration-approval")
    other = sign_up(pki, "zhumabaev")  # first head of another BIN
    assert other.get("/auth/me/").json()["bin"] == PROVIDER_BIN
    individual = sign_up(pki, "abenova")
    for outsider in (other, individual):
        assert outsider.get("/applications/").json()["applications"] == []
        base = f"/applications/{draft['id']}"
        for path in ("/", "/request-to-sign/", "/result.pdf"):
            assert outsider.get(base + path).status_code == 404, path
        assert outsider.put(base + "/", {"form_data": {}}).status_code == 404
        assert outsider.post(base + "/submit/", {"signature": "QUFB"}).status_code == 404
        assert outsider.delete(base + "/attachments/1/").status_code == 404
