"""The base of every API view: JSON in and out, token or session authentication, the API's
exception handler and throttles — set here rather than in global DRF settings, so the API
behaves the same whatever else the project configures."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, throttling
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from qyzmet.accounts.models import STAFF_ROLES, Role
from qyzmet.core.client import client_address
from qyzmet.core.refusals import Refused

from . import conf
from .authentication import CsrfSessionAuthentication, ExpiringTokenAuthentication
from .errors import api_exception_handler
from .models import IdempotentResponse, RequestCount
from .parsing import LimitedJSONParser


class _ConfiguredRate:
    """A DRF rate throttle whose rate is a setting, whose client address is the one
    ``qyzmet.core.client`` derives (X-Forwarded-For only from the trusted proxies), and whose
    count lives in the database (``RequestCount``, fixed windows): shared by every process,
    not one count per worker."""

    rate_setting = ""

    def get_rate(self):
        return conf.get(self.rate_setting)

    def get_ident(self, request) -> str:
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = timezone.now()
        seconds = int(self.duration)
        start = datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=UTC)
        self.wait_seconds = (start + timedelta(seconds=seconds) - now).total_seconds()
        return _counted(hashlib.sha256(key.encode()).hexdigest(), start) <= self.num_requests

    def wait(self):
        return self.wait_seconds


def _counted(key: str, window_start) -> int:
    """Add one request to the window's count and return the count, atomically (one UPDATE,
    or the INSERT that starts the window)."""
    counts = RequestCount.objects.filter(key=key, window_start=window_start)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # A rate counter needs no durable commit: losing the last few counts in a crash
            # is harmless, waiting for the WAL flush on every anonymous request is not.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if not counts.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RequestCount.objects.create(key=key, window_start=window_start, count=1)
                RequestCount.objects.filter(
                    window_start__lt=window_start - timedelta(days=1)
                ).delete()
                return 1
            except IntegrityError:  # another process started the window at the same moment
                counts.update(count=F("count") + 1)
        return counts.values_list("count", flat=True).first() or 1


class AuthRateThrottle(_ConfiguredRate, throttling.AnonRateThrottle):
    """Authentication endpoints, per client address, whoever is asking."""

    scope = "qyzmet_api_auth"
    rate_setting = "AUTH_RATE"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AnonRateThrottle(_ConfiguredRate, throttling.AnonRateThrottle):
    scope = "qyzmet_api_anon"
    rate_setting = "ANON_RATE"


class IsApplicant(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(Role.APPLICANT))


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(*STAFF_ROLES))


class ApiView(APIView):
    authentication_classes = [ExpiringTokenAuthentication, CsrfSessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [LimitedJSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonRateThrottle]
    schema = AutoSchema()

    def get_exception_handler(self):
        return api_exception_handler

    def permission_denied(self, request, message=None, code=None):
        # A wrong role is a refusal with the shared code, like the web pages show it.
        if request.authenticators and not request.successful_authenticator:
            return super().permission_denied(request, message, code)
        raise Refused("permission_denied")


class PublicApiView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []


# --- Idempotency-Key -----------------------------------------------------------------------

_KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:\-]{8,64}")


def idempotency_key(request, *, required: bool) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        if required:
            raise Refused("idempotency_key_required")
        return None
    if not _KEY_PATTERN.fullmatch(key):
        raise Refused("idempotency_key_invalid")
    return key


def _fingerprint(request, body_digest: str) -> str:
    return hashlib.sha256(f"{request.method} {request.path}\n{body_digest}".encode()).hexdigest()


def replay_or_run(request, key: str | None, body_digest: str, run) -> Response:
    """Run ``run()`` (which returns ``(status, body)``) once per ``(user, key)``.

    The answer is stored in the same transaction as the change, so a retry — after a lost
    response, a timeout, a double click — gets the stored answer and changes nothing. A key
    reused for a different request is refused. Refusals are not stored: the request changed
    nothing, and the client may correct the cause and retry with the same key."""
    if key is None:
        status, body = run()
        return Response(body, status=status)
    fingerprint = _fingerprint(request, body_digest)

    def stored() -> Response | None:
        record = IdempotentResponse.objects.filter(user=request.user, key=key).first()
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            raise Refused("idempotency_key_reused")
        response = Response(record.body, status=record.status_code)
        response["Idempotent-Replayed"] = "true"
        return response

    previous = stored()
    if previous is not None:
        return previous
    try:
        with transaction.atomic():
            status, body = run()
            IdempotentResponse.objects.create(
                user=request.user,
                key=key,
                fingerprint=fingerprint,
                status_code=status,
                body=body,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        previous = stored()
        if previous is None:
            raise
        return previous
    return Response(body, status=status)


def documented(**kwargs):
    """``extend_schema`` for a view method, bound to drf-spectacular's AutoSchema even where
    the project's DRF settings name no DEFAULT_SCHEMA_CLASS (a method has no class to ask)."""

    kwargs.setdefault("responses", {200: OpenApiResponse(description="JSON")})

    def decorate(method):
        method.schema = AutoSchema
        return extend_schema(**kwargs)(method)

    return decorate
