"""Reads of the API: what each endpoint returns, as plain JSON-ready data. Texts come in the
request's language; catalogue texts keep all three languages where a client may want them."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from qyzmet.accounts.models import Role, User
from qyzmet.cases.models import Application, DecisionState, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.cases.queries import (
    application_of,
    applications_of,
    case_detail,
    registration_times,
    with_details,
)
from qyzmet.catalog import conf as catalog_conf
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.queries import services_in_force
from qyzmet.core.refusals import Refused
from qyzmet.workflow.queries import inbox, timeline

from .errors import language


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def status_text(status: str) -> str:
    try:
        from qyzmet.portal.texts import text

        return text(f"status_{status}", language())
    except (ImportError, KeyError):
        return str(Status(status).label)


# --- catalogue -----------------------------------------------------------------------------


def _usable_versions() -> QuerySet[ServiceVersion]:
    versions = ServiceVersion.objects.order_by("service_code", "effective_from")
    return versions if catalog_conf.demo_enabled() else versions.filter(is_demo=False)


def _version_summary(version: ServiceVersion, today) -> dict[str, Any]:
    in_force = version.is_in_force_on(today)
    return {
        "service": version.service_code,
        "version": version.version,
        "title": version.title(language()),
        "is_demo": version.is_demo,
        "effective_from": version.effective_from.isoformat(),
        "effective_until": version.effective_until.isoformat() if version.effective_until else None,
        "in_force": in_force,
        "repealed": version.is_repealed_on(today),
        "accepts_applications": in_force and "portal" in version.channels,
        "url": reverse("api:service-version", args=[version.service_code, version.version]),
    }


def services(now: datetime | None = None) -> list[dict[str, Any]]:
    """The services in force (one version each), p.12 of the regulation."""
    today = timezone.localdate(now or timezone.now())
    return [_version_summary(v, today) for v in services_in_force(today)]


def service_version(code: str, version_label: str | None = None) -> ServiceVersion:
    """The named version, or the version in force today (the latest one if none is)."""
    versions = [v for v in _usable_versions() if v.service_code == code]
    if version_label is not None:
        versions = [v for v in versions if v.version == version_label]
    if not versions:
        raise Refused("not_found")
    today = timezone.localdate()
    in_force = [v for v in versions if v.is_in_force_on(today)]
    return (in_force or versions)[-1]


def passport(version: ServiceVersion) -> dict[str, Any]:
    """The service passport: who may apply, cost, term, schedule, documents, result, legal
    basis and its status, helpline (regulation p.12; Standard items 1–9)."""
    today = timezone.localdate()
    definition = version.definition
    others = [v for v in _usable_versions() if v.service_code == version.service_code]
    return {
        **_version_summary(version, today),
        "titles": {"ru": version.title_ru, "kk": version.title_kk, "en": version.title_en},
        "provider": definition["provider"],
        "recipients": definition["recipients"],
        "fee": definition["fee"],
        "term": definition["term"],
        "term_working_days": version.term_working_days,
        "schedule": definition["schedule"],
        "channels": definition["channels"],
        "documents": definition["documents"],
        "result": definition["result"],
        "refusal_reasons": definition["refusal_reasons"],
        "legal_basis": definition["legal_basis"],
        "helpline": definition["helpline"],
        "complaints": definition.get("complaints"),
        "form_schema_url": reverse(
            "api:service-form-schema", args=[version.service_code, version.version]
        ),
        "versions": [_version_summary(v, today) for v in others],
    }


# --- applications --------------------------------------------------------------------------


def own_application(user, public_id) -> Application:
    """The applicant's application (an entity's: any of its representatives', as on the
    portal: ``cases.queries.applicant_scope``); anybody else's does not exist for them (404)."""
    application = application_of(user, public_id)
    if application is None:
        raise Refused("not_found")
    return application


def staff_application(public_id) -> Application:
    """Any registered case (drafts are the applicants' own business)."""
    application = (
        Application.objects.select_related("service_version")
        .filter(public_id=public_id)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if application is None:
        raise Refused("not_found")
    return application


def application_row(application: Application) -> dict[str, Any]:
    version = application.service_version
    times = registration_times(application)
    return {
        "id": str(application.public_id),
        "service": version.service_code,
        "service_version": version.version,
        "title": version.title(language()),
        "channel": application.channel,
        "status": application.status,
        "status_text": status_text(application.status),
        "outcome": application.outcome or None,
        "registration_number": application.registration_number,
        "created_at": _iso(application.created_at),
        # When the applicant signed / handed it in, and when it counts as registered (the
        # next working moment): the same two moments every page and receipt shows.
        "submitted_at": _iso(times.submitted_at),
        "registered_at": _iso(times.registered_at),
        "deadline_at": _iso(application.deadline_at),
        "completed_at": _iso(application.completed_at),
        "url": reverse("api:application", args=[application.public_id]),
    }


def my_applications(user) -> list[dict[str, Any]]:
    return [application_row(a) for a in applications_of(user)]


def _attachment(a) -> dict[str, Any]:
    return {
        "id": a.pk,
        "document_code": a.document_code,
        "name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "uploaded_at": _iso(a.uploaded_at),
    }


def _step_name(version: ServiceVersion, code: str, channel: str) -> str:
    try:
        return version.step(code, channel).name.text(language())
    except KeyError:
        return code


def _timeline(application: Application) -> list[dict[str, Any]]:
    version = application.service_version
    return [
        {
            "step": task.step,
            "name": _step_name(version, task.step, application.channel),
            "started_at": _iso(task.created_at),
            "due_at": _iso(task.due_at),
            "completed_at": _iso(task.done_at),
            "outcome": task.outcome or None,
            "overdue": task.completed_at is None and task.due_at < timezone.now(),
        }
        for task in timeline(application)
    ]


def _reasons(application: Application, codes) -> list[dict[str, str]]:
    reasons = application.service_version.refusal_reasons
    return [
        {"code": code, "text": reasons[code].texts.text(language()) if code in reasons else code}
        for code in codes
    ]


def _signed_decision(application: Application):
    signed = [d for d in application.decisions.all() if d.state == DecisionState.SIGNED]
    return signed[-1] if signed else None


def application_detail(application: Application) -> dict[str, Any]:
    """Status with the timeline of steps and dates, the deadline, the refusal reasons, and
    where the result is (p.11)."""
    # A result exists only for a finished case: the decisions of any other are not read.
    application = with_details(application, decisions=application.is_final)
    decision = _signed_decision(application) if application.is_final else None
    issued = decision is not None
    return {
        **application_row(application),
        "applicant": {
            "kind": application.applicant_kind,
            "name": application.applicant_name,
            "iin": application.applicant_iin or None,
            "bin": application.applicant_bin or None,
            "representative_iin": application.representative_iin or None,
        },
        "form_data": application.form_data,
        "revision": application.revision,
        "term_working_days": application.service_version.term_working_days,
        "attachments": [_attachment(a) for a in application.attachments.all()],
        "timeline": _timeline(application),
        "refusal_reasons": _reasons(application, application.refusal_codes),
        "result": {
            "issued": issued,
            "kind": decision.kind if issued else None,
            "signed_at": _iso(decision.signed_at) if issued else None,
            "explanation": decision.explanation if issued else None,
            "pdf_url": reverse("api:application-result", args=[application.public_id])
            if issued
            else None,
        },
    }


def staff_detail(application: Application) -> dict[str, Any]:
    application = case_detail(application.public_id)
    detail = application_detail(application)
    detail["executor"] = _person(application.executor)
    detail["paper_documents"] = application.paper_documents
    detail["decisions"] = [
        {
            "id": d.pk,
            "kind": d.kind,
            "state": d.state,
            "reason_codes": d.reason_codes,
            "explanation": d.explanation,
            "result_data": d.result_data,
            "prepared_at": _iso(d.prepared_at),
            "signed_at": _iso(d.signed_at),
            "return_comment": d.return_comment or None,
        }
        for d in application.decisions.all()
    ]
    detail["url"] = reverse("api:staff-application", args=[application.public_id])
    return detail


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name, "role": user.role}


def bytes_to_sign(content: bytes) -> dict[str, Any]:
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "sha256": hashlib.sha256(content).hexdigest(),
        "length": len(content),
    }


def request_to_sign(application: Application, signer) -> dict[str, Any]:
    """The canonical request of a draft: exactly the bytes ``signer`` signs (p.10 процесс 6;
    a legal entity's names the representative who signs it)."""
    if application.status != Status.DRAFT:
        raise Refused("not_a_draft")
    return bytes_to_sign(canonical_request(application, signer=signer))


def decision_to_sign(application: Application) -> dict[str, Any]:
    """The prepared decision awaiting the head's signature and the exact bytes to sign."""
    decision = application.decisions.filter(state=DecisionState.AWAITING_SIGNATURE).first()
    if decision is None:
        raise Refused("wrong_step")
    return {
        "decision": {
            "id": decision.pk,
            "kind": decision.kind,
            "reason_codes": decision.reason_codes,
            "explanation": decision.explanation,
            "result_data": decision.result_data,
            "prepared_at": _iso(decision.prepared_at),
        },
        **bytes_to_sign(bytes(decision.signed_content)),
    }


# --- staff ---------------------------------------------------------------------------------


def inbox_rows(user, *, page: int, step: str | None) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "task": row.task.step,
            "assigned_to_me": row.task.assignee_id == user.pk,
            "due_at": _iso(row.task.due_at),
            "overdue": row.overdue,
            "application": {
                "id": str(row.task.application.public_id),
                "registration_number": row.task.application.registration_number,
                "applicant_name": row.task.application.applicant_name,
                "service": row.task.application.service_version.service_code,
                "status": row.task.application.status,
                "channel": row.task.application.channel,
                "url": reverse("api:staff-application", args=[row.task.application.public_id]),
            },
        }
        for row in inbox(user, page=page, step=step, now=now)
    ]


def executors() -> list[dict[str, Any]]:
    people = User.objects.filter(role=Role.EXECUTOR, is_active=True).order_by(
        "last_name", "first_name", "id"
    )
    return [_person(p) for p in people]


def user_profile(user) -> dict[str, Any]:
    return {
        "id": user.pk,
        "login": user.username,
        "role": user.role,
        "name": user.display_name,
        "iin": user.iin or None,
        "bin": user.bin or None,
        "organization": getattr(user, "organization", "") or None,
        # A legal entity's representative: the roles of their certificate for it, and
        # whether those let them sign its requests (None: not known until an EDS log-in).
        "certificate_roles": list(user.certificate_roles or ()),
        "may_sign_for_entity": user.may_sign_for_entity,
        "email": user.email or None,
        "has_portal_password": user.has_usable_password(),
    }
