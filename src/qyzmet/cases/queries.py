"""Reads of the register: search, a case with everything its page shows, an applicant's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from qyzmet.core.identifiers import normalize

from .models import Application, Attachment, Decision


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


def applications_of(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_user=user)
        .select_related("service_version")
        .order_by("-created_at")
    )
