"""Demo gateway keys: generated once, at run time, never committed."""

import stat

from cryptography.hazmat.primitives import serialization

from qyzmet.registry.keys import ensure_demo_keys, load_certificate, load_private_key


def test_demo_keys_are_created_once_and_match(tmp_path):
    first = ensure_demo_keys(tmp_path / "registry")
    contents = {path: path.read_bytes() for pair in first.values() for path in pair}

    second = ensure_demo_keys(tmp_path / "registry")

    assert second == first
    assert {path: path.read_bytes() for path in contents} == contents  # untouched
    for key_path, cert_path in first.values():
        key, cert = load_private_key(key_path), load_certificate(cert_path)
        assert key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ) == cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_client_and_simulator_get_different_keys(tmp_path):
    pairs = ensure_demo_keys(tmp_path)
    assert pairs["client"][0].read_bytes() != pairs["simulator"][0].read_bytes()


def test_a_missing_half_of_a_pair_is_regenerated_as_a_pair(tmp_path):
    pairs = ensure_demo_keys(tmp_path)
    key_path, cert_path = pairs["client"]
    old_key = key_path.read_bytes()
    cert_path.unlink()

    ensure_demo_keys(tmp_path)

    assert key_path.read_bytes() != old_key
    assert load_certificate(cert_path).public_key().public_numbers() == (
        load_private_key(key_path).public_key().public_numbers()
    )
