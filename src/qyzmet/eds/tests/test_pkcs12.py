"""PKCS#12 key files: the real NCA files (RSA and GOST, legacy RC2-40/3DES) and bad input."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from qyzmet.eds.errors import EdsError
from qyzmet.eds.pkcs12 import GostPrivateKey, load_pkcs12, pkcs12_kdf

from .conftest import NCA_TEST_DIR, nca_file, password_for

P12_FILES = sorted(p.name for p in NCA_TEST_DIR.glob("*.p12"))


@pytest.mark.parametrize("name", P12_FILES)
def test_real_key_file_opens_with_its_password(name):
    bundle = load_pkcs12(nca_file(name), password_for(name), require_key=True)
    assert bundle.certificate is not None
    assert bundle.certificate.subject_common_name.startswith("ТЕСТ")
    if "2015" in name or "CEO_SIGN_REVOKED_2004" in name:
        assert isinstance(bundle.private_key, GostPrivateKey)
        assert bundle.algorithm in ("gost2004", "gost2015-512")
    else:
        assert isinstance(bundle.private_key, rsa.RSAPrivateKey)
        assert bundle.algorithm == "rsa"
        # the key belongs to the certificate
        assert (
            bundle.private_key.public_key().public_numbers()
            == bundle.certificate.rsa_public_key.public_numbers()
        )


@pytest.mark.parametrize("name", P12_FILES)
def test_wrong_password_is_detected_by_the_mac(name):
    with pytest.raises(EdsError) as caught:
        load_pkcs12(nca_file(name), "not-the-password")
    assert caught.value.code == "wrong_password"


def test_gost_key_file_is_refused_by_cryptography_but_read_here():
    # The reason this module exists: cryptography cannot open the GOST files.
    data = nca_file("KEY_INDIVIDUAL_VALID_2015.p12")
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(data, b"Aa123456")
    assert (
        load_pkcs12(data, "Aa123456").certificate.serial
        == 0xFF06211DC82BEB00253FFA000F1DE84ABEF454F
    )


def test_kdf_matches_cryptography_on_a_file_it_writes(rsa_key_bundle):
    """A p12 written by cryptography (PBES2/AES, SHA-256 MAC) opens here too."""
    cert = x509.load_der_x509_certificate(rsa_key_bundle.certificate.der)
    data = pkcs12.serialize_key_and_certificates(
        b"demo", rsa_key_bundle.private_key, cert, None, BestAvailableEncryption(b"s3cret")
    )
    bundle = load_pkcs12(data, "s3cret", require_key=True)
    assert bundle.certificate.fingerprint == rsa_key_bundle.certificate.fingerprint
    with pytest.raises(EdsError) as caught:
        load_pkcs12(data, "S3cret")
    assert caught.value.code == "wrong_password"


def test_kdf_known_answer():
    # RFC 7292 KDF, SHA-1, password "smeg", salt 0A58CF64530D823F, 1 iteration, ID 1
    # (the widely used OpenSSL/BouncyCastle test vector).
    key = pkcs12_kdf(
        "sha1", "smeg".encode("utf-16-be") + b"\0\0", bytes.fromhex("0A58CF64530D823F"), 1, 1, 24
    )
    assert key.hex().upper() == "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"


def test_certificate_only_p12_has_no_key(rsa_key_bundle):
    cert = x509.load_der_x509_certificate(rsa_key_bundle.certificate.der)
    data = pkcs12.serialize_key_and_certificates(
        None, None, None, [cert], BestAvailableEncryption(b"pw")
    )
    bundle = load_pkcs12(data, "pw")
    assert bundle.private_key is None and len(bundle.certificates) == 1
    with pytest.raises(EdsError) as caught:
        load_pkcs12(data, "pw", require_key=True)
    assert caught.value.code == "no_key"


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"\x30\x03\x02\x01\x03", nca_file("CERT_INDIVIDUAL.pem")],
)
def test_garbage_is_malformed(data):
    with pytest.raises(EdsError) as caught:
        load_pkcs12(data, "Qwerty12")
    assert caught.value.code == "malformed"


def test_truncated_and_flipped_files_never_open():
    data = nca_file("KEY_INDIVIDUAL_VALID_SIGN_2004.p12")
    with pytest.raises(EdsError) as caught:
        load_pkcs12(data[: len(data) // 2], "Qwerty12")
    assert caught.value.code == "malformed"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    with pytest.raises(EdsError) as caught:
        load_pkcs12(bytes(flipped), "Qwerty12")
    # the MAC covers the contents: a flipped byte reads as a wrong password or garbage
    assert caught.value.code in ("wrong_password", "malformed")
