"""Settings of the gateway client and the registry simulator.

Every value has a default and can be overridden with a ``QYZMET_REGISTRY_<NAME>`` setting.
In production (``QYZMET_ENV=production``) there is no default gateway URL and no demo keys:
the operator must configure the ШЭП endpoint, the system's gateway key and the gateway's
certificate, or every lookup is refused as "gateway unavailable".
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DEMO_URL = "http://127.0.0.1:8090/bip-sync/"


def _get(name: str, default):
    # An empty value (e.g. an unset environment variable read into settings) means "unset".
    value = getattr(settings, f"QYZMET_REGISTRY_{name}", None)
    return default if value is None or value == "" else value


def production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


def keys_dir() -> Path:
    """Where demo keys are generated (never used in production)."""
    default = Path(getattr(settings, "VAR_DIR", Path("var"))) / "registry"
    return Path(_get("KEYS_DIR", default))


def backend() -> str:
    """The gateway backend in use (``service.gateway_backends``)."""
    return _get("BACKEND", "signed-soap")


def url() -> str:
    return _get("URL", "" if production() else DEMO_URL)


def sender_id() -> str:
    return _get("SENDER_ID", "QYZMET_ALMATY_CULTURE")


def client_key_path() -> Path | None:
    value = _get("CLIENT_KEY", None if production() else keys_dir() / "client.key")
    return Path(value) if value else None


def client_cert_path() -> Path | None:
    value = _get("CLIENT_CERT", None if production() else keys_dir() / "client.crt")
    return Path(value) if value else None


def peer_cert_paths() -> list[Path]:
    """The gateway's (or the simulator's) signing certificates the client accepts (pinned).
    A list, so that a certificate rotation can be rolled out without downtime."""
    value = _get("PEER_CERTS", None if production() else [keys_dir() / "simulator.crt"])
    if not value:
        return []
    if isinstance(value, str | Path):
        value = [value]
    return [Path(item) for item in value]


def simulator_key_path() -> Path:
    return Path(_get("SIMULATOR_KEY", keys_dir() / "simulator.key"))


def simulator_cert_path() -> Path:
    return Path(_get("SIMULATOR_CERT", keys_dir() / "simulator.crt"))


def simulator_client_cert_paths() -> list[Path]:
    """Client certificates the simulator accepts (it pins the system's gateway certificate)."""
    value = _get("SIMULATOR_CLIENT_CERTS", None)
    if value is None:
        default = client_cert_path()
        return [default] if default else []
    if isinstance(value, str | Path):
        value = [value]
    return [Path(item) for item in value]


def connect_timeout() -> float:
    return float(_get("CONNECT_TIMEOUT", 2.0))


def read_timeout() -> float:
    return float(_get("READ_TIMEOUT", 5.0))


def retries() -> int:
    """Extra attempts after the first one (only for connect errors, timeouts and 5xx)."""
    return int(_get("RETRIES", 2))


def backoff() -> float:
    """Base back-off in seconds: attempt n waits about backoff * 2**(n-1), with jitter."""
    return float(_get("BACKOFF", 0.2))


def backoff_max() -> float:
    return float(_get("BACKOFF_MAX", 2.0))


def lookup_budget_seconds() -> float:
    """The whole time one lookup may take — every attempt, timeout and back-off included;
    attempts are cut short to fit, and none is started without time left (0: no budget)."""
    return float(_get("LOOKUP_BUDGET_SECONDS", 6.0))


def breaker_threshold() -> int:
    """Consecutive failed lookups after which the circuit opens."""
    return int(_get("BREAKER_THRESHOLD", 5))


def breaker_reset_seconds() -> float:
    """How long the circuit stays open before one trial lookup is let through."""
    return float(_get("BREAKER_RESET_SECONDS", 30.0))


def max_clock_skew_seconds() -> int:
    """How far a message's date may be from the receiver's clock (replay window)."""
    return int(_get("MAX_CLOCK_SKEW_SECONDS", 300))


def simulator_data_path() -> Path:
    return Path(_get("SIMULATOR_DATA", Path(__file__).resolve().parent / "data" / "gbd_seed.json"))


def autonomous_log() -> bool:
    """Write the exchange log and the circuit breaker's state outside the caller's
    transaction (``core/autonomous.py``: its own connection on PostgreSQL), so that they
    survive the caller's rollback. Tests that look up inside a rolled-back test transaction
    may turn it off to keep their database clean."""
    return bool(_get("AUTONOMOUS_LOG", True))
