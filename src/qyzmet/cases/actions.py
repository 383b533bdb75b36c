"""Writes to the register: registration of paper and portal applications, intake refusals,
attachments. Each public function is one transaction, permission-checked and audited, and
idempotent where a client may retry it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from qyzmet.accounts.models import Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.catalog.queries import version_in_force
from qyzmet.core.identifiers import validate_bin, validate_iin
from qyzmet.core.refusals import Refused
from qyzmet.workflow import engine
from qyzmet.workflow.models import Step

from . import refusals  # noqa: F401  (registers the codes)
from .attachments import check_upload
from .forms_schema import validate_form_data
from .models import (
    ApplicantKind,
    Application,
    Attachment,
    Channel,
    RegistrationCounter,
    Status,
)


@dataclass(frozen=True)
class ApplicantInput:
    kind: str  # ApplicantKind
    name: str
    iin: str = ""
    bin: str = ""
    representative_iin: str = ""
    # The registry's answer (GBD FL/UL, p.10 процесс 4) or the clerk's reason for manual entry.
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AttachmentInput:
    document_code: str
    file: object  # a Django UploadedFile / File


# --- helpers -------------------------------------------------------------------------------


def _typed_applicant(applicant: ApplicantInput) -> ApplicantInput:
    """Check identifiers typed by a person (check digit); names are required."""
    if not applicant.name.strip():
        raise Refused("applicant_name_required", field_name="name")
    if applicant.kind == ApplicantKind.LEGAL_ENTITY:
        bin_ = validate_bin(applicant.bin)
        rep = (
            validate_iin(applicant.representative_iin, "representative_iin")
            if applicant.representative_iin
            else ""
        )
        return ApplicantInput(
            applicant.kind, applicant.name.strip(), "", bin_, rep, applicant.details
        )
    if applicant.kind == ApplicantKind.INDIVIDUAL:
        return ApplicantInput(
            applicant.kind,
            applicant.name.strip(),
            validate_iin(applicant.iin),
            "",
            "",
            applicant.details,
        )
    raise Refused("recipient_not_allowed", field_name="kind")


def _version_for(service_code: str, channel: str, applicant_kind: str, on: datetime):
    version = version_in_force(service_code, timezone.localdate(on))
    if channel not in version.channels:
        raise Refused("channel_not_offered")
    if applicant_kind not in version.recipients:
        raise Refused("recipient_not_allowed")
    return version


def _required_documents(version, channel: str) -> list[str]:
    return [doc.code for doc in version.documents(channel) if doc.required]


def _check_documents_known(version, channel: str, codes: Sequence[str]) -> None:
    known = {doc.code for doc in version.documents(channel)} | {"other"}
    for code in codes:
        if code not in known:
            raise Refused("unknown_document", {"code": code})


def next_registration_number(year: int) -> str:
    """Take the next number of the provider's yearly sequence under a row lock."""
    provider = settings.QYZMET_PROVIDER_CODE
    try:
        with transaction.atomic():
            RegistrationCounter.objects.get_or_create(provider=provider, year=year)
    except IntegrityError:
        pass  # created concurrently by another registration: fine, lock it below
    counter = RegistrationCounter.objects.select_for_update().get(provider=provider, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{settings.QYZMET_REGISTRATION_PREFIX}-{year}-{counter.last_number:06d}"


def _existing(actor, idempotency_key: str) -> Application | None:
    return Application.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()


def _store_attachments(
    application, actor, attachments: Sequence[AttachmentInput], now
) -> list[Attachment]:
    stored = []
    for item in attachments:
        checked = check_upload(item.file)
        attachment = Attachment(
            application=application,
            document_code=item.document_code,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=now,
            uploaded_by=actor,
        )
        attachment.file.save(checked.name, item.file, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _register(application: Application, actor, now: datetime) -> Application:
    """Give the application its number and start its process (p.5.1, p.6.1, p.8.1)."""
    calendar = engine.calendar_for(application)
    application.registered_at = (
        calendar.next_working_moment(now) if application.channel == Channel.PORTAL else now
    )
    application.submitted_at = application.submitted_at or now
    application.registration_year = timezone.localtime(application.registered_at).year
    application.registration_number = next_registration_number(application.registration_year)
    application.deadline_at = engine.due_time(
        engine.Norm.of(application.service_version.step(Step.SIGN, application.channel)),
        start=application.registered_at,
        registered_at=application.registered_at,
        calendar=calendar,
    )
    application.status = Status.REGISTERED
    application.revision += 1
    application.save()
    register_task = engine.open_task(
        application, Step.REGISTER, assignee=actor if actor.pk else None, now=now
    )
    engine.close_task(register_task, actor=actor, outcome="registered", now=now)
    engine.open_task(application, Step.ASSIGN, now=now)
    return application


# --- actions -------------------------------------------------------------------------------


def register_paper_application(
    actor,
    *,
    service_code: str,
    applicant: ApplicantInput,
    form_data: dict,
    paper_documents: Sequence[str],
    attachments: Sequence[AttachmentInput] = (),
    idempotency_key: str,
) -> Application:
    """The clerk registers an application handed in on paper (p.10 "через услугодателя",
    процесс 3–7). The package must be complete (Standard item 9); an incomplete one is
    refused with a receipt instead (:func:`refuse_paper_intake`)."""
    require_role(actor, Role.CLERK)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    applicant = _typed_applicant(applicant)
    version = _version_for(service_code, Channel.OFFICE, applicant.kind, now)
    _check_documents_known(version, Channel.OFFICE, paper_documents)
    missing = [c for c in _required_documents(version, Channel.OFFICE) if c not in paper_documents]
    if missing:
        raise Refused("documents_incomplete", {"missing": ", ".join(missing)})
    validate_form_data(version, form_data)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                service_version=version,
                channel=Channel.OFFICE,
                applicant_kind=applicant.kind,
                applicant_iin=applicant.iin,
                applicant_bin=applicant.bin,
                applicant_name=applicant.name,
                representative_iin=applicant.representative_iin,
                applicant_details=applicant.details,
                form_data=form_data,
                paper_documents=list(paper_documents),
                created_by=actor,
                idempotency_key=idempotency_key,
                submitted_at=now,
            )
            _store_attachments(application, actor, attachments, now)
            _register(application, actor, now)
            audit.record(
                actor,
                "cases.register_paper",
                case=application,
                obj=application,
                after={
                    **application.snapshot(),
                    "service": version.service_code,
                    "version": version.version,
                },
            )
            return application
    except IntegrityError:
        # A concurrent double click with the same key won the race: return its application.
        existing = _existing(actor, idempotency_key)
        if existing is None:
            raise
        return existing


def refuse_paper_intake(
    actor,
    *,
    service_code: str,
    applicant: ApplicantInput,
    paper_documents: Sequence[str],
    idempotency_key: str,
) -> Application:
    """An incomplete paper package is not accepted: the clerk issues a receipt of refusal
    listing the missing documents. It is recorded (and numbered) so that nothing handed in
    is lost, but no process starts."""
    require_role(actor, Role.CLERK)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    applicant = _typed_applicant(applicant)
    version = _version_for(service_code, Channel.OFFICE, applicant.kind, now)
    _check_documents_known(version, Channel.OFFICE, paper_documents)
    missing = [c for c in _required_documents(version, Channel.OFFICE) if c not in paper_documents]
    if not missing:
        raise Refused("wrong_step")  # a complete package must be registered, not refused
    try:
        with transaction.atomic():
            application = Application.objects.create(
                service_version=version,
                channel=Channel.OFFICE,
                status=Status.INTAKE_REFUSED,
                outcome="refused",
                applicant_kind=applicant.kind,
                applicant_iin=applicant.iin,
                applicant_bin=applicant.bin,
                applicant_name=applicant.name,
                representative_iin=applicant.representative_iin,
                applicant_details=applicant.details,
                paper_documents=list(paper_documents),
                refusal_codes=["incomplete_documents"],
                created_by=actor,
                idempotency_key=idempotency_key,
                submitted_at=now,
                completed_at=now,
                registration_year=timezone.localtime(now).year,
            )
            application.registration_number = next_registration_number(
                application.registration_year
            )
            application.form_data = {"missing_documents": missing}
            application.save()
            audit.record(
                actor,
                "cases.refuse_intake",
                case=application,
                obj=application,
                after={**application.snapshot(), "missing": missing},
            )
            return application
    except IntegrityError:
        existing = _existing(actor, idempotency_key)
        if existing is None:
            raise
        return existing


def submit_portal_application(
    actor,
    *,
    service_code: str,
    applicant: ApplicantInput,
    form_data: dict,
    attachments: Sequence[AttachmentInput] = (),
    idempotency_key: str,
    signed_request: bytes | None = None,
    signature: bytes | None = None,
    signer: dict | None = None,
) -> Application:
    """An applicant's signed request from the portal is registered (p.10 процесс 7). The
    signature and the certificate checks of condition 2 are done by the caller (portal),
    which passes what it verified; the identifiers come from the verified certificate and
    are not re-checked for their check digit (SERVICES.md, IIN/BIN)."""
    require_role(actor, Role.APPLICANT)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    if not applicant.name.strip():
        raise Refused("applicant_name_required", field_name="name")
    version = _version_for(service_code, Channel.PORTAL, applicant.kind, now)
    codes = [a.document_code for a in attachments]
    _check_documents_known(version, Channel.PORTAL, codes)
    validate_form_data(version, form_data)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                service_version=version,
                channel=Channel.PORTAL,
                applicant_kind=applicant.kind,
                applicant_iin=applicant.iin,
                applicant_bin=applicant.bin,
                applicant_name=applicant.name.strip(),
                representative_iin=applicant.representative_iin,
                applicant_details={**applicant.details, **({"signer": signer} if signer else {})},
                applicant_user=actor,
                form_data=form_data,
                created_by=actor,
                idempotency_key=idempotency_key,
                submitted_at=now,
            )
            _store_attachments(application, actor, attachments, now)
            _register(application, actor, now)
            if signature is not None:
                from .models import SignedRequest

                SignedRequest.objects.create(
                    application=application, content=signed_request or b"", signature=signature
                )
            audit.record(
                actor,
                "cases.submit_portal",
                case=application,
                obj=application,
                after={
                    **application.snapshot(),
                    "service": version.service_code,
                    "version": version.version,
                },
            )
            return application
    except IntegrityError:
        existing = _existing(actor, idempotency_key)
        if existing is None:
            raise
        return existing


def add_attachment(actor, application: Application, item: AttachmentInput) -> Attachment:
    """A scan added to a registered case by the clerk or the executor (p.10 процесс 6)."""
    require_role(actor, Role.CLERK, Role.EXECUTOR)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.is_final:
            raise Refused("case_finished")
        _check_documents_known(
            application.service_version, application.channel, [item.document_code]
        )
        [attachment] = _store_attachments(application, actor, [item], timezone.now())
        audit.record(
            actor,
            "cases.add_attachment",
            case=application,
            obj=attachment,
            after={
                "document_code": attachment.document_code,
                "sha256": attachment.sha256,
                "size": attachment.size,
                "name": attachment.original_name,
            },
        )
        return attachment
