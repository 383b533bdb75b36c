"""The process's gateway client, built once from settings (``conf.py``).

In demo mode the demo keys are generated on first use (``var/registry/``); in production
the URL, the key, the certificate and the gateway's pinned certificate must be configured,
or every lookup is refused with ``gateway_unavailable`` (and the reason is logged).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from qyzmet.core.plugins import Registry
from qyzmet.core.refusals import Refused

from . import conf
from . import refusals as _refusals  # noqa: F401
from .breaker import SharedCircuitBreaker
from .client import GatewayClient
from .keys import ensure_demo_keys

logger = logging.getLogger(__name__)

_client: GatewayClient | None = None
_lock = threading.Lock()


class _Misconfigured:
    """Stands in for the client when settings are incomplete: every lookup is refused."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def lookup_person(self, iin, *, application=None, actor=None):
        logger.error("gateway client not configured: %s", self.reason)
        raise Refused("gateway_unavailable")

    lookup_organization = lookup_person


# How the e-gov gateway is reached: each backend builds the client from the settings; the
# setting QYZMET_REGISTRY_BACKEND names the one in use. A new backend (another transport, a
# recorded-answers stub for a training system) is one more decorated function.
gateway_backends: Registry[Callable[[], GatewayClient]] = Registry("registry gateway backend")


@gateway_backends("signed-soap")
def build_client_from_settings() -> GatewayClient:
    """The ШЭП's synchronous SOAP channel with WS-Security signatures (client.py)."""
    url = conf.url()
    if not url:
        raise ValueError("QYZMET_REGISTRY_URL is not set")
    if not conf.production():
        ensure_demo_keys(conf.keys_dir())
    key_path, cert_path, peers = (
        conf.client_key_path(),
        conf.client_cert_path(),
        conf.peer_cert_paths(),
    )
    if not key_path or not cert_path or not peers:
        raise ValueError(
            "QYZMET_REGISTRY_CLIENT_KEY, QYZMET_REGISTRY_CLIENT_CERT and "
            "QYZMET_REGISTRY_PEER_CERTS must be set"
        )
    return GatewayClient(
        url,
        key=key_path,
        cert=cert_path,
        peer_cert=list(peers),
        timeout=(conf.connect_timeout(), conf.read_timeout()),
        retries=conf.retries(),
        backoff=conf.backoff(),
        breaker=SharedCircuitBreaker(
            url,
            conf.breaker_threshold(),
            conf.breaker_reset_seconds(),
            trial_seconds=max(conf.lookup_budget_seconds(), conf.read_timeout()) + 5,
        ),
        budget=conf.lookup_budget_seconds() or None,
        sender_id=conf.sender_id(),
        backoff_max=conf.backoff_max(),
    )


def gateway_client() -> GatewayClient | _Misconfigured:
    """The shared client (thread-safe; one keep-alive connection per thread)."""
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                try:
                    _client = gateway_backends[conf.backend()]()
                except (KeyError, ValueError, OSError) as exc:
                    # Not cached: the operator may fix the files without a restart.
                    return _Misconfigured(str(exc))
    return _client


def reset_gateway_client() -> None:
    """Forget the shared client (after a settings change, e.g. in tests)."""
    global _client
    with _lock:
        if _client is not None:
            _client.close()
        _client = None
