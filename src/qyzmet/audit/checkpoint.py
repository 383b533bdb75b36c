"""External anchors of the audit chain (issue 12 item 16).

The chain alone proves that no record was changed *unless the chain was rebuilt*: a database
superuser who alters a record and recomputes every later hash and the head passes
``audit verify``. A checkpoint is the chain's head — sequence number, hash, record count,
time — written to a file outside the database, signed with the system's key (a detached
CAdES-BES CMS, as the EDS app signs) and time-stamped by a TSA (RFC 3161) over the same
bytes. ``qyzmet audit verify --checkpoint FILE`` checks the file's signature and time-stamp
and then that the log still holds record #sequence with that very hash: a re-chained log
(any record up to it altered) or a truncated one (records up to it removed) no longer does.

Settings (every one has a default):

- ``QYZMET_AUDIT_CHECKPOINT_DIR`` (``VAR_DIR/audit/checkpoints``): where ``audit
  checkpoint`` and the scheduler write; keep it off the database host (a mounted store, a
  WORM bucket, a copy sent away) — a checkpoint the attacker can delete anchors nothing.
- ``QYZMET_AUDIT_CHECKPOINT_KEY`` / ``..._KEY_PASSWORD``: the system's key file (PKCS#12,
  RSA or GOST 34.10-2015/512). Required in production; in demo mode a self-signed demo key
  is made once in ``VAR_DIR/audit/system-demo.p12``.
- ``QYZMET_AUDIT_CHECKPOINT_CERT``: the certificate (PEM/DER) verification trusts; by
  default the key file's own. An auditor who has no key sets this.
- ``QYZMET_TSA_URL``: the RFC 3161 time-stamping authority; unset in demo mode means no
  time-stamp (production refuses to write a checkpoint without one).
- ``QYZMET_AUDIT_CHECKPOINT_SECONDS`` (86400): how often the scheduler makes one.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .chain import canonical_json
from .models import AuditHead, AuditRecord
from .queries import verify_chain

FORMAT = "qyzmet-audit-checkpoint/1"
DEMO_KEY_PASSWORD = "qyzmet-demo"  # noqa: S105 (the demo system key, made on the spot)


class CheckpointError(Exception):
    """The checkpoint cannot be made (no key, no TSA, a broken chain) or read."""


# --- settings ------------------------------------------------------------------------------


def checkpoint_dir() -> Path:
    default = Path(getattr(settings, "VAR_DIR", Path("var"))) / "audit" / "checkpoints"
    return Path(getattr(settings, "QYZMET_AUDIT_CHECKPOINT_DIR", None) or default)


def interval_seconds() -> int:
    return int(getattr(settings, "QYZMET_AUDIT_CHECKPOINT_SECONDS", 86400))


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def _key_file() -> tuple[bytes, str]:
    path = getattr(settings, "QYZMET_AUDIT_CHECKPOINT_KEY", None)
    if path:
        password = getattr(settings, "QYZMET_AUDIT_CHECKPOINT_KEY_PASSWORD", "") or ""
        return Path(path).read_bytes(), password
    if _production():
        raise CheckpointError("QYZMET_AUDIT_CHECKPOINT_KEY (the system's key file) is not set")
    demo = Path(getattr(settings, "VAR_DIR", Path("var"))) / "audit" / "system-demo.p12"
    if not demo.exists():
        _write_demo_key(demo)
    return demo.read_bytes(), DEMO_KEY_PASSWORD


def _write_demo_key(path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from qyzmet.core.certificates import self_signed

    key, certificate = self_signed(
        "qyzmet audit checkpoints (DEMO)",
        key_usage=("digital_signature", "content_commitment"),
        end_entity=False,
    )
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(DEMO_KEY_PASSWORD.encode())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"qyzmet audit", key, certificate, None, encryption
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.chmod(temporary, 0o600)
    temporary.replace(path)


def trusted_certificate() -> bytes:
    """The system certificate a checkpoint's signature must verify with (PEM or DER)."""
    path = getattr(settings, "QYZMET_AUDIT_CHECKPOINT_CERT", None)
    if path:
        return Path(path).read_bytes()
    from cryptography.hazmat.primitives import serialization

    from qyzmet.eds.signing import load_signing_key

    _key, certificate, _chain = load_signing_key(*_key_file())
    return certificate.public_bytes(serialization.Encoding.DER)


# --- time-stamping: the one place that talks to a TSA ------------------------------------


def default_timestamper():
    """The time-stamping client (:func:`qyzmet.eds.tsa.timestamp`) when a TSA is there: set
    by ``QYZMET_TSA_URL``, the demo TSA in demo mode, NCA's TSA in production; None on a
    development machine with none of them (the checkpoint is then only signed)."""
    from qyzmet.eds import tsa
    from qyzmet.eds.conf import demo_mode

    if getattr(settings, "QYZMET_TSA_URL", "") or demo_mode() or _production():
        return tsa.timestamp
    return None


def timestamp_token(data: bytes, timestamper) -> bytes:
    """An RFC 3161 time-stamp token (DER ContentInfo) over SHA-256(``data``), checked by the
    time-stamping client (imprint, nonce, the TSA's certificate and signature)."""
    from qyzmet.eds.tsa import TsaError

    try:
        return timestamper(data).der
    except TsaError as error:
        raise CheckpointError(f"no time-stamp: {error.code} ({error})") from error


def timestamp_time(token_der: bytes, data: bytes) -> datetime:
    """The token's time, once its imprint is SHA-256(``data``) and its signature is a trusted
    TSA's (``qyzmet.eds.tsa.verify_token``); raises :class:`CheckpointError` otherwise."""
    from qyzmet.eds import tsa

    try:
        return tsa.verify_token(token_der, data=data, hash_algorithm=tsa.SHA256).gen_time
    except tsa.TsaError as error:
        if error.code == "tsa_imprint_mismatch":
            raise CheckpointError("the time-stamp token is not over this checkpoint") from error
        raise CheckpointError(f"the time-stamp token is not valid ({error.code})") from error
    except (ValueError, TypeError, KeyError) as error:
        raise CheckpointError(f"the time-stamp token cannot be read: {error}") from error


# --- making a checkpoint ------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    count: int
    at: datetime
    timestamped_at: datetime | None
    path: Path | None = None


def _sign(payload: bytes) -> bytes:
    from qyzmet.eds.signing import load_signing_key, sign_with_key

    key, certificate, chain = load_signing_key(*_key_file())
    return sign_with_key(payload, key, certificate, chain, detached=True)


def make_checkpoint(out: Path | None = None, *, timestamper=None) -> Checkpoint:
    """Verify the chain up to its head, then write the head, signed and time-stamped, to
    ``out`` (default: a new file in :func:`checkpoint_dir`). A broken chain is not anchored.
    ``timestamper``: ``data -> TimestampToken`` (default :func:`default_timestamper`)."""
    head = AuditHead.objects.filter(id=1).first()
    sequence, last_hash, count = (
        (head.last_record_id, head.last_hash, head.count) if head else (0, "0" * 64, 0)
    )
    report = verify_chain(until=(sequence, last_hash))
    if not report.ok:
        raise CheckpointError(
            f"the audit chain is broken at record #{report.broken_record_id} "
            f"({report.reason}); no checkpoint is made over it"
        )
    now = timezone.now().astimezone(UTC)
    payload = canonical_json(
        {
            "format": FORMAT,
            "provider": getattr(settings, "QYZMET_PROVIDER_CODE", ""),
            "sequence": sequence,
            "hash": last_hash,
            "count": count,
            "at": now.isoformat(timespec="seconds"),
        }
    ).encode("utf-8")
    timestamper = timestamper if timestamper is not None else default_timestamper()
    token = timestamp_token(payload, timestamper) if timestamper is not None else None
    document = {
        "format": FORMAT,
        "payload": payload.decode("utf-8"),
        "signature": base64.b64encode(_sign(payload)).decode("ascii"),
        "timestamp": base64.b64encode(token).decode("ascii") if token else None,
    }
    if out is None:
        stamp = now.strftime("%Y%m%dT%H%M%SZ")
        out = checkpoint_dir() / f"audit-checkpoint-{stamp}-{sequence:012d}.json"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    temporary.replace(out)
    return Checkpoint(
        sequence,
        last_hash,
        count,
        now,
        timestamp_time(token, payload) if token else None,
        out,
    )


def latest_checkpoint_time() -> datetime | None:
    """When the newest checkpoint in :func:`checkpoint_dir` was written (by its file)."""
    folder = checkpoint_dir()
    if not folder.is_dir():
        return None
    times = [p.stat().st_mtime for p in folder.glob("audit-checkpoint-*.json")]
    return datetime.fromtimestamp(max(times), tz=UTC) if times else None


def checkpoint_due(now: datetime | None = None) -> bool:
    latest = latest_checkpoint_time()
    now = now or timezone.now()
    return latest is None or now - latest >= timedelta(seconds=interval_seconds())


# --- verifying the log against one ---------------------------------------------------------


@dataclass(frozen=True)
class CheckpointReport:
    ok: bool
    reason: str
    sequence: int | None = None
    at: str = ""
    timestamped_at: datetime | None = None


def _read(data: bytes) -> tuple[bytes, bytes, bytes | None]:
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        payload = document["payload"].encode("utf-8")
        signature = base64.b64decode(document["signature"], validate=True)
        token = document.get("timestamp")
        token = base64.b64decode(token, validate=True) if token else None
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise CheckpointError(f"not a readable checkpoint: {exc}") from exc
    return payload, signature, token


def _check_signature(payload: bytes, signature: bytes, at: datetime) -> None:
    """The CMS verifies over ``payload`` with the system certificate (pinned as the only
    anchor), valid ``at`` the checkpoint's time (a later expiry does not void it)."""
    from qyzmet.eds.chain import TrustStore
    from qyzmet.eds.cms import verify_cms
    from qyzmet.eds.revocation import RevocationSources

    verdict = verify_cms(
        signature,
        payload,
        trust=TrustStore.from_certificates([trusted_certificate()]),
        at=at,
        revocation=RevocationSources(required=False),
        purpose=None,
    )
    if not verdict.valid:
        raise CheckpointError(
            f"the checkpoint's signature is not the system key's ({verdict.code})"
        )


def verify_against_checkpoint(data: bytes) -> CheckpointReport:
    """Check a checkpoint file's signature and time-stamp, the chain, and that the log
    still holds the checkpoint's record with the checkpoint's hash."""
    try:
        payload, signature, token = _read(data)
        stamped = timestamp_time(token, payload) if token else None
        anchor = json.loads(payload)
        sequence, expected = int(anchor["sequence"]), str(anchor["hash"])
        _check_signature(payload, signature, stamped or datetime.fromisoformat(anchor["at"]))
    except CheckpointError as error:
        return CheckpointReport(False, str(error))
    except (ValueError, KeyError, TypeError) as exc:
        return CheckpointReport(False, f"not a readable checkpoint: {exc}")
    at = str(anchor.get("at", ""))

    def broken(reason: str) -> CheckpointReport:
        return CheckpointReport(False, reason, sequence, at, stamped)

    chain = verify_chain()
    if not chain.ok:
        return broken(f"the chain itself is broken at record #{chain.broken_record_id}")
    head = AuditHead.objects.filter(id=1).first()
    head_id = head.last_record_id if head else 0
    if sequence > head_id:
        return broken(
            f"the log was truncated: the checkpoint of {at} names record #{sequence}, "
            f"the log ends at #{head_id}"
        )
    if sequence:
        record = AuditRecord.objects.filter(id=sequence).only("hash").first()
        if record is None or not hmac.compare_digest(record.hash, expected):
            return broken(
                f"record #{sequence} differs from the checkpoint of {at}: the log up to it "
                "was altered and re-chained"
            )
    return CheckpointReport(True, "", sequence, at, stamped)
