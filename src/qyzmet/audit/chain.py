"""Canonical encoding and hashing of audit records (shared by the writer and the verifier)."""

import hashlib
import json
from datetime import datetime
from typing import Any


def canonical_json(value: Any) -> str:
    """Stable JSON: sorted keys, no spaces, UTF-8 text; dates and decimals as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def normalize(value: Any) -> Any:
    """What a JSON column gives back: stored values are normalised before hashing."""
    return None if value is None else json.loads(canonical_json(value))


def record_hash(
    *,
    record_id: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    case_id: int | None,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    content = canonical_json(
        [
            record_id,
            at.isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            case_id,
            object_type,
            object_id,
            before,
            after,
            prev_hash,
        ]
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def hash_of(record) -> str:
    return record_hash(
        record_id=record.id,
        at=record.at,
        actor_id=record.actor_id,
        actor_label=record.actor_label,
        action=record.action,
        case_id=record.case_id,
        object_type=record.object_type,
        object_id=record.object_id,
        before=record.before,
        after=record.after,
        prev_hash=record.prev_hash,
    )
