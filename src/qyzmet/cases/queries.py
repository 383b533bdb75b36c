"""Reads of the register: search, a case with everything its page shows, an applicant's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from qyzmet.accounts.models import Role
from qyzmet.core.identifiers import normalize

from .models import ApplicantKind, Application, Attachment, Channel, Decision


def search(text: str, *, limit: int = 50) -> QuerySet[Application]:
    """By registration number, IIN/BIN (exact), or applicant name (prefix, case-insensitive)."""
    text = normalize(text) if text.strip().isdigit() else text.strip()
    # The few service versions of the results are read once each, not once per result: each
    # carries its whole catalogue definition (50 copies decoded from JSON cost 20 ms).
    base = Application.objects.prefetch_related("service_version").exclude(status="draft")
    if not text:
        return base.none()
    if text.isdigit() and len(text) == 12:
        condition = Q(applicant_iin=text) | Q(applicant_bin=text) | Q(representative_iin=text)
    else:
        condition = (
            Q(registration_number__iexact=text)
            | Q(registration_number__istartswith=text)
            | Q(applicant_name__istartswith=text)
        )
    return base.filter(condition).order_by("-registered_at")[:limit]


@dataclass(frozen=True)
class RegistrationTimes:
    """The two moments of an application, shown and labelled the same on every page, receipt
    and in the API (issue 13, item 8): ``submitted_at`` — when the applicant signed it on the
    portal or handed the package in at the desk; ``registered_at`` — when it counts as
    registered, the next working moment on the calendar (``workflow.engine.start_registered``),
    from which the deadlines run. ``registered_at`` is None for a package refused at intake."""

    submitted_at: datetime | None
    registered_at: datetime | None

    @property
    def deferred(self) -> bool:
        """Registered later than submitted (after hours, at lunch, on a day off)."""
        return bool(self.submitted_at and self.registered_at) and (
            self.registered_at > self.submitted_at
        )


def registration_times(application: Application) -> RegistrationTimes:
    return RegistrationTimes(
        submitted_at=application.submitted_at,
        registered_at=application.registered_at,
    )


def _detail_prefetches() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
        Prefetch("decisions", queryset=Decision.objects.order_by("prepared_at", "id")),
    )


def case_detail(public_id) -> Application:
    """One case with its attachments and decisions, in a fixed number of queries."""
    return (
        Application.objects.select_related(
            "service_version", "executor", "applicant_user", "created_by"
        )
        .prefetch_related(*_detail_prefetches())
        .get(public_id=public_id)
    )


def with_details(application: Application, *, decisions: bool = True) -> Application:
    """``application`` with its attachments (and decisions) loaded, reading only those not
    loaded yet: an action that has just read them (``submit_draft``) is not read twice."""
    attachments, decisions_in_order = _detail_prefetches()
    prefetch_related_objects(
        [application], attachments, *([decisions_in_order] if decisions else [])
    )
    return application


def load_attachments(application: Application) -> list[Attachment]:
    """The application's attachments, in upload order, kept on the instance for later reads."""
    prefetch_related_objects([application], _detail_prefetches()[0])
    return list(application.attachments.all())


def applicant_scope(user) -> Q:
    """Which applications are an applicant's to see and work on (docs/accounts.md, "Whose
    applications"): an individual's are their own; **an entity's applications are the
    entity's** — every representative of its BIN sees its portal drafts and applications,
    may fill in and complete a draft; only a person whose certificate gives the right of
    signature submits it (``actions.submit_draft``). Anyone else — a representative of
    another BIN, another individual, staff — sees none of them (not found, never 403)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if getattr(user, "role", None) != Role.APPLICANT or not user.is_active:
        return Q(pk__in=[])
    if user.bin:
        return Q(
            applicant_kind=ApplicantKind.LEGAL_ENTITY,
            applicant_bin=user.bin,
            channel=Channel.PORTAL,
        )
    return Q(applicant_user=user)


def applications_of(user) -> QuerySet[Application]:
    """The applicant's applications (:func:`applicant_scope`), newest first."""
    return (
        Application.objects.filter(applicant_scope(user))
        .select_related("service_version", "created_by", "applicant_user")
        .order_by("-created_at", "-id")
    )


def application_of(user, public_id) -> Application | None:
    """One of the applicant's applications (:func:`applicant_scope`), or None."""
    return (
        Application.objects.select_related("service_version")
        .filter(applicant_scope(user), public_id=public_id)
        .first()
    )
