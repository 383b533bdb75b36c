"""Fixtures: the project's demo PKI (the session's ``demo_pki``) as the EDS trust anchors,
media in a temporary folder, and applications of both services driven through the real
workflow actions up to a decision waiting for the head's signature (the demo head
"zhumabaev" signs)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from qyzmet.cases import actions as cases
from qyzmet.cases.models import DecisionKind
from qyzmet.testing import documents_for, form_for, pdf_bytes, temporary_export_form, upload
from qyzmet.workflow import actions as flow


@pytest.fixture(autouse=True)
def _results_settings(settings, tmp_path, demo_pki):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QYZMET_PUBLIC_BASE_URL = "https://qyzmet.example.kz"
    from django.core.cache import cache

    cache.clear()


def jpeg_bytes(color=(180, 40, 30), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=80)
    return out.getvalue()


def register(staff, service: str, *, key: str = "r1", form: dict | None = None, photos=()):
    attachments = [cases.AttachmentInput("application", upload("заявление.pdf", pdf_bytes()))]
    attachments += [
        cases.AttachmentInput("photos", upload(name, content, "image/jpeg"))
        for name, content in photos
    ]
    return cases.register_paper_application(
        staff["clerk"],
        service_code=service,
        applicant=cases.ApplicantInput(
            kind="individual",
            name="Әбенова Дана Ерланқызы",
            iin="900101300007",
            manual=True,
            manual_reason="test: entered by hand",
        ),
        form_data=form or form_for(service),
        paper_documents=documents_for(service, "office"),
        attachments=attachments,
        idempotency_key=key,
    )


def approval_decision(staff, service: str, **kwargs):
    application = register(staff, service, **kwargs)
    flow.assign_executor(staff["head"], application, staff["executor"])
    flow.record_completeness_check(staff["executor"], application, complete=True)
    return flow.prepare_decision(staff["executor"], application, kind=DecisionKind.APPROVAL)


def refusal_decision(staff, service: str, **kwargs):
    application = register(staff, service, **kwargs)
    flow.assign_executor(staff["head"], application, staff["executor"])
    flow.record_completeness_check(
        staff["executor"],
        application,
        complete=False,
        reason_codes=["incomplete_documents"],
        explanation="Не представлены цветные фотографии предметов №2 и №3.",
    )
    return flow.current_decision(application)


@pytest.fixture
def certificate_decision(catalog, staff):
    form = temporary_export_form(items=3)
    photos = [("photo-1.jpg", jpeg_bytes()), ("photo-3.jpg", jpeg_bytes((20, 90, 160)))]
    return approval_decision(staff, "temporary-export", form=form, photos=photos)


@pytest.fixture
def letter_decision(catalog, staff):
    return approval_decision(staff, "restoration-approval", key="r2")


@pytest.fixture
def refusal(catalog, staff):
    return refusal_decision(staff, "temporary-export", key="r3")
