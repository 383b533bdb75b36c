"""Reads behind the portal's pages: the catalogue's passports (p.12), the applicant's cases
with their progress (p.11), the documents of a draft. Only reads; plain data for templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from qyzmet.cases.models import Application, Channel, DecisionState, Status
from qyzmet.cases.queries import (
    RegistrationTimes,
    applicant_scope,
    application_of,
    case_detail,
    registration_times,
)
from qyzmet.catalog import conf as catalog_conf
from qyzmet.catalog.models import ServiceVersion
from qyzmet.workflow.queries import timeline

from .texts import text


def _language() -> str:
    return (translation.get_language() or "ru")[:2]


def _usable_versions():
    versions = ServiceVersion.objects.order_by("service_code", "effective_from")
    return versions if catalog_conf.demo_enabled() else versions.filter(is_demo=False)


# --- catalogue --------------------------------------------------------------------------------


@dataclass
class VersionRow:
    version: ServiceVersion
    in_force: bool
    repealed: bool
    status_text: str


def _version_row(version: ServiceVersion, today: date) -> VersionRow:
    repealed = version.is_repealed_on(today)
    if repealed:
        status = text("repealed_since", date=version.effective_until.strftime("%d.%m.%Y"))
    else:
        status = text("in_force_since", date=version.effective_from.strftime("%d.%m.%Y"))
    return VersionRow(version, version.is_in_force_on(today), repealed, status)


def _current(versions: list[ServiceVersion], today: date) -> ServiceVersion:
    """The version in force today; else the latest one (then the service is repealed)."""
    in_force = [v for v in versions if v.is_in_force_on(today)]
    return (in_force or versions)[-1]


def catalogue(now: datetime) -> list[dict[str, Any]]:
    today = timezone.localdate(now)
    by_code: dict[str, list[ServiceVersion]] = {}
    for version in _usable_versions():
        by_code.setdefault(version.service_code, []).append(version)
    rows = []
    for code, versions in sorted(by_code.items()):
        current = _current(versions, today)
        rows.append(
            {
                "code": code,
                "current": _version_row(current, today),
                "fee": fee_text(current.definition["fee"]),  # as its passport states it
            }
        )
    return rows


def passport(code: str, version_label: str | None, now: datetime) -> dict[str, Any] | None:
    today = timezone.localdate(now)
    versions = [v for v in _usable_versions() if v.service_code == code]
    if not versions:
        return None
    if version_label is None:
        shown = _current(versions, today)
    else:
        shown = next((v for v in versions if v.version == version_label), None)
        if shown is None:
            return None
    definition = shown.definition
    row = _version_row(shown, today)
    schedule = definition["schedule"]
    return {
        "code": code,
        "v": shown,
        "row": row,
        "versions": [_version_row(v, today) for v in versions],
        "can_apply": row.in_force and Channel.PORTAL in shown.channels,
        "recipients": [text(kind) for kind in shown.recipients],
        "free": definition["fee"].get("free", False),
        "fee": fee_text(definition["fee"]),
        "term_days": shown.term_working_days,
        "schedule": text(
            "schedule_text",
            start=schedule["start"][:5],
            end=schedule["end"][:5],
            lunch_start=schedule["lunch_start"][:5],
            lunch_end=schedule["lunch_end"][:5],
        ),
        "documents": shown.documents(Channel.PORTAL),
        "channels": definition["channels"],
        "result_name": shown.result_name,
        "legal_basis": definition["legal_basis"],
        "helpline": shown.helpline,
        "provider": shown.provider_name,
        "complaints": definition.get("complaints"),
    }


def fee_text(fee: dict) -> str:
    """The passport's cost: "free of charge", or the catalogue's amount in its currency as
    the page's language writes money (CLDR via Babel)."""
    from babel.numbers import format_currency

    if fee.get("free", False):
        return text("free")
    return format_currency(fee.get("amount", 0), fee.get("currency", "KZT"), locale=_language())


# --- the applicant's cases --------------------------------------------------------------------


def own_application(user, public_id) -> Application | None:
    """The applicant's application (an entity's: any of its representatives'), or None."""
    return application_of(user, public_id)


def my_application_rows(applications) -> list[dict[str, Any]]:
    return [
        {
            "a": a,
            "title": a.service_version.title(_language()),
            "status": text(f"status_{a.status}"),
        }
        for a in applications
    ]


def draft_rows(user) -> list[dict[str, Any]]:
    """The applicant's open drafts, latest change first: the service, when it last changed
    (the form saved or a file attached or removed) and how many files it holds."""
    from django.db.models import Count, Max

    drafts = (
        Application.objects.filter(applicant_scope(user), status=Status.DRAFT)
        .select_related("service_version")
        .annotate(last_upload=Max("attachments__uploaded_at"), files=Count("attachments"))
    )
    rows = [
        {
            "a": a,
            "title": a.service_version.title(_language()),
            "changed": max(t for t in (a.updated_at, a.last_upload) if t is not None),
            "files": a.files,
        }
        for a in drafts
    ]
    return sorted(rows, key=lambda r: r["changed"], reverse=True)


def attachment_limit_mb() -> int:
    return settings.QYZMET_ATTACHMENT_MAX_BYTES // (1024 * 1024)


def accepted_types() -> list[str]:
    return list(settings.QYZMET_ATTACHMENT_TYPES)


def document_slots(application: Application) -> list[dict[str, Any]]:
    """One slot per document of the portal channel: its files, or that the form holds it."""
    attachments = list(application.attachments.order_by("uploaded_at", "id"))
    slots = []
    for document in application.service_version.documents(Channel.PORTAL):
        in_form = document.in_request(Channel.PORTAL)
        slots.append(
            {
                "doc": document,
                "in_form": in_form,
                "files": [a for a in attachments if a.document_code == document.code],
            }
        )
    return slots


def missing_documents(application: Application) -> list:
    """Required documents that must be uploaded and are not, as ``submit_draft`` counts them."""
    present = set(application.attachments.values_list("document_code", flat=True))
    return [
        d
        for d in application.service_version.documents_to_hand_in(Channel.PORTAL)
        if d.code not in present
    ]


def _flatten(fields, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for f in fields:
        label = f"{prefix}{f.label}" if f.label else prefix.rstrip(" /")
        if f.kind == "group":
            rows += _flatten(f.children, f"{label} / " if label else "")
        elif f.kind == "list":
            for index, row in enumerate(f.rows, start=1):
                rows += _flatten(row, f"{label} №{index} / ")
        elif f.kind in ("select", "checkboxes"):
            chosen = ", ".join(option_label for _, option_label, on in f.options if on)
            rows.append((label, chosen))
        else:
            rows.append((label, str(f.value) if f.value not in (None, "") else ""))
    return rows


def review_summary(application: Application, fields) -> dict[str, Any]:
    return {
        "rows": [(label, value) for label, value in _flatten(fields) if value],
        "attachments": list(application.attachments.order_by("document_code", "id")),
    }


# --- one case: status, timeline, deadline, result ---------------------------------------------


@dataclass
class CaseView:
    application: Application
    title: str
    status_text: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    times: RegistrationTimes | None = None
    term_days: int = 0
    remaining: str = ""  # the deadline in working days: left, due today, overdue by
    overdue: bool = False
    document: list[dict[str, Any]] = field(default_factory=list)  # the form as submitted
    files: list = field(default_factory=list)
    refusal_reasons: list[str] = field(default_factory=list)
    explanation: str = ""
    has_document: bool = False
    pdf_url: str | None = None
    verification_url: str | None = None


def _step_name(version: ServiceVersion, code: str, channel: str) -> str:
    try:
        return version.step(code, channel).name.text(_language())
    except KeyError:
        return code


def _signed_decision(application: Application):
    signed = [d for d in application.decisions.all() if d.state == DecisionState.SIGNED]
    return signed[-1] if signed else None


def result_document(application: Application):
    """The issued, signed result PDF of the results app (None until it exists)."""
    from qyzmet.results.queries import document_for

    document = document_for(application)
    return document if document is not None and document.pdf else None


def result_pdf_url(application: Application) -> str | None:
    if result_document(application) is None:
        return None
    return reverse("portal:result_pdf", args=[application.public_id])


def verification_url(application: Application) -> str | None:
    """The public verification page of the result (the one behind its QR code)."""
    document = result_document(application)
    if document is None:
        return None
    return reverse(
        "results:verify",
        kwargs={
            "registration_number": application.registration_number,
            "token": document.token,
        },
    )


def case_view(application: Application) -> CaseView:
    application = case_detail(application.public_id)
    version = application.service_version
    language = _language()
    reasons = version.refusal_reasons
    view = CaseView(
        application=application,
        title=version.title(language),
        status_text=text(f"status_{application.status}"),
        times=registration_times(application),
        term_days=version.term_working_days,
        refusal_reasons=[
            reasons[code].texts.text(language) if code in reasons else code
            for code in application.refusal_codes
        ],
    )
    view.remaining, view.overdue = remaining_text(application, timezone.now())
    view.document = submitted_document(application)
    view.files = list(application.attachments.order_by("document_code", "id"))
    for task in timeline(application):
        view.steps.append(
            {
                "name": _step_name(version, task.step, application.channel),
                "started": task.created_at,
                "due": task.due_at,
                "completed": task.done_at,
                "open": task.completed_at is None,
            }
        )
    decision = _signed_decision(application)
    if decision is not None:
        view.explanation = decision.explanation
        view.has_document = application.is_final
        if view.has_document:
            view.pdf_url = result_pdf_url(application)
            view.verification_url = verification_url(application)
    return view


def remaining_text(application: Application, now: datetime) -> tuple[str, bool]:
    """The deadline in working days of the service's calendar (calendar app): "N working
    days left", "due today", or "overdue by N working days"; nothing once the case is
    finished or has no deadline."""
    from qyzmet.workflow.engine import calendar_for

    deadline = application.deadline_at
    if deadline is None or application.is_final:
        return "", False
    calendar = calendar_for(application)
    if now > deadline:
        late = calendar.working_days_between(
            timezone.localtime(deadline).date(), timezone.localdate(now)
        )
        return text("overdue_by", days=max(late, 1)), True
    today = calendar.working_day_of(now)
    left = calendar.working_days_between(today, timezone.localtime(deadline).date())
    if left <= 0:
        return text("due_today"), False
    return text("days_left", days=left), False


def submitted_document(application: Application) -> list[dict[str, Any]]:
    """What the applicant submitted, as a readable document: labels from the catalogue's
    form, choices by name, items as a table (``schema_form.document_blocks``)."""
    from qyzmet.catalog.schema_form import build_fields, document_blocks

    names: dict[str, list[str]] = {}
    for a in application.attachments.all():
        names.setdefault(a.document_code, []).append(a.original_name)
    fields = build_fields(
        application.service_version.form_schema,
        application.form_data,
        language=_language(),
        attachments=names,
    )
    return document_blocks(fields)


def own_attachment(user, public_id, attachment_id: int):
    """A file of the applicant's own submitted case — an entity's for each of its
    representatives (``applicant_scope``) — or None for anyone else's."""
    from qyzmet.cases.models import Attachment

    application = application_of(user, public_id)
    if application is None or application.status == Status.DRAFT:
        return None
    return Attachment.objects.filter(pk=attachment_id, application=application).first()


def output_document(application: Application) -> dict[str, Any] | None:
    """The signed result as the page shows it: the document composed from the same catalogue
    template as its PDF (``results/_document.html``), who signed and when."""
    from qyzmet.results.queries import document_title, document_view

    application = case_detail(application.public_id)
    if not application.is_final:
        return None
    decision = _signed_decision(application)
    if decision is None:
        return None
    document = result_document(application)
    if document is None:
        return None
    signer = decision.signer_certificate or {}
    subject = signer.get("subject") or {}
    return {
        "decision": decision,
        "name": document_title(document, _language()),
        "document": document_view(document),
        "signer_name": subject.get("common_name")
        or (decision.signed_by and decision.signed_by.display_name),
        "signer_serial": signer.get("serial", ""),
    }
