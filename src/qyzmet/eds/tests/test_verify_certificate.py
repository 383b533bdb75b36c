"""Verdicts on the real NCA certificates, CRLs and OCSP responses (regulation p.10,
условие 2: validity period, absence from the revocation list, IIN/BIN match)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qyzmet.eds.cms import verify_certificate
from qyzmet.eds.revocation import RevocationCache, RevocationSources

from .conftest import anchors, leaf_of, moment_inside, nca_file

RSA_CRL = "crl__nca_rsa_test.crl"
GOST_CRL = "crl__nca_gost_test.crl"
GOST2015_CRL = "crl__nca_gost2022_test.crl"


def crl_sources(*names):
    return RevocationSources(crls=[nca_file(n) for n in names])


def ocsp_sources(*names):
    return RevocationSources(ocsp_responses=[nca_file(n) for n in names])


def verdict(name, sources, trust, *, at=None, purpose=None, **kw):
    leaf = leaf_of(name)
    return verify_certificate(
        leaf, trust=trust, at=at or moment_inside(leaf), revocation=sources, purpose=purpose, **kw
    )


# --- valid inside their period
@pytest.mark.parametrize(
    ("name", "crl", "purpose"),
    [
        ("CERT_INDIVIDUAL.pem", RSA_CRL, "sign"),
        ("certs__individual_valid_sign_2004_rsa.cer", RSA_CRL, "sign"),
        ("certs__individual_valid_sign_2004_rsa_auth.cer", RSA_CRL, "auth"),
        ("KEY_INDIVIDUAL_VALID_SIGN_2004.p12", RSA_CRL, "sign"),
        ("KEY_INDIVIDUAL_VALID_2015.p12", GOST2015_CRL, "sign"),
    ],
)
def test_valid_certificates_are_valid_by_their_crl(name, crl, purpose, nca_trust):
    result = verdict(name, crl_sources(crl), nca_trust, purpose=purpose)
    assert (result.valid, result.code) == (True, None), result.detail
    assert result.revocation.source == "crl"
    assert result.signer.serial == format(leaf_of(name).serial, "x")


def test_valid_rsa_key_is_good_by_its_real_ocsp_response(nca_trust):
    result = verdict(
        "KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
        ocsp_sources("ocsp__ocsp_response_individual_sign_2004.bin"),
        nca_trust,
        purpose="sign",
    )
    assert (result.valid, result.code) == (True, None), result.detail
    assert result.revocation.source == "ocsp"


# --- revoked by their CRL and by their OCSP response
@pytest.mark.parametrize(
    ("name", "crl"),
    [
        ("KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12", RSA_CRL),
        ("KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12", RSA_CRL),
        ("KEY_CEO_REVOKED_2015.p12", GOST2015_CRL),
    ],
)
def test_revoked_certificates_are_revoked_by_their_crl(name, crl, nca_trust):
    result = verdict(name, crl_sources(crl), nca_trust)
    assert (result.valid, result.code) == (False, "revoked")
    assert result.signer is not None  # the refusal still says whose certificate it was


def test_revoked_gost2015_ceo_is_revoked_by_its_real_ocsp_response(nca_trust):
    # The response is signed with GOST 2015 by an OCSP responder certificate that the CA
    # issued with id-kp-OCSPSigning: both signatures are verified.
    result = verdict(
        "KEY_CEO_REVOKED_2015.p12",
        ocsp_sources("ocsp__ocsp_response_ceo_2015_revoked.bin"),
        nca_trust,
    )
    assert (result.valid, result.code) == (False, "revoked")
    assert "ocsp" in result.detail


def test_real_ocsp_answer_for_the_2015_individual_says_not_issued(nca_trust):
    # The real responder answers "revoked, 1970-01-01, certificateHold" with the
    # extended-revoke extension: RFC 6960 §2.2 "non-issued". That is never "good".
    result = verdict(
        "KEY_INDIVIDUAL_VALID_2015.p12",
        ocsp_sources("ocsp__ocsp_response_individual_2015.bin"),
        nca_trust,
    )
    assert (result.valid, result.code) == (False, "revoked")


def test_revocation_dated_after_the_moment_does_not_revoke(nca_trust):
    leaf = leaf_of("KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12")  # revoked 2022-01-18 04:40:24
    before = datetime(2022, 1, 18, 4, 40, 0, tzinfo=UTC)
    result = verdict(
        "KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12", crl_sources(RSA_CRL), nca_trust, at=before
    )
    assert leaf.not_before < before
    assert (result.valid, result.code) == (True, None)


def test_gost2004_says_such_keys_are_no_longer_issued_nor_valid(nca_trust):
    from qyzmet.core.refusals import message_for

    for name in ("certs__ceo_valid_sign_2004_gost.cer", "KEY_CEO_SIGN_REVOKED_2004.p12"):
        result = verdict(name, crl_sources(GOST_CRL), nca_trust)
        assert (result.valid, result.code) == (False, "gost2004_retired")
    text = message_for("gost2004_retired")
    assert "больше не выдаёт" in text.text("ru") and "один год" in text.text("ru")
    assert "no longer issues" in text.text("en") and "one year" in text.text("en")
    assert "енді бермейді" in text.text("kk")


# --- all expired today
@pytest.mark.parametrize(
    "name",
    [
        "CERT_INDIVIDUAL.pem",
        "certs__individual_valid_sign_2004_rsa.cer",
        "certs__individual_valid_sign_2004_rsa_auth.cer",
        "KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
        "KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12",
        "KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12",
        "KEY_INDIVIDUAL_VALID_2015.p12",
        "KEY_CEO_REVOKED_2015.p12",
    ],
)
def test_everything_is_expired_today(name, nca_trust, real_crls):
    result = verdict(name, RevocationSources(crls=real_crls), nca_trust, at=datetime.now(UTC))
    assert (result.valid, result.code) == (False, "expired")


def test_not_yet_valid(nca_trust):
    leaf = leaf_of("CERT_INDIVIDUAL.pem")
    result = verdict(
        "CERT_INDIVIDUAL.pem",
        crl_sources(RSA_CRL),
        nca_trust,
        at=leaf.not_before - timedelta(seconds=1),
    )
    assert result.code == "not_yet_valid"


# --- purpose, chain, identity
def test_wrong_purpose(nca_trust):
    sign_key = verdict("CERT_INDIVIDUAL.pem", crl_sources(RSA_CRL), nca_trust, purpose="auth")
    auth_key = verdict(
        "certs__individual_valid_sign_2004_rsa_auth.cer",
        crl_sources(RSA_CRL),
        nca_trust,
        purpose="sign",
    )
    assert sign_key.code == auth_key.code == "wrong_purpose"


def test_certificate_from_another_ca_is_untrusted():
    gost_only = anchors("ca__nca_gost2015_test.cer", "root_gost_test.pem")
    result = verdict("CERT_INDIVIDUAL.pem", crl_sources(RSA_CRL), gost_only)
    assert result.code == "untrusted_chain"


def test_intermediate_alone_is_not_enough_without_the_right_key():
    # An impostor CA with the same name as the real intermediate but another key.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    real = x509.load_pem_x509_certificate(nca_file("NCA_2004_RSA_CERT.pem"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    impostor = (
        x509.CertificateBuilder()
        .subject_name(real.subject)
        .issuer_name(real.subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(real.not_valid_before_utc)
        .not_valid_after(real.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    from qyzmet.eds.chain import TrustStore

    trust = TrustStore.from_certificates([impostor.public_bytes(serialization.Encoding.DER)])
    result = verdict("CERT_INDIVIDUAL.pem", crl_sources(RSA_CRL), trust)
    assert result.code == "untrusted_chain"


def test_iin_and_bin_must_match(nca_trust):
    sources = crl_sources(GOST2015_CRL)
    ok = verdict("KEY_INDIVIDUAL_VALID_2015.p12", sources, nca_trust, expect_iin="123456789012")
    wrong_iin = verdict(
        "KEY_INDIVIDUAL_VALID_2015.p12", sources, nca_trust, expect_iin="123456789011"
    )
    no_bin = verdict("KEY_INDIVIDUAL_VALID_2015.p12", sources, nca_trust, expect_bin="123456789021")
    assert ok.valid and wrong_iin.code == "iin_mismatch" and no_bin.code == "bin_mismatch"


# --- revocation sources that must not count
def test_no_source_is_revocation_unknown(nca_trust):
    result = verdict("CERT_INDIVIDUAL.pem", RevocationSources(), nca_trust)
    assert result.code == "revocation_unknown"


def test_not_required_revocation_passes_without_sources(nca_trust):
    result = verdict("CERT_INDIVIDUAL.pem", RevocationSources(required=False), nca_trust)
    assert result.valid and result.revocation.status == "unknown"


def test_stale_crl_does_not_count(nca_trust):
    leaf = leaf_of("CERT_INDIVIDUAL.pem")  # CRL nextUpdate 2022-09-25, cert valid to 2023-01-18
    result = verdict(
        "CERT_INDIVIDUAL.pem", crl_sources(RSA_CRL), nca_trust, at=datetime(2022, 12, 1, tzinfo=UTC)
    )
    assert leaf.not_after > datetime(2022, 12, 1, tzinfo=UTC)
    assert result.code == "revocation_unknown"


def test_crl_of_another_ca_does_not_count(nca_trust):
    result = verdict("CERT_INDIVIDUAL.pem", crl_sources(GOST2015_CRL, GOST_CRL), nca_trust)
    assert result.code == "revocation_unknown"


def test_tampered_crl_does_not_count(nca_trust):
    data = bytearray(nca_file(RSA_CRL))
    data[-10] ^= 0xFF  # inside the signature
    result = verdict(
        "KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12", RevocationSources(crls=[bytes(data)]), nca_trust
    )
    assert result.code == "revocation_unknown"


def test_tampered_ocsp_response_does_not_count(nca_trust):
    data = bytearray(nca_file("ocsp__ocsp_response_individual_sign_2004.bin"))
    data[-300] ^= 0x01
    result = verdict(
        "KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
        RevocationSources(ocsp_responses=[bytes(data)]),
        nca_trust,
    )
    assert result.code == "revocation_unknown"


def test_ocsp_nonce_must_match_when_one_was_sent(nca_trust):
    leaf = leaf_of("KEY_INDIVIDUAL_VALID_SIGN_2004.p12")
    response = nca_file("ocsp__ocsp_response_individual_sign_2004.bin")
    sent = []

    def fetcher(cert, issuer):
        sent.append((cert.serial, issuer.subject_common_name))
        return response, b"another nonce"

    result = verify_certificate(
        leaf,
        trust=nca_trust,
        at=moment_inside(leaf),
        revocation=RevocationSources(ocsp_fetcher=fetcher),
    )
    assert sent == [(leaf.serial, "ҰКО 3.0 (RSA TEST)")]
    assert result.code == "revocation_unknown"
    assert "nonce" in result.detail


def test_unreachable_sources_are_revocation_unknown(nca_trust):
    def down(*_args):
        raise OSError("connection refused")

    result = verdict(
        "CERT_INDIVIDUAL.pem", RevocationSources(ocsp_fetcher=down, crl_fetcher=down), nca_trust
    )
    assert result.code == "revocation_unknown"
    assert "unreachable" in result.detail


def test_fetched_crl_is_cached_until_next_update(nca_trust):
    calls = []

    def fetch(url):
        calls.append(url)
        return nca_file(RSA_CRL)

    # The wall clock of the cache is set inside the CRL's window.
    cache = RevocationCache(clock=lambda: datetime(2022, 6, 1, tzinfo=UTC))
    for _ in range(3):
        result = verdict(
            "CERT_INDIVIDUAL.pem", RevocationSources(crl_fetcher=fetch, cache=cache), nca_trust
        )
        assert result.valid, result.detail
    assert calls == ["http://test.pki.gov.kz/crl/nca_rsa_test.crl"]
    # After nextUpdate the cached CRL is dropped and fetched again.
    cache.clock = lambda: datetime(2022, 10, 1, tzinfo=UTC)
    verdict("CERT_INDIVIDUAL.pem", RevocationSources(crl_fetcher=fetch, cache=cache), nca_trust)
    assert len(calls) == 2


@pytest.mark.parametrize("data", [b"", b"junk", b"\x30\x80", nca_file("crl__nca_rsa_test.crl")])
def test_garbage_certificate_is_malformed(data, nca_trust):
    result = verify_certificate(
        data, trust=nca_trust, at=datetime.now(UTC), revocation=RevocationSources()
    )
    assert (result.valid, result.code) == (False, "malformed")
