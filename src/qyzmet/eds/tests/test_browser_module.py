"""The browser signing module (static/qyzmet/eds/eds-sign.js) run for real under Node with
the node-forge npm package — the same file the page imports. Issue 3, "Done means": its
signature verifies in Python; by the revoked demo certificate it is refused with
``revoked``, by the expired one with ``expired`` (p.10, условие 2)."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

from qyzmet.eds.pkcs12 import load_pkcs12
from qyzmet.eds.profile import profile_of

from .conftest import NCA_TEST_DIR
from .demo_pki import shared_demo_pki
from .module_runner import PASSWORD, person_p12, run_module, verify

DATA = "Қорытынды: реставрациялық жұмыстарды келісу (p.10, процесс 9)".encode()


@pytest.mark.parametrize(
    ("person_id", "algorithm"),
    [("zhumabaev", "gost2015-512"), ("zhumabaev-rsa", "rsa")],
    ids=["gost", "legacy-rsa"],
)
def test_signature_from_the_module_verifies_in_python(person_id, algorithm, tmp_path):
    result = run_module(person_p12(person_id), PASSWORD, DATA, tmp_path)
    verdict = verify(
        result["signature"], DATA, expect_bin="070840007503", expect_iin=result["describe"]["iin"]
    )
    assert verdict.valid, (verdict.code, verdict.detail)
    assert verdict.signer.algorithm == algorithm
    assert verdict.signer.roles == ("first_head",)
    assert set(verdict.signed_attributes) == {"content_type", "message_digest", "signing_time"}
    # CAdES-BES, RSA and GOST alike: ESS signing-certificate-v2 names the signer's exact
    # certificate (what PAdES ETSI.CAdES.detached requires of the head's result signature)
    from asn1crypto import cms

    signer_info = cms.ContentInfo.load(result["signature"])["content"]["signer_infos"][0]
    attributes = {a["type"].dotted: a["values"][0] for a in signer_info["signed_attrs"]}
    ess = attributes["1.2.840.113549.1.9.16.2.47"]["certs"][0]
    signer = cms.ContentInfo.load(result["signature"])["content"]["certificates"][0].chosen
    digest_oid = signer_info["digest_algorithm"]["algorithm"].dotted
    from qyzmet.eds.algorithms import digest

    assert ess["cert_hash"].native == digest(digest_oid, signer.dump())
    # the same signature over other bytes is refused
    assert verify(result["signature"], DATA + b".").code == "digest_mismatch"


def test_the_handle_carries_no_key(tmp_path):
    result = run_module(person_p12("abenova"), PASSWORD, None, tmp_path)
    assert result["handleKeys"] == ["kind"]


@pytest.mark.parametrize("person_id", ["abenova", "serikbaev", "kim", "tolegenova"])
def test_describe_matches_the_python_profile(person_id, tmp_path):
    for purpose in ("sign", "auth"):
        p12 = person_p12(person_id, purpose)
        described = run_module(p12, PASSWORD, None, tmp_path)["describe"]
        profile = profile_of(load_pkcs12(p12.read_bytes(), PASSWORD).certificate)
        assert described == {
            "iin": profile.iin,
            "bin": profile.bin,
            "commonName": profile.common_name,
            "surname": profile.surname,
            "givenName": profile.given_name,
            "patronymic": profile.patronymic,
            "organization": profile.organization,
            "email": profile.email,
            "holder": profile.holder,
            "roles": list(profile.roles),
            "purpose": profile.purpose,
            "notBefore": profile.not_before,
            "notAfter": profile.not_after,
            "serial": profile.serial,
            "issuer": profile.issuer,
        }


def test_describe_reads_a_real_nca_key_file(tmp_path):
    described = run_module(
        NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_SIGN_2004.p12", "Qwerty12", None, tmp_path
    )["describe"]
    assert described["iin"] == "123456789011"
    assert (described["surname"], described["givenName"], described["patronymic"]) == (
        "ТЕСТОВ",
        "ТЕСТ",
        "ТЕСТОВИЧ",
    )
    assert described["purpose"] == "sign" and described["holder"] == "individual"


def test_revoked_and_expired_keys_sign_but_are_refused(tmp_path):
    revoked = run_module(person_p12("tolegenova"), PASSWORD, DATA, tmp_path)
    assert verify(revoked["signature"], DATA).code == "revoked"
    expired = run_module(person_p12("eskenov"), PASSWORD, DATA, tmp_path)
    assert verify(expired["signature"], DATA).code == "expired"


def test_wrong_password_and_unusable_files_have_codes(tmp_path):
    assert run_module(person_p12("abenova"), "wrong", None, tmp_path)["error"] == "wrong_password"
    assert (
        run_module(shared_demo_pki() / "ca" / "root.pem", PASSWORD, None, tmp_path)["error"]
        == "malformed"
    )
    gost = NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_2015.p12"
    assert run_module(gost, "Aa12345", None, tmp_path)["error"] == "wrong_password"
    certificate = x509.load_pem_x509_certificate((shared_demo_pki() / "ca/root.pem").read_bytes())
    only_certificates = tmp_path / "certificates-only.p12"
    only_certificates.write_bytes(
        pkcs12.serialize_key_and_certificates(None, None, None, [certificate], NoEncryption())
    )
    assert run_module(only_certificates, "", None, tmp_path)["error"] == "no_key"
