"""Reading and verifying the audit log."""

from dataclasses import dataclass

from .chain import hash_of
from .models import GENESIS_HASH, AuditHead, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_record_id: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000, *, until: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain in id order; name the first record whose content, link or place is wrong.
    ``until=(id, hash)``: only the records up to that head (read earlier, e.g. for a
    checkpoint while new records are appended), which must end with that hash."""
    prev_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    expected_id = 1
    records = AuditRecord.objects.order_by("id")
    if until is not None:
        records = records.filter(id__lte=until[0])
    for entry in records.iterator(chunk_size=batch_size):
        if entry.id != expected_id:
            return ChainReport(False, checked, expected_id, f"record #{expected_id} is missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.id, "link to the previous record is broken")
        if hash_of(entry) != entry.hash:
            return ChainReport(False, checked, entry.id, "content does not match its hash")
        prev_hash = entry.hash
        last_id = entry.id
        expected_id += 1
        checked += 1
    if until is not None:
        head_id, head_hash = until
    else:
        head = AuditHead.objects.filter(id=1).first()
        head_id, head_hash = (head.last_record_id, head.last_hash) if head else (0, GENESIS_HASH)
    if head_id != last_id or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            last_id + 1,
            f"records after #{last_id} were removed (head is #{head_id})",
        )
    return ChainReport(True, checked)


def trail_for_case(case_id: int):
    return AuditRecord.objects.filter(case_id=case_id).select_related("actor").order_by("id")
