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
