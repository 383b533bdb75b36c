"""Staff desk test fixtures: logged-in clients per role, cases in every step made through the
real actions, the registry simulator as a real separate process (the registry app's own
helpers), and signing with the demo head's key."""

from __future__ import annotations

import base64

import pytest
from django.test import Client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(staff, catalog, media):
    return {role: client_for(user) for role, user in staff.items()}


# --- the head's EDS key: the session's demo PKI (root conftest, ``demo_pki``) ---------------


HEAD_KEY = "zhumabaev"  # the demo head; the ``staff`` fixture gives the head user this IIN


def head_signature(demo_pki, content: bytes, key: str = HEAD_KEY, purpose: str = "sign") -> str:
    return base64.b64encode(demo_pki.sign(key, content, purpose)).decode()


# --- the registry simulator as a separate process ------------------------------------------


@pytest.fixture(scope="session")
def registry_keys(tmp_path_factory):
    from qyzmet.registry.keys import generate_self_signed
    from qyzmet.registry.tests.conftest import Keys

    directory = tmp_path_factory.mktemp("office-registry-keys")
    pairs = {}
    for role in ("client", "simulator", "stranger"):
        pair = generate_self_signed(f"office test {role}")
        (directory / f"{role}.key").write_bytes(pair.key_pem)
        (directory / f"{role}.crt").write_bytes(pair.cert_pem)
        pairs[role] = pair
    return Keys(directory, **pairs)


@pytest.fixture(scope="session")
def simulator_process(registry_keys):
    from qyzmet.registry.tests.conftest import start_simulator, stop_simulator

    simulator = start_simulator(registry_keys)
    yield simulator
    stop_simulator(simulator)


@pytest.fixture
def gateway(simulator_process, registry_keys, settings):
    """The desk's gateway client pointed at the simulator; its behaviour normal again after."""
    from qyzmet.registry.service import reset_gateway_client

    normal = {"delay_ms": 0, "fail_rate": 0.0, "tamper_responses": False}
    simulator_process.control(**normal)
    settings.QYZMET_REGISTRY_URL = simulator_process.url
    settings.QYZMET_REGISTRY_CLIENT_KEY = registry_keys.path("client", "key")
    settings.QYZMET_REGISTRY_CLIENT_CERT = registry_keys.path("client", "crt")
    settings.QYZMET_REGISTRY_PEER_CERTS = [registry_keys.path("simulator", "crt")]
    settings.QYZMET_REGISTRY_RETRIES = 1
    settings.QYZMET_REGISTRY_BACKOFF = 0.01
    settings.QYZMET_REGISTRY_READ_TIMEOUT = 2.0
    settings.QYZMET_REGISTRY_BREAKER_THRESHOLD = 1000
    reset_gateway_client()
    yield simulator_process
    simulator_process.control(**normal)
    reset_gateway_client()


def case_path(app, tail: str = "") -> str:
    """The case page (or a page under it) of ``app`` in the office."""
    return f"/office/cases/{app.public_id}/{tail}"
