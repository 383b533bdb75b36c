"""Applying on the portal through its pages, as the browser posts them (Django's test client):
a new draft, its form and attachments, the request signed with a demo key and submitted; the
head's signature on the desk. Shared by the portal's page, walkthrough, entity-account and
notification tests."""

import base64

from qyzmet.cases.models import Application, Status
from qyzmet.testing import PORTAL_UPLOADS, form_for, pdf_bytes, png_bytes, upload
from qyzmet.workflow import actions as workflow

from .conftest import form_post


def new_draft(client, service="temporary-export") -> Application:
    response = client.post(f"/applications/new/{service}/")
    assert response.status_code == 302, response.content
    return Application.objects.get(public_id=response.url.split("/")[2])


def fill(client, draft, data, action="save"):
    return client.post(
        f"/applications/{draft.public_id}/edit/", {**form_post(data), "action": action}
    )


def attach_all(client, draft, service):
    for code in PORTAL_UPLOADS[service]:
        content = png_bytes() if code == "photos" else pdf_bytes(code)
        name = f"{code}.png" if code == "photos" else f"{code}.pdf"
        response = client.post(
            f"/applications/{draft.public_id}/attachments/",
            {"document_code": code, "file": upload(name, content)},
            HTTP_ACCEPT="application/json",
        )
        assert response.json()["ok"], response.content


def ready_draft(client, service="temporary-export") -> Application:
    draft = new_draft(client, service)
    fill(client, draft, form_for(service))
    attach_all(client, draft, service)
    return draft


def signature_for(client, draft, pki, person: str, key: str = "sign") -> str:
    """The request as the page signs it, with the demo person's ``key`` ("sign" or "auth")."""
    content = client.get(f"/applications/{draft.public_id}/request.bin").content
    return base64.b64encode(pki.sign(person, content, key)).decode()


def submit(client, draft, signature):
    return client.post(f"/applications/{draft.public_id}/submit/", {"signature": signature})


def registered(pki, client) -> Application:
    draft = ready_draft(client)
    submit(client, draft, signature_for(client, draft, pki, "abenova"))
    draft.refresh_from_db()
    return draft


def head_signs(pki, head, application, key: str = "zhumabaev"):
    """The head signs the prepared result with their GOST key (or, for pdfsig, which knows no
    GOST, their legacy RSA kit "zhumabaev-rsa": the same person and IIN)."""
    decision = workflow.current_decision(application)
    content = bytes(decision.signed_content)  # the bytes the server prepared (PDF byte range)
    workflow.sign_decision(
        head,
        application,
        signature=pki.sign(key, content),
        signed_content=content,
    )


def saved_as_registered(client, number: str):
    """A portal application in the state a registration leaves it (saved: no mail by itself)."""
    draft = new_draft(client)
    draft.status = Status.REGISTERED
    draft.registration_number = number
    draft.save()
    return draft
