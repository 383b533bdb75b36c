"""Reads of applicants' accounts (the portal and the REST API share them)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from .models import Challenge, Role, User


def open_challenge(challenge_id) -> Challenge | None:
    """A challenge that can still be signed: known, unused and not expired."""
    try:
        public_id = uuid.UUID(str(challenge_id))
    except ValueError:
        return None
    return Challenge.objects.filter(
        public_id=public_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def needs_portal_password(user: User) -> bool:
    """Signed up with the EDS but has not set the password for IIN/BIN log-in yet."""
    return user.is_authenticated and user.role == Role.APPLICANT and not user.has_usable_password()


def sign_in_certificates(user: User) -> list[dict]:
    """The EDS certificates the applicant signed up or logged in with (from the audit log:
    ``accounts.sign_up`` and the EDS ``accounts.login`` records), one entry per serial:
    first and last use, how many times, the certificate's name, issuer, validity."""
    from qyzmet.audit.models import AuditRecord

    found: dict[str, dict] = {}
    records = AuditRecord.objects.filter(
        actor=user, action__in=("accounts.sign_up", "accounts.login")
    ).order_by("id")
    for record in records:
        after = record.after or {}
        certificate = after.get("certificate") or (
            {"serial": after["certificate_serial"]} if after.get("certificate_serial") else None
        )
        if not certificate or not certificate.get("serial"):
            continue
        entry = found.setdefault(
            certificate["serial"], {"first_used": record.at, "uses": 0, **certificate}
        )
        entry.update({k: v for k, v in certificate.items() if v})
        entry["last_used"] = record.at
        entry["uses"] += 1
    return sorted(found.values(), key=lambda e: e["last_used"], reverse=True)
