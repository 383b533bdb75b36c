"""CMS / CAdES-BES verification (regulation p.10 процесс 6 and 9: the applicant's and the
head's signatures), with real NCA keys: RSA from KEY_INDIVIDUAL_VALID_SIGN_2004.p12 and
GOST 34.10-2015 from KEY_INDIVIDUAL_VALID_2015.p12."""

from __future__ import annotations

import base64

import pytest
from asn1crypto import cms, core
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
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
from .tampering import (
    altered_cms,
    as_gost2004,
    with_digest,
    with_digest_algorithms,
    with_second_signer,
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


def rsa_sha256_cms(setup, **kw) -> dict[str, bytes]:
    """The real RSA key's CAdES over DATA written by ``build_cms`` (sha256WithRSA)."""
    return build_cms(
        DATA,
        setup["bundle"].certificate,
        rsa_signer(setup["bundle"].private_key),
        digest_oid=SHA256,
        digest_fn=sha256,
        signature_oid=RSA_SHA256,
        **kw,
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
    parts = rsa_sha256_cms(rsa_setup, null_params=True)
    assert check(parts["cms"], DATA, rsa_setup).valid
    cms = bytearray(parts["cms"])
    position = bytes(cms).index(parts["signature"]) + 17
    cms[position] ^= 0x01
    assert check(bytes(cms), DATA, rsa_setup).code == "bad_signature"


def test_changed_byte_in_signed_attributes_is_bad_signature(rsa_setup):
    parts = rsa_sha256_cms(rsa_setup)
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


# --- stricter acceptance (issue 9 item 6): each rule refuses a CMS that used to pass
def test_a_signature_without_signed_attributes_is_refused(rsa_setup):
    """A real RSA signature straight over the content (no signedAttrs): the signature itself
    is good, but it binds neither the content type nor the certificate — not CAdES-BES."""
    bundle = rsa_setup["bundle"]
    cert = x509.load_der_x509_certificate(bundle.certificate.der)
    bare = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(DATA)
        .add_signer(cert, bundle.private_key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.NoAttributes],
        )
    )
    info = cms.ContentInfo.load(bare)["content"]["signer_infos"][0]
    assert not info["signed_attrs"]
    cert.public_key().verify(info["signature"].native, DATA, padding.PKCS1v15(), hashes.SHA256())
    verdict = check(bare, DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "no_signed_attributes")
    assert "подписанных атрибутов" in verdict.message("ru")


SHA1, SHA224, SHA384, SHA512 = (
    "1.3.14.3.2.26",
    "2.16.840.1.101.3.4.2.4",
    "2.16.840.1.101.3.4.2.2",
    "2.16.840.1.101.3.4.2.3",
)
RSA_WITH = {
    SHA1: ("1.2.840.113549.1.1.5", hashes.SHA1),  # noqa: S303 -- the refused case itself
    SHA224: ("1.2.840.113549.1.1.14", hashes.SHA224),
    SHA384: ("1.2.840.113549.1.1.12", hashes.SHA384),
    SHA512: ("1.2.840.113549.1.1.13", hashes.SHA512),
}


def rsa_cms_with(setup, digest_oid):
    """A correctly signed RSA CAdES over DATA with the real key and ``digest_oid``."""
    signature_oid, hash_class = RSA_WITH[digest_oid]
    key = setup["bundle"].private_key

    def digest_fn(data):
        h = hashes.Hash(hash_class())
        h.update(data)
        return h.finalize()

    return build_cms(
        DATA,
        setup["bundle"].certificate,
        lambda message: key.sign(message, padding.PKCS1v15(), hash_class()),
        digest_oid=digest_oid,
        digest_fn=digest_fn,
        signature_oid=signature_oid,
    )["cms"]


@pytest.mark.parametrize(
    ("digest_oid", "code"),
    [(SHA1, "digest_not_allowed"), (SHA224, "digest_not_allowed"), (SHA384, None), (SHA512, None)],
)
def test_only_sha2_from_256_and_streebog_digests_are_accepted(rsa_setup, digest_oid, code):
    verdict = check(rsa_cms_with(rsa_setup, digest_oid), DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (code is None, code), verdict.detail


def test_gost_34311_digest_stays_unsupported(rsa_setup):
    """GOST 34.311-95 (GOST-2004's digest) named in a real RSA signature: not a digest
    qyzmet can compute, so ``unsupported_algorithm`` as before, not ``digest_not_allowed``."""
    from qyzmet.eds.gost import GOST34311_DIGEST

    signature = with_digest(cryptography_cms(rsa_setup["bundle"], DATA), GOST34311_DIGEST)
    assert check(signature, DATA, rsa_setup).code == "unsupported_algorithm"


@pytest.mark.parametrize(
    "listed",
    [
        ["sha1"],  # replaced: a verifier trusting this list would hash with SHA-1
        ["sha256", "sha512"],  # one added
        [],  # emptied
        ["sha256", "sha256"],  # repeated
    ],
)
def test_altered_digest_algorithms_field_is_refused(rsa_setup, listed):
    """digestAlgorithms lies outside the signature: anyone can rewrite it without breaking
    the signature, so a received file that differs there is not what the signer sent."""
    original = cryptography_cms(rsa_setup["bundle"], DATA)
    assert check(original, DATA, rsa_setup).valid
    altered = with_digest_algorithms(original, listed)
    signer_info = cms.ContentInfo.load(altered)["content"]["signer_infos"][0].dump()
    assert signer_info in original  # the signer info and its signature are untouched
    verdict = check(altered, DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "digest_algorithms_mismatch")


def test_null_and_absent_digest_parameters_are_the_same_algorithm(rsa_setup):
    """RFC 5754 lets a signer write SHA-2 parameters as NULL or leave them out."""
    parts = rsa_sha256_cms(
        rsa_setup
    )  # parameters absent in the signer info and in digestAlgorithms
    assert check(parts["cms"], DATA, rsa_setup).valid

    def null(signed_data):
        signed_data["digest_algorithms"] = cms.DigestAlgorithms(
            [{"algorithm": "sha256", "parameters": core.Null()}]
        )

    with_null = altered_cms(parts["cms"], null)
    assert b"\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00" in with_null
    assert check(with_null, DATA, rsa_setup).valid


def test_more_than_one_signer_is_refused(rsa_setup, gost_setup):
    """Two real, valid signer infos over the same data (RSA and GOST-2015 test keys)."""
    rsa = cryptography_cms(rsa_setup["bundle"], DATA)
    gost = gost_cms(gost_setup, DATA)["cms"]
    assert check(rsa, DATA, rsa_setup).valid and check(gost, DATA, gost_setup).valid
    verdict = check(with_second_signer(rsa, gost), DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "multiple_signers")

    def no_signer(signed_data):
        signed_data["signer_infos"] = []

    assert check(altered_cms(rsa, no_signer), DATA, rsa_setup).code == "malformed"


def test_gost2004_signature_says_such_keys_are_retired(rsa_setup):
    verdict = check(as_gost2004(cryptography_cms(rsa_setup["bundle"], DATA)), DATA, rsa_setup)
    assert (verdict.valid, verdict.code) == (False, "gost2004_retired")
    assert verdict.signer is not None and verdict.signer.algorithm == "gost2004"
    assert "больше не выдаёт" in verdict.message("ru")


def test_holder_proven_only_when_the_key_signed_and_the_certificate_chains(rsa_setup):
    """What a log-in throttle may count against a person: a refusal after the signature
    verified with the key of a trusted certificate — never garbage or a forgery that merely
    carries someone's (public) certificate."""
    from datetime import UTC, datetime

    from qyzmet.eds.cms import holder_proven

    signature = cryptography_cms(rsa_setup["bundle"], DATA)
    assert holder_proven(check(signature, DATA, rsa_setup))  # valid
    expired = check(signature, DATA, {**rsa_setup, "at": datetime.now(UTC)})
    assert expired.code == "expired" and holder_proven(expired)
    forged = check(signature, DATA + b"!", rsa_setup)  # the certificate, not the key's work
    assert forged.code == "digest_mismatch" and forged.signer and not holder_proven(forged)
    untrusted = check(signature, DATA, {**rsa_setup, "trust": anchors("ca__nca_gost2015_test.cer")})
    assert untrusted.code == "untrusted_chain" and not holder_proven(untrusted)
    assert not holder_proven(check(b"AAAA", DATA, rsa_setup))
