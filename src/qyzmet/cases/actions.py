"""Writes to the register: registration of paper and portal applications, intake refusals,
attachments. Each public function is one transaction, permission-checked and audited, and
idempotent where a client may retry it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from qyzmet.accounts.models import SIGNING_ROLES, Role, User
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.catalog.queries import version_in_force
from qyzmet.core.i18n import join_texts
from qyzmet.core.identifiers import validate_bin, validate_iin
from qyzmet.core.locking import locked as locked_rows
from qyzmet.core.refusals import Refused

from . import (
    notify,
    process,
    quotas,
    refusals,  # noqa: F401  (registers the codes)
)
from .attachments import check_upload
from .forms_schema import validate_form_data
from .models import (
    ApplicantKind,
    Application,
    Attachment,
    Channel,
    MailState,
    RegistrationCounter,
    SignedRequest,
    Status,
    StatusMail,
)
from .portal_requests import canonical_request
from .queries import applicant_scope, load_attachments


@dataclass(frozen=True)
class ApplicantInput:
    """The applicant of a paper package as the clerk gives it: the kind and the IIN/BIN,
    and either ``lookup`` — the message id of the clerk's own GBD FL/UL lookup through the
    gateway (p.10 процесс 4), whose answer gives the name and details — or ``manual`` with
    ``manual_reason`` and the ``name`` typed by hand (процесс 5)."""

    kind: str  # ApplicantKind
    name: str = ""
    iin: str = ""
    bin: str = ""
    representative_iin: str = ""
    lookup: str = ""
    manual: bool = False
    manual_reason: str = ""
    # Set by the register from the registry's answer or the manual entry, never by a caller.
    details: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class AttachmentInput:
    document_code: str
    file: object  # a Django UploadedFile / File


# --- helpers -------------------------------------------------------------------------------


def _typed_applicant(applicant: ApplicantInput) -> ApplicantInput:
    """Check identifiers typed by a person (check digit)."""
    if applicant.kind == ApplicantKind.LEGAL_ENTITY:
        rep = applicant.representative_iin
        return replace(
            applicant,
            iin="",
            bin=validate_bin(applicant.bin),
            representative_iin=validate_iin(rep, "representative_iin") if rep else "",
        )
    if applicant.kind == ApplicantKind.INDIVIDUAL:
        return replace(applicant, iin=validate_iin(applicant.iin), bin="", representative_iin="")
    raise Refused("recipient_not_allowed", field_name="kind")


def _lookup_max_age() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "QYZMET_INTAKE_LOOKUP_MAX_AGE_SECONDS", 28800)))


def _identified_applicant(actor, applicant: ApplicantInput, now: datetime):
    """Who the applicant of a paper package is (p.10 процесс 4–5, условие 2), the same rule
    on the desk and through the API: as GBD FL/UL answered *this* clerk's lookup about
    *this* IIN/BIN through the gateway, within ``QYZMET_INTAKE_LOOKUP_MAX_AGE_SECONDS``
    (8 hours) — the name and details come from the logged answer, not from the caller —, or,
    when the registry has no data or cannot answer, typed by hand with the reason why, which
    the case and its audit record keep. Returns the applicant and the lookup's exchange."""
    from qyzmet.registry.client import recorded_lookup
    from qyzmet.registry.queries import exchange_by_message_id

    if applicant.manual:
        reason = (applicant.manual_reason or "").strip()[:500]
        if not reason:
            raise Refused("office_manual_reason_required", field_name="manual_reason")
        if not (applicant.name or "").strip():
            raise Refused("applicant_name_required", field_name="name")
        details = {"source": "manual", "reason": reason}
        return replace(applicant, name=applicant.name.strip(), details=details), None
    if not applicant.lookup:
        raise Refused("office_lookup_required", field_name="identifier")
    try:
        exchange = exchange_by_message_id(str(uuid.UUID(str(applicant.lookup))))
    except ValueError:
        exchange = None
    identifier = applicant.iin or applicant.bin
    record = None
    if (
        exchange is not None
        and exchange.actor_id == getattr(actor, "pk", None)
        and exchange.subject_identifier == identifier
        and exchange.started_at >= now - _lookup_max_age()
    ):
        record = recorded_lookup(exchange)
    if record is None or (record.details()["source"] == "gbd_fl") != (applicant.iin != ""):
        raise Refused("intake_lookup_invalid", field_name="lookup")
    return replace(applicant, name=record.display_name, details=record.details()), exchange


def _version_for(service_code: str, channel: str, applicant_kind: str, on: datetime):
    version = version_in_force(service_code, timezone.localdate(on))
    if channel not in version.channels:
        raise Refused("channel_not_offered")
    if applicant_kind not in version.recipients:
        raise Refused("recipient_not_allowed")
    return version


def _check_documents_known(version, channel: str, codes: Sequence[str]) -> None:
    known = {doc.code for doc in version.documents(channel)} | {"other"}
    for code in codes:
        if code not in known:
            raise Refused("unknown_document", {"code": code})


def next_registration_number(year: int) -> str:
    """Take the next number of the provider's yearly sequence. One ``UPDATE … RETURNING``
    increments and locks the counter row until the registering transaction ends: no gaps
    (a rolled-back registration gives its number back), no duplicates."""
    provider = settings.QYZMET_PROVIDER_CODE
    number = _increment_counter(provider, year)
    if number is None:  # the year's first registration
        try:
            with transaction.atomic():
                RegistrationCounter.objects.create(provider=provider, year=year)
        except IntegrityError:
            pass  # created concurrently by another registration: increment that one
        number = _increment_counter(provider, year)
    return f"{settings.QYZMET_REGISTRATION_PREFIX}-{year}-{number:06d}"


def _increment_counter(provider: str, year: int) -> int | None:
    table = connection.ops.quote_name(RegistrationCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1"  # noqa: S608 (table name only)
            " WHERE provider = %s AND year = %s RETURNING last_number",
            [provider, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _existing(actor, idempotency_key: str) -> Application | None:
    return Application.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()


def _store_attachments(
    application, actor, attachments: Sequence[AttachmentInput], now
) -> list[Attachment]:
    quotas.check_attachments(
        application, [(item.document_code, int(item.file.size or 0)) for item in attachments]
    )
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


def _attach(actor, application: Application, item: AttachmentInput, action: str) -> Attachment:
    """Store one more attachment of a locked case, checked and audited."""
    _check_documents_known(application.service_version, application.channel, [item.document_code])
    [attachment] = _store_attachments(application, actor, [item], timezone.now())
    audit.record(
        actor,
        action,
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


def _register(application: Application, actor, now: datetime) -> Application:
    """Give the application its number and start its process (p.5.1, p.6.1, p.8.1).

    The tasks are written first and the number is taken last: the counter row stays locked
    from here to the commit, so the less that follows it, the more registrations run side
    by side."""
    process.start(application, actor=actor, now=now)  # registered_at, deadline_at, tasks
    application.submitted_at = application.submitted_at or now
    application.registration_year = timezone.localtime(application.registered_at).year
    application.status = Status.REGISTERED
    application.revision += 1
    application.registration_number = next_registration_number(application.registration_year)
    application.save()
    return application


def _audit_registration(actor, action: str, application: Application, **extra) -> None:
    version = application.service_version
    audit.record(
        actor,
        action,
        case=application,
        obj=application,
        after={
            **application.snapshot(),
            "service": version.service_code,
            "version": version.version,
            **extra,
        },
    )


def _applicant_evidence(actor, application: Application, exchange) -> dict:
    """Link the lookup to the case (in the registering transaction) and say, for the audit
    record, where the applicant's data came from."""
    if exchange is not None:
        from qyzmet.registry.actions import attach_exchanges

        attach_exchanges([exchange.message_id], application, actor=actor)
    details = application.applicant_details
    if details.get("source") == "manual":
        return {"applicant_source": "manual", "manual_reason": details.get("reason", "")}
    return {"applicant_source": details.get("source"), "lookup": details.get("message_id")}


# --- actions -------------------------------------------------------------------------------


def _paper_intake(actor, *, service_code, applicant, paper_documents, idempotency_key, write):
    """What registering and refusing a paper package share: the clerk's role, idempotency
    (a retried or double-clicked form returns the first result, also under a race), typed
    identifiers, the applicant looked up or entered by hand with a reason
    (:func:`_identified_applicant`), the version in force, the document list;
    ``write(version, applicant, missing, now, exchange)`` then creates the record in one
    transaction."""
    require_role(actor, Role.CLERK)
    existing = _existing(actor, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    applicant, exchange = _identified_applicant(actor, _typed_applicant(applicant), now)
    version = _version_for(service_code, Channel.OFFICE, applicant.kind, now)
    _check_documents_known(version, Channel.OFFICE, paper_documents)
    missing = [
        d.code
        for d in version.documents_to_hand_in(Channel.OFFICE)
        if d.code not in paper_documents
    ]
    try:
        with transaction.atomic():
            return write(version, applicant, missing, now, exchange)
    except IntegrityError:
        # A concurrent double click with the same key won the race: return its record.
        existing = _existing(actor, idempotency_key)
        if existing is None:
            raise
        return existing


def _office_application(actor, version, applicant, paper_documents, idempotency_key, now, **fields):
    return Application.objects.create(
        service_version=version,
        channel=Channel.OFFICE,
        applicant_kind=applicant.kind,
        applicant_iin=applicant.iin,
        applicant_bin=applicant.bin,
        applicant_name=applicant.name,
        representative_iin=applicant.representative_iin,
        applicant_details=applicant.details,
        paper_documents=list(paper_documents),
        created_by=actor,
        idempotency_key=idempotency_key,
        submitted_at=now,
        **fields,
    )


def _document_names(version, codes: Sequence[str]):
    """The catalogue names of the documents ``codes``, in the language of whoever reads the
    refusal (issue 13 item 3: not their codes)."""
    names = {document.code: document.name for document in version.documents()}
    return join_texts(names.get(code, code) for code in codes)


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

    def write(version, applicant, missing, now, exchange):
        if missing:
            raise Refused("documents_incomplete", {"missing": _document_names(version, missing)})
        validate_form_data(version, form_data)
        application = _office_application(
            actor, version, applicant, paper_documents, idempotency_key, now, form_data=form_data
        )
        _store_attachments(application, actor, attachments, now)
        _register(application, actor, now)
        evidence = _applicant_evidence(actor, application, exchange)
        _audit_registration(actor, "cases.register_paper", application, **evidence)
        return application

    return _paper_intake(
        actor,
        service_code=service_code,
        applicant=applicant,
        paper_documents=paper_documents,
        idempotency_key=idempotency_key,
        write=write,
    )


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

    def write(version, applicant, missing, now, exchange):
        if not missing:
            raise Refused("wrong_step")  # a complete package must be registered, not refused
        year = timezone.localtime(now).year
        application = _office_application(
            actor,
            version,
            applicant,
            paper_documents,
            idempotency_key,
            now,
            status=Status.INTAKE_REFUSED,
            outcome="refused",
            refusal_codes=["incomplete_documents"],
            form_data={"missing_documents": missing},
            completed_at=now,
            registration_year=year,
            registration_number=next_registration_number(year),
        )
        audit.record(
            actor,
            "cases.refuse_intake",
            case=application,
            obj=application,
            after={
                **application.snapshot(),
                "missing": missing,
                **_applicant_evidence(actor, application, exchange),
            },
        )
        return application

    return _paper_intake(
        actor,
        service_code=service_code,
        applicant=applicant,
        paper_documents=paper_documents,
        idempotency_key=idempotency_key,
        write=write,
    )


MAX_DRAFT_JSON_BYTES = 256 * 1024


def _applicant_of(actor) -> ApplicantInput:
    """A portal applicant acts as the person (and legal entity) of the certificate they
    signed up with; the identifiers were read from a trusted certificate, so they are not
    re-checked for their check digit (SERVICES.md, IIN/BIN)."""
    if actor.bin:
        # The applicant is the legal entity (its name from the certificate's O field); the
        # person who signs is its representative.
        return ApplicantInput(
            ApplicantKind.LEGAL_ENTITY,
            actor.organization or actor.display_name,
            "",
            actor.bin,
            actor.iin,
        )
    return ApplicantInput(ApplicantKind.INDIVIDUAL, actor.display_name, actor.iin)


def lock_own_draft(actor, draft: Application) -> Application:
    """The applicant's draft — their own, or for a representative their entity's, whoever
    of its representatives began it (``queries.applicant_scope``) —, row-locked for the rest
    of the transaction; ``not_found`` for anyone else's (the draft actions and eGov mobile
    signing start from it)."""
    locked = (
        locked_rows(Application.objects.select_related("service_version"))
        .filter(applicant_scope(actor), pk=draft.pk)
        .first()
    )
    if locked is None:
        raise Refused("not_found")
    return locked


def _check_draft_size(form_data) -> None:
    from qyzmet.audit.chain import canonical_json

    if not isinstance(form_data, dict):
        raise Refused("form_invalid", {"field": "/", "detail": "object expected"}, field_name="/")
    if len(canonical_json(form_data).encode("utf-8")) > MAX_DRAFT_JSON_BYTES:
        raise Refused("draft_too_large")


@transaction.atomic
def save_draft(
    actor, *, service_code: str | None = None, form_data: dict, draft: Application | None = None
) -> Application:
    """Create or update the applicant's draft (p.10 процесс 3). Drafts are not validated
    against the form yet — the applicant may save half a form and come back. A legal
    entity's draft is the entity's: any of its representatives may continue it."""
    require_role(actor, Role.APPLICANT)
    _check_draft_size(form_data)
    now = timezone.now()
    if draft is None:
        # The applicant's row locked: two new drafts at once cannot both pass the quota.
        locked_rows(User.objects).filter(pk=actor.pk).first()
        quotas.check_open_drafts(
            Application.objects.filter(applicant_user=actor, status=Status.DRAFT).count()
        )
        applicant = _applicant_of(actor)
        version = _version_for(service_code or "", Channel.PORTAL, applicant.kind, now)
        draft = Application.objects.create(
            service_version=version,
            channel=Channel.PORTAL,
            status=Status.DRAFT,
            applicant_kind=applicant.kind,
            applicant_iin=applicant.iin,
            applicant_bin=applicant.bin,
            applicant_name=applicant.name,
            representative_iin=applicant.representative_iin,
            applicant_user=actor,
            form_data=form_data,
            created_by=actor,
            idempotency_key=f"draft-{uuid.uuid4().hex}",
        )
        audit.record(actor, "cases.create_draft", case=draft, obj=draft, after=draft.snapshot())
        return draft
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT:
        raise Refused("not_a_draft")
    draft.form_data = form_data
    draft.revision += 1
    draft.save(update_fields=["form_data", "revision", "updated_at"])
    audit.record(actor, "cases.save_draft", case=draft, obj=draft, after=draft.snapshot())
    return draft


@transaction.atomic
def start_draft(actor, service_code: str) -> Application:
    """ "Apply" on a service's passport: the applicant's open draft of that service is
    continued (the newest, if several were begun before this rule); a new one is begun only
    when there is none (an entity's open draft, for each of its representatives). The
    applicant's row is locked so a double click begins one draft."""
    require_role(actor, Role.APPLICANT)
    locked_rows(User.objects.filter(pk=actor.pk)).first()
    existing = (
        Application.objects.filter(
            applicant_scope(actor),
            status=Status.DRAFT,
            service_version__service_code=service_code,
        )
        .order_by("-updated_at", "-id")
        .first()
    )
    if existing is not None:
        return existing
    return save_draft(actor, service_code=service_code, form_data={})


@transaction.atomic
def delete_draft(actor, draft: Application) -> None:
    """The applicant deletes their own draft with its files (never anything submitted: a
    registered case is part of the register). A draft was never signed nor registered, so
    nothing of the register is lost; the audit keeps what it was."""
    require_role(actor, Role.APPLICANT)
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT:
        raise Refused("not_a_draft")
    before = {
        **draft.snapshot(),
        "service": draft.service_version.service_code,
        "version": draft.service_version.version,
        "attachments": [
            {"document_code": a.document_code, "sha256": a.sha256}
            for a in draft.attachments.order_by("id")
        ],
    }
    for attachment in draft.attachments.all():
        attachment.file.delete(save=False)
    draft.attachments.all().delete()
    # Records of other apps that only point at the draft (an expired eGov mobile QR session)
    # keep their row without it; a reference that may not be cleared stops the deletion.
    for relation in Application._meta.related_objects:
        if relation.field.null and relation.related_model is not Attachment:
            relation.related_model.objects.filter(**{relation.field.name: draft}).update(
                **{relation.field.name: None}
            )
    audit.record(actor, "cases.delete_draft", case=draft, before=before)
    draft.delete()


@transaction.atomic
def add_draft_attachment(actor, draft: Application, item: AttachmentInput) -> Attachment:
    require_role(actor, Role.APPLICANT)
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT:
        raise Refused("not_a_draft")
    return _attach(actor, draft, item, "cases.add_draft_attachment")


@transaction.atomic
def remove_draft_attachment(actor, draft: Application, attachment_id: int) -> None:
    require_role(actor, Role.APPLICANT)
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT:
        raise Refused("not_a_draft")
    attachment = draft.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Refused("not_found")
    before = {"document_code": attachment.document_code, "sha256": attachment.sha256}
    # Drafts' attachments were never part of a signed request: removing one loses nothing.
    attachment.file.delete(save=False)
    Attachment.objects.filter(pk=attachment.pk).delete()
    audit.record(actor, "cases.remove_draft_attachment", case=draft, before=before)


def _verify_applicant_signature(
    actor, draft: Application, content: bytes, signature: bytes
) -> dict:
    """Condition 2 of p.10: certificate period, revocation, purpose, and the IIN/BIN of the
    request equal to the certificate's; a legal entity's request needs a certificate of that
    BIN with a signing role (processes 4–5 otherwise)."""
    from qyzmet.eds.service import verifier

    legal = draft.applicant_kind == ApplicantKind.LEGAL_ENTITY
    verdict = verifier().verify_cms(
        signature,
        content,
        purpose="sign",
        expect_iin=draft.representative_iin if legal else draft.applicant_iin,
        expect_bin=draft.applicant_bin if legal else None,
    )
    if not verdict.valid:
        raise Refused(verdict.code)
    signer = verdict.signer.to_inspect_dict()
    if legal and not SIGNING_ROLES.intersection(signer.get("roles") or ()):
        raise Refused("signer_not_representative")
    return signer


def _moved_params(version) -> dict:
    return {"version": version.version, "date": version.effective_from.strftime("%d.%m.%Y")}


def _move_draft_into_force(actor, draft: Application, now: datetime) -> bool:
    """A draft (locked) whose version is no longer in force goes to the version in force on
    ``now`` (p.9, DESIGN principle 1: processed under the version of the submission day);
    what the applicant entered and attached stays as it is. True when it moved."""
    old = draft.service_version
    if not old.is_repealed_on(timezone.localdate(now)):
        return False
    draft.service_version = _version_for(
        old.service_code, Channel.PORTAL, draft.applicant_kind, now
    )
    draft.revision += 1
    draft.save(update_fields=["service_version", "revision", "updated_at"])
    audit.record(
        actor,
        "cases.move_draft_version",
        case=draft,
        obj=draft,
        before={"service_version": old.version},
        after={"service_version": draft.service_version.version},
    )
    return True


@transaction.atomic
def bring_draft_into_force(actor, draft: Application) -> Application | None:
    """Before the applicant sees or signs a draft: move it to the version in force today if
    an amendment has come into force since it was begun. Returns the moved draft (its form
    data to be checked against the new version's form), or None when nothing changed."""
    require_role(actor, Role.APPLICANT)
    draft = lock_own_draft(actor, draft)
    if draft.status != Status.DRAFT or not _move_draft_into_force(actor, draft, timezone.now()):
        return None
    return draft


def submit_draft(actor, draft: Application, *, signature: bytes) -> Application:
    """The applicant's signed request is checked and registered (p.10 условие 2, процесс 6–7).
    Idempotent: submitting an already registered draft again returns it unchanged.

    A legal entity's draft is submitted by the representative who signs it, whoever began
    it: the request names them (``representative_iin``), their certificate must be of the
    entity's BIN with the first head's or a signing right, and the application becomes
    theirs (``applicant_user``: its mail goes to them; ``created_by`` keeps who began it).

    This is the portal's hot path (issue 5 bench): its statements are counted — the draft
    locked, its attachments read once (for the completeness check and the canonical request),
    the signed request, the tasks in one insert, the number, the application, the audit."""
    require_role(actor, Role.APPLICANT)
    with transaction.atomic():
        draft = lock_own_draft(actor, draft)
        if draft.status != Status.DRAFT:
            return draft
        if draft.applicant_kind == ApplicantKind.LEGAL_ENTITY:
            draft.representative_iin = actor.iin
            draft.applicant_user = actor
        now = timezone.now()
        moved = _move_draft_into_force(actor, draft, now)
        version = draft.service_version
        validate_form_data(version, draft.form_data)
        present = {a.document_code for a in load_attachments(draft)}
        missing = [
            d.code for d in version.documents_to_hand_in(Channel.PORTAL) if d.code not in present
        ]
        if missing:
            raise Refused("documents_incomplete", {"missing": _document_names(version, missing)})
        content = canonical_request(draft)
        signature = bytes(signature)
        try:
            signer = _verify_applicant_signature(actor, draft, content, signature)
        except Refused:
            if moved:  # signed as the old version's request: to be read and signed again
                raise Refused("draft_moved_to_version", _moved_params(version)) from None
            raise
        SignedRequest.objects.create(application=draft, content=content, signature=signature)
        draft.submitted_at = now
        draft.applicant_details = {**draft.applicant_details, "signer": signer}
        _register(draft, actor, now)
        notify.queue_status_mail(draft)
        _audit_registration(actor, "cases.submit_portal", draft, signer_serial=signer.get("serial"))
        return draft


def add_attachment(actor, application: Application, item: AttachmentInput) -> Attachment:
    """A scan added to a registered case by the clerk or the executor (p.10 процесс 6)."""
    require_role(actor, Role.CLERK, Role.EXECUTOR)
    with transaction.atomic():
        application = locked_rows(Application.objects).get(pk=application.pk)
        if application.is_final:
            raise Refused("case_finished")
        return _attach(actor, application, item, "cases.add_attachment")


def resend_status_mail(actor, mail_id: int) -> StatusMail:
    """The administrator sends a mail that was not delivered again (a fresh set of
    attempts). Audited; a mail in any other state is left as it is."""
    require_role(actor, Role.ADMINISTRATOR)
    with transaction.atomic():
        mail = locked_rows(StatusMail.objects).get(pk=mail_id)
        if mail.state != MailState.FAILED:
            return mail
        before = {"state": mail.state, "attempts": mail.attempts, "error": mail.last_error}
        mail.state = MailState.PENDING
        mail.attempts = 0
        mail.next_attempt_at = None
        mail.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit.record(
            actor,
            "cases.status_mail_resent",
            case_id=mail.application_id,
            obj=mail,
            before=before,
            after={"state": mail.state},
        )
        notify.enqueue_delivery(mail)
    return mail
