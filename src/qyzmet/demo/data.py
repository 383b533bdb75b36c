"""Demo data for `make run`: staff of every role, the demo PKI, and cases in every state.

Idempotent: users and the PKI are kept when they exist; the sample cases are created once
(marked by their idempotency keys). Everything goes through the real actions, so the demo
cases have tasks, deadlines, audit records and signatures like any other.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from qyzmet.accounts.models import Role, User
from qyzmet.demo.people import INDIVIDUALS
from qyzmet.testing import (
    DEMO_STAFF_PASSWORD,
    documents_for,
    form_for,
    pdf_bytes,
    png_bytes,
    upload,
)

STAFF = [
    ("clerk", Role.CLERK, "Сейтова", "Айгерим"),
    ("executor", Role.EXECUTOR, INDIVIDUALS["kim"].surname, INDIVIDUALS["kim"].given_name),
    ("executor2", Role.EXECUTOR, "Омарова", "Сауле"),
    ("head", Role.HEAD, INDIVIDUALS["zhumabaev"].surname, INDIVIDUALS["zhumabaev"].given_name),
    ("admin", Role.ADMINISTRATOR, "Администратор", "Системы"),
]


# The positions the signature blocks of the results print under the head's name.
POSITIONS = {
    "head": {
        "position_kk": "Басқарма басшысы",
        "position_ru": "Руководитель управления",
        "position_en": "Head of the Department",
    },
}


def pki_dir() -> Path:
    return Path(getattr(settings, "QYZMET_EDS_DEMO_PKI_DIR", Path(settings.VAR_DIR) / "pki"))


def _ensure_pki(base_url: str):
    from qyzmet.demo.pki import create_demo_pki

    return create_demo_pki(pki_dir(), base_url=base_url)


def _people(pki_directory: Path) -> list[dict]:
    return json.loads((pki_directory / "index.json").read_text(encoding="utf-8"))["people"]


def _ensure_staff(people: list[dict]) -> dict[str, User]:
    head_key = next((p for p in people if p.get("role") == "provider_head"), None)
    users = {}
    for username, role, last, first in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                password=DEMO_STAFF_PASSWORD,
                role=role,
                last_name=last,
                first_name=first,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
                **POSITIONS.get(username, {}),
            )
        if role == Role.HEAD and head_key and user.iin != head_key["iin"]:
            user.iin = head_key["iin"]
            user.save(update_fields=["iin"])
        unset = {k: v for k, v in POSITIONS.get(username, {}).items() if not getattr(user, k)}
        if unset:  # a demo made before positions were kept
            User.objects.filter(pk=user.pk).update(**unset)
            for name, value in unset.items():
                setattr(user, name, value)
        users[username] = user
    return users


@contextlib.contextmanager
def _demo_tsa_while_the_server_is_down():
    """The sample cases' signed results are time-stamped (PAdES), but ``demo setup`` runs
    before ``qyzmet serve``, whose demo PKI services are the demo TSA: unless a TSA is
    configured, the same responder answers on a port of its own meanwhile."""
    import threading

    from django.conf import settings
    from django.test.utils import override_settings

    from qyzmet.demo.http_server import http_server
    from qyzmet.demo.pki import load_demo_pki

    if getattr(settings, "QYZMET_TSA_URL", None):
        yield
        return
    server = http_server(load_demo_pki(pki_dir()).tsa_responder())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with override_settings(QYZMET_TSA_URL=f"http://127.0.0.1:{server.server_address[1]}/"):
            yield
    finally:
        server.shutdown()
        server.server_close()


def _sign_as_head(head_person: dict, content: bytes) -> bytes:
    from qyzmet.eds.signing import sign_detached

    p12 = (pki_dir() / head_person["sign_p12"]).read_bytes()
    return sign_detached(content, p12, head_person["password"])


def _sample_cases(users: dict[str, User], people: list[dict]) -> list[str]:
    from qyzmet.cases import actions as cases
    from qyzmet.cases.models import Application, DecisionKind
    from qyzmet.workflow import actions as flow

    if Application.objects.filter(idempotency_key__startswith="demo-").exists():
        return []
    clerk, head, executor = users["clerk"], users["head"], users["executor"]
    head_person = next(p for p in people if p.get("role") == "provider_head")
    created = []

    def register(n: int, service: str, person: str):
        name, iin = INDIVIDUALS[person].full_name, INDIVIDUALS[person].iin
        attachments = [
            cases.AttachmentInput("application", upload("заявление.pdf", pdf_bytes(f"demo {n}")))
        ]
        if service == "temporary-export":
            attachments.append(
                cases.AttachmentInput("photos", upload("photo-1.jpg", png_bytes(), "image/png"))
            )
        app = cases.register_paper_application(
            clerk,
            service_code=service,
            applicant=cases.ApplicantInput(
                kind="individual",
                name=name,
                iin=iin,
                manual=True,
                manual_reason="демонстрационные данные",
            ),
            form_data=form_for(service),
            paper_documents=documents_for(service, "office"),
            attachments=attachments,
            idempotency_key=f"demo-{n}",
        )
        created.append(f"{app.registration_number} {service}")
        return app

    def sign(app):
        decision = flow.prepare_signing(head, app)  # as the head's sign page does
        flow.sign_decision(
            head,
            app,
            signed_content=bytes(decision.signed_content),
            signature=_sign_as_head(head_person, bytes(decision.signed_content)),
        )

    with transaction.atomic():
        register(1, "temporary-export", "abenova")  # awaits assignment
        app = register(2, "restoration-approval", "nurlanov")
        flow.assign_executor(head, app, executor)  # awaits the completeness check
        app = register(3, "temporary-export", "ivanova")
        flow.assign_executor(head, app, executor)
        flow.record_completeness_check(executor, app, complete=True)  # being prepared
        app = register(4, "restoration-approval", "abenova")
        flow.assign_executor(head, app, executor)
        flow.record_completeness_check(executor, app, complete=True)
        flow.prepare_decision(
            executor, app, kind=DecisionKind.APPROVAL
        )  # awaits the head's signature
        app = register(5, "temporary-export", "nurlanov")
        flow.assign_executor(head, app, executor)
        flow.record_completeness_check(executor, app, complete=True)
        flow.prepare_decision(executor, app, kind=DecisionKind.APPROVAL)
        sign(app)  # signed, awaits hand-over at the office
        app = register(6, "temporary-export", "ivanova")
        flow.assign_executor(head, app, executor)
        flow.record_completeness_check(
            executor,
            app,
            complete=False,
            reason_codes=["incomplete_documents"],
            explanation="Не представлены цветные фотографии предметов.",
        )
        sign(app)  # motivated refusal signed
    return created


def setup_demo(*, base_url: str | None = None) -> str:
    """``base_url``: the demo PKI services' address the certificates name (default
    ``http://127.0.0.1:{QYZMET_DEMO_SERVICES_PORT}``); another one than the existing demo
    PKI's re-issues it."""
    from qyzmet.catalog.loader import load_catalog
    from qyzmet.demo.pki import COMPANY_BIN

    load_catalog()
    pki = _ensure_pki(base_url or f"http://127.0.0.1:{settings.QYZMET_DEMO_SERVICES_PORT}")
    people = _people(pki_dir())
    users = _ensure_staff(people)
    with _demo_tsa_while_the_server_is_down():
        created = _sample_cases(users, people)
    lines = [
        "Demo log-ins (staff desk, password for all: " + DEMO_STAFF_PASSWORD + "):",
        *[f"  {username:<10} {role}" for username, role, *_ in STAFF],
        "",
        f"Demo EDS key files (PKCS#12): {pki_dir()}",
        pki.to_text() if hasattr(pki, "to_text") else "",
        "",
        "eGov mobile (QR): the sign-up, log-in, review and signing pages show a QR code and its",
        "text; play the phone with: .venv/bin/qyzmet egov-mobile-simulator --qr 'mobileSign:…' \\",
        "    --key <a SIGN key file above (an AUTH one to sign up / log in)> --password <its password>",
        "",
        "A legal entity's people each sign up with their own AUTH key (serikbaev, its first head;",
        "ospanova, an employee who prepares drafts but cannot sign them) and log in with their",
        f"IIN plus the BIN {COMPANY_BIN} and their password; both see the entity's applications",
        "(docs/accounts.md).",
    ]
    if created:
        lines += ["", "Sample cases created:", *[f"  {c}" for c in created]]
    text = "\n".join(lines)
    (Path(settings.VAR_DIR) / "demo-logins.txt").write_text(text + "\n", encoding="utf-8")
    return text
