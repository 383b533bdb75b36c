"""Issue 12, finding 8: quotas with codes, on the API as on every channel (the actions
check them): files per application and per document, total bytes, open drafts."""

import pytest

from qyzmet.cases.models import Application, Attachment
from qyzmet.testing import pdf_bytes, upload

from .conftest import new_draft

pytestmark = pytest.mark.django_db


def attach_pdf(api, draft_id, code="purpose_document", size=0):
    return api.upload(
        f"/applications/{draft_id}/attachments/",
        {"document_code": code, "file": upload(f"{code}.pdf", pdf_bytes(code, pad_to=size))},
    )


def test_files_per_application_and_per_document(individual, settings):
    settings.QYZMET_QUOTA_ATTACHMENTS_PER_APPLICATION = 3
    settings.QYZMET_QUOTA_ATTACHMENTS_PER_DOCUMENT = 2
    draft = new_draft(individual)["id"]
    assert attach_pdf(individual, draft).status_code == 201
    assert attach_pdf(individual, draft).status_code == 201
    third = attach_pdf(individual, draft)
    assert third.status_code == 409, third.content
    assert third.json()["code"] == "quota_attachments_per_document"
    assert "не более 2" in third.json()["message"]
    assert attach_pdf(individual, draft, "other").status_code == 201
    fourth = attach_pdf(individual, draft, "photos")
    assert fourth.status_code == 409 and fourth.json()["code"] == "quota_attachments"
    assert Attachment.objects.count() == 3


def test_total_bytes_per_application(individual, settings):
    settings.QYZMET_QUOTA_APPLICATION_BYTES = 1024 * 1024
    draft = new_draft(individual)["id"]
    assert attach_pdf(individual, draft, size=600_000).status_code == 201
    over = attach_pdf(individual, draft, "other", size=600_000)
    assert over.status_code == 409 and over.json()["code"] == "quota_application_bytes"
    assert Attachment.objects.count() == 1


def test_open_drafts_per_applicant(individual, other_individual, settings):
    settings.QYZMET_QUOTA_OPEN_DRAFTS = 2
    new_draft(individual)
    new_draft(individual)
    refused = individual.post("/applications/", {"service": "temporary-export", "form_data": {}})
    assert refused.status_code == 409 and refused.json()["code"] == "quota_open_drafts"
    assert Application.objects.count() == 2
    new_draft(other_individual)  # a quota of each applicant, not of everybody
