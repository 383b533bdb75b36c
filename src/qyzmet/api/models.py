"""State of the API itself: bearer tokens and remembered answers to idempotent requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of one log-in. The secret is shown once; only its SHA-256 is kept, so
    a copy of the database lets nobody act as the user. It expires and can be revoked."""

    key_sha256 = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # How the holder proved who they are: password, eds, eds_sign_up, staff_password.
    method = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("токен API")
        verbose_name_plural = _("токены API")
        indexes = [models.Index(fields=["user", "expires_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class IdempotentResponse(models.Model):
    """The answer given to a request with an ``Idempotency-Key`` header: a retry with the same
    key (and the same request) gets the same answer and changes nothing. Stored in the same
    transaction as the change it reports, so "changed" and "remembered" commit together."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # Method, path and SHA-256 of the body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ответ на идемпотентный запрос")
        verbose_name_plural = _("ответы на идемпотентные запросы")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.user_id}"


class RequestCount(models.Model):
    """Requests counted per throttle key (hashed scope and client address) in fixed windows,
    in the database so every worker process and host shares one count (``base.py``'s
    throttles). Rows of past windows are swept as new windows start."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик запросов")
        verbose_name_plural = _("счётчики запросов")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="api_request_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.count} from {self.window_start:%H:%M:%S}"
