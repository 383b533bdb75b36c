"""Writes of the calendar app: each in one transaction, permission-checked, audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from qyzmet.accounts.models import Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit.actions import record
from qyzmet.core.locking import locked
from qyzmet.core.refusals import Refused, register

from .models import DayOverride

register("calendar_override_invalid", gettext_lazy("Перенос дня отдыха заполнен неверно: {errors}"))

AUDITED_FIELDS = ("date", "kind", "basis", "assumed", "note")


def _require_administrator(actor) -> None:
    # Superusers created with `createsuperuser` have no role; they may edit the calendar too.
    if actor is not None and actor.is_active and actor.is_superuser:
        return
    require_role(actor, Role.ADMINISTRATOR)


def _snapshot(override: DayOverride | None) -> dict | None:
    if override is None:
        return None
    return {name: getattr(override, name) for name in AUDITED_FIELDS}


def _validated(override: DayOverride) -> None:
    try:
        override.full_clean()
    except ValidationError as error:
        details = "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
        raise Refused("calendar_override_invalid", params={"errors": details}) from None


@transaction.atomic
def save_day_override(actor, override: DayOverride) -> DayOverride:
    """Create or change one override (the admin form's instance, or a new one)."""
    _require_administrator(actor)
    _validated(override)
    before = None
    if override.pk is not None:
        before = _snapshot(locked(DayOverride.objects).filter(pk=override.pk).first())
    override.save()
    record(
        actor,
        "calendar.override_saved",
        obj=override,
        before=before,
        after=_snapshot(override),
    )
    return override


def set_day_override(
    actor, day: date, kind: str, basis: str, *, assumed: bool = False, note: str = ""
) -> DayOverride:
    """Upsert by date: what a script entering next year's decree calls."""
    with transaction.atomic():
        override = locked(DayOverride.objects).filter(date=day).first()
        override = override or DayOverride(date=day)
        override.kind, override.basis, override.assumed, override.note = kind, basis, assumed, note
        return save_day_override(actor, override)


@transaction.atomic
def delete_day_override(actor, override: DayOverride) -> None:
    _require_administrator(actor)
    before = _snapshot(override)
    record(actor, "calendar.override_deleted", obj=override, before=before, after=None)
    override.delete()
