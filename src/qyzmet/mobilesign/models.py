"""One eGov mobile QR signing request (EDS.md, "eGov mobile QR signing").

A session is made when a person chooses "eGov mobile" on a signing page: the applicant's
request of a draft, or the head's result decision. It names the exact bytes the phone must
sign (their SHA-256; the bytes themselves stay where they live — the draft's canonical
request, the decision's prepared byte range — and are re-checked against the hash whenever
they are served or a signature is accepted), the person it is bound to (the logged-in user
and the IIN/BIN the signing certificate must carry), the case, and its lifetime. Its token
is the only secret of the public protocol URLs; a session is used at most once.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


class Purpose(models.TextChoices):
    REQUEST = "request", "applicant's request"
    RESULT = "result", "head's result decision"
    # An anonymous visitor's EDS sign-up / log-in challenge (accounts.Challenge): the session
    # is bound to the browser session that started it, not to a user or an application.
    SIGN_UP = "sign_up", "sign-up challenge"
    LOG_IN = "log_in", "log-in challenge"


AUTH_PURPOSES = frozenset({Purpose.SIGN_UP, Purpose.LOG_IN})


class State(models.TextChoices):
    WAITING = "waiting", "waiting for the phone"
    SIGNED = "signed", "signed"
    REFUSED = "refused", "refused"
    EXPIRED = "expired", "expired"


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits, URL-safe (43 characters)


class SigningSession(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    application = models.ForeignKey(
        "cases.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mobile_signing_sessions",
    )
    decision = models.ForeignKey(
        "cases.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Sign-up / log-in: the challenge whose payload is signed, and the SHA-256 of the random
    # binding secret kept in the browser session that started the QR (only it may complete).
    challenge = models.ForeignKey(
        "accounts.Challenge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    browser_binding = models.CharField(max_length=64, blank=True)
    # The accepted CMS (base64), kept until that browser session completes the sign-up/log-in.
    signature = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expected_iin = models.CharField(max_length=12, blank=True)
    expected_bin = models.CharField(max_length=12, blank=True)
    # The documentsToSign id the app must send back with its signature.
    document_id = models.CharField(max_length=80)
    content_sha256 = models.CharField(max_length=64)
    content_size = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    refusal_code = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    api1_served_at = models.DateTimeField(null=True, blank=True)
    api2_served_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["application", "purpose", "state"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.application_id} {self.state}"

    def snapshot(self) -> dict:
        return {
            "purpose": self.purpose,
            "application": self.application_id,
            "decision": self.decision_id,
            "challenge": self.challenge_id,
            "user": self.user_id,
            "expected_iin": self.expected_iin,
            "expected_bin": self.expected_bin,
            "document_id": self.document_id,
            "content_sha256": self.content_sha256,
            "state": self.state,
            "refusal_code": self.refusal_code,
            "expires_at": self.expires_at.isoformat(),
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
        }
