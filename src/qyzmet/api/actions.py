"""Writes of the API: issuing and revoking bearer tokens. Each is one transaction and is
recorded in the audit log (who, how, which token — never the secret)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from qyzmet.audit import actions as audit

from . import conf
from .models import ApiToken

TOKEN_PREFIX = "qzm_"  # noqa: S105  (a marker that makes leaked tokens recognisable)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    token: ApiToken

    @property
    def expires_at(self) -> datetime:
        return self.token.expires_at


@transaction.atomic
def issue_token(user, *, method: str) -> IssuedToken:
    """A new bearer token for ``user`` (already authenticated by ``method``)."""
    now = timezone.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        key_sha256=token_digest(secret),
        user=user,
        created_at=now,
        expires_at=now + timedelta(seconds=int(conf.get("TOKEN_SECONDS"))),
        method=method,
    )
    # Long-expired tokens of this user are worthless: sweeping them keeps the table small.
    ApiToken.objects.filter(user=user, expires_at__lt=now - timedelta(days=1)).delete()
    audit.record(user, "api.token_issued", obj=token, after={"method": method, "id": token.pk})
    return IssuedToken(secret, token)


@transaction.atomic
def revoke_token(user, token: ApiToken) -> None:
    """Log-out: the token stops working at once."""
    updated = ApiToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit.record(user, "api.token_revoked", obj=token, after={"id": token.pk})
