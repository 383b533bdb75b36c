"""How API clients prove who they are.

- ``Authorization: Bearer <token>``: the token from a log-in endpoint (EDS or IIN/BIN +
  password for applicants, username + password for staff). Expiring, revocable, stored
  hashed; never sent in a URL. CSRF does not apply: a browser never adds this header itself.
- A Django session (a person logged in to the portal or the office in the same browser,
  e.g. on the documentation page): accepted with DRF's CSRF check on unsafe methods.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from .actions import token_digest
from .models import ApiToken


class ExpiringTokenAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2 or len(header[1]) > 200:
            raise exceptions.AuthenticationFailed("malformed token header")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("malformed token") from exc
        token = (
            ApiToken.objects.select_related("user")
            .filter(
                key_sha256=token_digest(secret),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("invalid token")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced for unsafe methods)."""
