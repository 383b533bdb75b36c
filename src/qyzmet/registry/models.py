"""The log of exchanges with the e-gov gateway (evidence of every query to GBD FL/UL)."""

from django.conf import settings
from django.db import models


class Outcome(models.TextChoices):
    OK = "ok", "ok"
    NOT_FOUND = "not_found", "not found"
    ERROR = "error", "error"
    BAD_SIGNATURE = "bad_signature", "bad signature"
    TIMEOUT = "timeout", "timeout"
    REJECTED = "rejected", "rejected by the gateway"
    CIRCUIT_OPEN = "circuit_open", "not sent: circuit open"


class GatewayExchange(models.Model):
    """One lookup: the signed request as sent, the response as received, and how it ended.

    Written in its own transaction by the client (see ``actions.log_exchange``): the clerk's
    registration may fail after the lookup, but the query to a state database happened and
    its record must stay. ``application`` is set when the lookup is made for a case, or
    later when the case that used it is registered (``actions.attach_exchanges``).
    """

    message_id = models.UUIDField(unique=True)
    service_id = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    # The IIN or BIN asked for: the case page and an audit ask "who looked this person up".
    subject_identifier = models.CharField(max_length=12, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField()
    attempts = models.PositiveSmallIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    request_xml = models.TextField(blank=True)
    response_xml = models.TextField(blank=True)
    response_message_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_detail = models.TextField(blank=True)
    application = models.ForeignKey(
        "cases.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gateway_exchanges",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who asked, as text: kept even when the link to the user could not be (see actions).
    actor_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["outcome", "started_at"])]

    def __str__(self) -> str:
        return f"{self.service_id} {self.subject_identifier} {self.outcome} ({self.message_id})"


class CircuitState(models.Model):
    """The circuit breaker of one gateway URL, shared by every process and host
    (``breaker.SharedCircuitBreaker``): closed while ``open_until`` is empty, open until
    then, half-open after it (one trial lookup, marked by ``trial_until``)."""

    url = models.CharField(max_length=500, unique=True)
    failures = models.PositiveIntegerField(default=0)  # failed attempts in a row
    open_until = models.DateTimeField(null=True, blank=True)
    trial_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.url}: {self.failures} failures, open until {self.open_until}"
