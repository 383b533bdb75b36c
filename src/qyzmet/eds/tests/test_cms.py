"""CMS / CAdES-BES verification (regulation p.10 процесс 6 and 9: the applicant's and the
head's signatures), with real NCA keys: RSA from KEY_INDIVIDUAL_VALID_SIGN_2004.p12 and
GOST 34.10-2015 from KEY_INDIVIDUAL_VALID_2015.p12."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from qyzmet.eds.cms import verify_cms
from qyzmet.eds.pkcs12 import load_pkcs12
from qyzmet.eds.revocation import RevocationSources

from .conftest import (
    GOST2015_512,
    RSA_SHA256,
    SHA256,
    STREEBOG512,
    anchors,
    build_cms,
    gost2015_signer,
    moment_inside,
    nca_file,
    rsa_signer,
    sha256,
    streebog512,
)

DATA = "Заявление: временный вывоз культурных ценностей".encode()


@pytest.fixture(scope="module")
def rsa_setup(rsa_key_bundle):
    return {
        "bundle": rsa_key_bundle,
        "at": moment_inside(rsa_key_bundle.certificate),
        "sources": RevocationSources(crls=[nca_file("crl__nca_rsa_test.crl")]),
        "trust": anchors("root_rsa_test.pem", "NCA_2004_RSA_CERT.pem"),
    }


def cryptography_cms(bundle, data, *, detached=True, encoding=serialization.Encoding.DER):
    cert = x509.load_der_x509_certificate(bundle.certificate.der)
    options = [pkcs7.PKCS7Options.DetachedSignature] if detached else []
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(cert, bundle.private_key, hashes.SHA256())
        .sign(encoding, options)
    )


def check(signature, data, setup, **kw):
    return verify_cms(
        signature, data, trust=setup["trust"], at=setup["at"], revocation=setup["sources"], **kw
    )


def test_detached_rsa_signature_by_cryptography_is_valid(rsa_setup):
    verdict = check(
        cryptography_cms(rsa_setup["bundle"], DATA), DATA, rsa_setup, expect_iin="123456789011"
    )
    assert (verdict.valid, verdict.code) == (True, None), verdict.detail
    assert verdict.signer.iin == "123456789011"
    assert verdict.signed_attributes["message_digest"] == sha256(DATA).hex()
    assert verdict.signed_attributes["content_type"] == "1.2.840.113549.1.7.1"


def test_attached_rsa_signature_is_valid_without_data(rsa_setup):
    signature = cryptography_cms(rsa_setup["bundle"], DATA, detached=False)
    assert check(signature, None, rsa_setup).valid
    assert check(signature, DATA, rsa_setup).valid
    assert check(signature, DATA + b"!", rsa_setup).code == "digest_mismatch"


def test_pem_and_base64_signatures_are_accepted(rsa_setup):
    der = cryptography_cms(rsa_setup["bundle"], DATA)
    pem = cryptography_cms(rsa_setup["bundle"], DATA, encoding=serialization.Encoding.PEM)
    assert check(pem, DATA, rsa_setup).valid
    assert check(base64.b64encode(der), DATA, rsa_setup).valid


def test_detached_without_data_is_malformed(rsa_setup):
    assert check(cryptography_cms(rsa_setup["bundle"], DATA), None, rsa_setup).code == "malformed"


def test_changed_byte_in_data_is_digest_mismatch(rsa_setup):
    signature = cryptography_cms(rsa_setup["bundle"], DATA)
    changed = bytearray(DATA)
    changed[5] ^= 0x01
    verdict = check(signature, bytes(changed), rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "digest_mismatch")
    assert verdict.signer is not None


def test_changed_byte_in_signature_is_bad_signature(rsa_setup):
    parts = build_cms(
        DATA,
        rsa_setup["bundle"].certificate,
        rsa_signer(rsa_setup["bundle"].private_key),
        digest_oid=SHA256,
        digest_fn=sha256,
        signature_oid=RSA_SHA256,
        null_params=True,
    )
    assert check(parts["cms"], DATA, rsa_setup).valid
    cms = bytearray(parts["cms"])
    position = bytes(cms).index(parts["signature"]) + 17
    cms[position] ^= 0x01
    assert check(bytes(cms), DATA, rsa_setup).code == "bad_signature"


def test_changed_byte_in_signed_attributes_is_bad_signature(rsa_setup):
    parts = build_cms(
        DATA,
        rsa_setup["bundle"].certificate,
        rsa_signer(rsa_setup["bundle"].private_key),
        digest_oid=SHA256,
        digest_fn=sha256,
        signature_oid=RSA_SHA256,
    )
    cms = bytearray(parts["cms"])
    # change one digit of the signingTime value inside signedAttrs
    attrs_at = bytes(cms).index(parts["signed_attrs"])
    time_at = parts["signed_attrs"].index(b"\x17\x0d") + 2 + 11  # units of the seconds
    cms[attrs_at + time_at] = ord("1") if cms[attrs_at + time_at] != ord("1") else ord("2")
    verdict = check(bytes(cms), DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "bad_signature")


def test_attributes_in_signer_order_are_verified_over_the_received_bytes(rsa_setup):
    """node-forge writes signedAttrs in its own (non-DER-sorted) order and signs those
    bytes; a verifier that re-encodes them would call a good signature bad."""
    orders = [
        ("content_type", "signing_time", "message_digest"),
        ("message_digest", "content_type", "signing_time"),
        ("signing_time", "message_digest", "content_type"),
    ]
    for order in orders:
        parts = build_cms(
            DATA,
            rsa_setup["bundle"].certificate,
            rsa_signer(rsa_setup["bundle"].private_key),
            digest_oid=SHA256,
            digest_fn=sha256,
            signature_oid="1.2.840.113549.1.1.1",
            attribute_order=order,
            null_params=True,
        )
        verdict = check(parts["cms"], DATA, rsa_setup)
        assert (verdict.valid, verdict.code) == (True, None), (order, verdict.detail)


def test_signature_by_a_revoked_key_is_revoked(rsa_setup):
    revoked = load_pkcs12(
        nca_file("KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12"), "Qwerty12", require_key=True
    )
    signature = cryptography_cms(revoked, DATA)
    setup = {**rsa_setup, "at": moment_inside(revoked.certificate)}
    assert check(signature, DATA, setup).code == "revoked"


def test_authentication_key_cannot_sign(rsa_setup):
    auth = load_pkcs12(
        nca_file("KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12"), "Qwerty12", require_key=True
    )
    setup = {**rsa_setup, "at": moment_inside(auth.certificate)}
    # purpose is checked before revocation: the refusal names the real problem first
    assert check(cryptography_cms(auth, DATA), DATA, setup).code == "wrong_purpose"


def test_signer_from_another_ca_is_untrusted(rsa_setup):
    setup = {**rsa_setup, "trust": anchors("ca__nca_gost2015_test.cer")}
    assert check(cryptography_cms(rsa_setup["bundle"], DATA), DATA, setup).code == "untrusted_chain"


def test_expired_today(rsa_setup):
    from datetime import UTC, datetime

    setup = {**rsa_setup, "at": datetime.now(UTC)}
    assert check(cryptography_cms(rsa_setup["bundle"], DATA), DATA, setup).code == "expired"


def test_identity_mismatch(rsa_setup):
    signature = cryptography_cms(rsa_setup["bundle"], DATA)
    assert check(signature, DATA, rsa_setup, expect_iin="123456789012").code == "iin_mismatch"
    assert check(signature, DATA, rsa_setup, expect_bin="123456789021").code == "bin_mismatch"


@pytest.mark.parametrize("cut", [1, 10, 100, 500])
def test_truncated_signature_is_malformed(rsa_setup, cut):
    signature = cryptography_cms(rsa_setup["bundle"], DATA)
    verdict = check(signature[:-cut], DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "malformed")


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00",
        b"not a signature",
        b"\x30\x03\x02\x01\x01",
        b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
        nca_file("CERT_INDIVIDUAL.pem"),
        nca_file("crl__nca_rsa_test.crl"),
    ],
)
def test_garbage_signature_is_malformed(rsa_setup, garbage):
    verdict = check(garbage, DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "malformed")


# --- GOST 34.10-2015 (512) with the real test key
@pytest.fixture(scope="module")
def gost_setup():
    bundle = load_pkcs12(nca_file("KEY_INDIVIDUAL_VALID_2015.p12"), "Aa123456", require_key=True)
    return {
        "bundle": bundle,
        "at": moment_inside(bundle.certificate),
        "sources": RevocationSources(crls=[nca_file("crl__nca_gost2022_test.crl")]),
        "trust": anchors("ca__nca_gost2015_test.cer"),
    }


def gost_cms(setup, data, **kw):
    return build_cms(
        data,
        setup["bundle"].certificate,
        gost2015_signer(setup["bundle"]),
        digest_oid=STREEBOG512,
        digest_fn=streebog512,
        signature_oid=GOST2015_512,
        **kw,
    )


def test_gost2015_signature_is_valid(gost_setup):
    parts = gost_cms(gost_setup, DATA)
    verdict = check(parts["cms"], DATA, gost_setup, expect_iin="123456789012")
    assert (verdict.valid, verdict.code) == (True, None), verdict.detail
    assert verdict.signer.algorithm == "gost2015-512"


def test_gost2015_attached_and_tampered(gost_setup):
    parts = gost_cms(gost_setup, DATA, detached=False)
    assert check(parts["cms"], None, gost_setup).valid
    assert check(parts["cms"], DATA[:-1], gost_setup).code == "digest_mismatch"
    cms = bytearray(parts["cms"])
    cms[bytes(cms).index(parts["signature"]) + 3] ^= 0x01
    assert check(bytes(cms), None, gost_setup).code == "bad_signature"


def test_gost2015_revoked_ceo_signature_is_revoked():
    bundle = load_pkcs12(nca_file("KEY_CEO_REVOKED_2015.p12"), "Aa123456", require_key=True)
    setup = {
        "bundle": bundle,
        "at": moment_inside(bundle.certificate),
        "sources": RevocationSources(
            ocsp_responses=[nca_file("ocsp__ocsp_response_ceo_2015_revoked.bin")]
        ),
        "trust": anchors("ca__nca_gost2015_test.cer"),
    }
    verdict = check(gost_cms(setup, DATA)["cms"], DATA, setup, expect_bin="123456789021")
    assert (verdict.valid, verdict.code) == (False, "revoked")
