"""Fixtures: the project's demo PKI (the session's ``demo_pki``) as the EDS trust anchors,
media in a temporary folder, and applications of both services driven through the real
workflow actions up to a decision waiting for the head's signature (the demo head
"zhumabaev" signs)."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from qyzmet.cases import actions as cases
from qyzmet.cases.models import DecisionKind
from qyzmet.demo.http_server import http_server
from qyzmet.testing import (
    CaseBuilder,
    build_case,
    pdf_bytes,
    session_pki,
    temporary_export_form,
    upload,
)
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
    """A paper case of ``service`` with the given JPEG photos as its scans."""
    attachments = [cases.AttachmentInput("application", upload("заявление.pdf", pdf_bytes()))]
    attachments += [
        cases.AttachmentInput("photos", upload(name, content, "image/jpeg"))
        for name, content in photos
    ]
    return build_case(staff, service=service, key=key, form=form, attachments=attachments)


def approval_decision(staff, service: str, **kwargs):
    application = CaseBuilder(staff, session_pki()).advance(
        register(staff, service, **kwargs), "checked"
    )
    return flow.prepare_decision(staff["executor"], application, kind=DecisionKind.APPROVAL)


def refusal_decision(staff, service: str, **kwargs):
    application = CaseBuilder(staff, session_pki()).advance(
        register(staff, service, **kwargs), "assigned"
    )
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


@pytest.fixture
def tsa_server(demo_pki):
    """Start a demo responder (a TSA, or an OCSP responder with ``OCSP_TYPES``) on an HTTP
    server of its own; its address. Stopped after the test."""
    servers = []

    def start(responder, types=None) -> str:
        server = http_server(responder, types) if types else http_server(responder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
