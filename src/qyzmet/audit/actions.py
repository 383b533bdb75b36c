"""Writing the audit log. Called by every action, inside the action's transaction."""

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from qyzmet.core.locking import locked

from .chain import hash_of, normalize
from .events import Event, event_of
from .models import AuditHead, AuditRecord

SYSTEM_LABEL = "system"


def _actor_label(actor) -> str:
    if actor is None:
        return SYSTEM_LABEL
    name = getattr(actor, "display_name", "") or actor.get_username()
    return f"{actor.get_username()} ({name})" if name != actor.get_username() else name


def record(
    actor,
    action: Event | str,
    *,
    case=None,
    case_id: int | None = None,
    obj=None,
    before: Any = None,
    after: Any = None,
) -> AuditRecord:
    """Append one record to the chain. Must run inside the caller's transaction, so that the
    record exists exactly when the change it describes does. ``action`` is one of the closed
    set of events (``audit.events.Event``, or its code)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside a transaction")
    if event_of(action) is None:
        raise ValueError(f"{action!r} is not an audit event (qyzmet.audit.events.Event)")
    head, _ = locked(AuditHead.objects).get_or_create(id=1)
    entry = AuditRecord(
        id=head.last_record_id + 1,
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_actor_label(actor),
        action=str(action),
        case_id=case.pk if case is not None else case_id,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=normalize(before),
        after=normalize(after),
        prev_hash=head.last_hash,
    )
    entry.hash = hash_of(entry)
    entry.save(force_insert=True)
    AuditHead.objects.filter(id=1).update(
        last_record_id=entry.id, last_hash=entry.hash, count=head.count + 1
    )
    return entry


@transaction.atomic
def record_standalone(actor, action: str, **kwargs) -> AuditRecord:
    """For events that are not part of a larger change (a log-in, a refused log-in)."""
    return record(actor, action, **kwargs)
