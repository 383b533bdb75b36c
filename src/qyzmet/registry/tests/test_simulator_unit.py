"""The simulator's logic without HTTP: date window, identifiers, counters."""

from __future__ import annotations

import datetime as dt

import pytest

from qyzmet.demo.registry_simulator import Behaviour, RegistrySimulator, load_seed
from qyzmet.registry import conf, protocol


@pytest.fixture
def simulator(keys) -> RegistrySimulator:
    return RegistrySimulator(
        seed=load_seed(conf.simulator_data_path()),
        key=keys.simulator.key,
        cert=keys.simulator.cert,
        client_certs=[keys.client.cert],
    )


def request(keys, identifier="900101300007", *, date=None, service=protocol.SERVICE_PERSON):
    envelope = protocol.build_request(service, identifier, sender_id="T", message_date=date)
    return protocol.sign_envelope(envelope, keys.client.key, keys.client.cert)


def test_seed_has_the_demo_people_and_organisations_with_valid_identifiers():
    from qyzmet.core.identifiers import is_valid_identifier

    seed = load_seed(conf.simulator_data_path())
    assert {"900101300007", "850715450105", "051231600007"} <= set(seed.persons)
    assert {"150340000109", "070840007503"} <= set(seed.organizations)
    assert len(seed.persons) >= 20 and len(seed.organizations) >= 5
    assert all(is_valid_identifier(i) for i in [*seed.persons, *seed.organizations])
    for organization in seed.organizations.values():
        assert organization["headIin"] in seed.persons
    kazakh = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
    assert any(kazakh & set(p["surname"] + p["patronymic"]) for p in seed.persons.values())
    assert all("Алматы" in p["address"] for p in seed.persons.values())


def test_an_old_message_is_refused_as_expired(simulator, keys):
    old = protocol.now_utc() - dt.timedelta(hours=1)
    status, body = simulator.handle(request(keys, date=old))
    fault = protocol.parse_fault(body)
    assert status == 500 and fault.is_client_fault and fault.detail_code == "MESSAGE_EXPIRED"


def test_an_invalid_identifier_in_a_signed_request_is_a_client_fault(simulator, keys):
    status, body = simulator.handle(request(keys, identifier="123456789012"))
    assert status == 500
    assert protocol.parse_fault(body).detail_code == "BAD_REQUEST"


def test_counters_and_behaviour(simulator, keys):
    simulator.handle(request(keys))
    simulator.handle(request(keys, identifier="150340000109"))  # a BIN is not a person
    simulator.configure(fail_rate=1.0)
    status, body = simulator.handle(request(keys))
    assert status == 500 and not protocol.parse_fault(body).is_client_fault

    counters = simulator.snapshot()["counters"]
    assert counters == {"requests": 3, "answered": 1, "not_found": 1, "refused": 0, "failed": 1}
    with pytest.raises(ValueError):
        simulator.configure(fail_rate=1.5)
    assert simulator.behaviour == Behaviour(fail_rate=1.0)
