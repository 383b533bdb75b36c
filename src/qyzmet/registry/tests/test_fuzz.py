"""Bad input on the wire is a refusal with a code, never a crash (either side)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qyzmet.demo.registry_simulator import RegistrySimulator, load_seed
from qyzmet.registry import conf, protocol


@pytest.fixture(scope="module")
def signed(keys) -> bytes:
    envelope = protocol.build_request(protocol.SERVICE_PERSON, "900101300007", sender_id="T")
    return protocol.sign_envelope(envelope, keys.client.key, keys.client.cert)


@pytest.fixture(scope="module")
def simulator(keys) -> RegistrySimulator:
    return RegistrySimulator(
        seed=load_seed(conf.simulator_data_path()),
        key=keys.simulator.key,
        cert=keys.simulator.cert,
        client_certs=[keys.client.cert],
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_any_one_byte_change_is_refused_or_harmless(signed, keys, simulator, position, value):
    position %= len(signed)
    mutated = signed[:position] + bytes([value]) + signed[position + 1 :]
    try:
        verified = protocol.verify_envelope(mutated, [keys.client.cert])
    except (protocol.SignatureError, protocol.ProtocolError):
        pass
    else:
        # Accepted only if what was signed still reads the same (e.g. a change in the
        # unsigned whitespace of the header, or an equivalent encoding).
        assert protocol.parse_request(verified.body).identifier == "900101300007"
    status, body = simulator.handle(mutated)
    assert status in (200, 500)
    assert body.startswith(b"<?xml")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_random_bytes_get_a_soap_client_fault(simulator, data):
    status, body = simulator.handle(data)
    fault = protocol.parse_fault(body)
    assert status == 500 and fault is not None and fault.is_client_fault
