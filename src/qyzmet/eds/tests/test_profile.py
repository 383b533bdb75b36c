"""Certificate profile over every real certificate (EDS.md; issue 3 "inspect" shape)."""

from __future__ import annotations

import json

import pytest

from qyzmet.eds.certificate import Certificate
from qyzmet.eds.errors import EdsError
from qyzmet.eds.profile import parse_certificate, profile_of

from .conftest import NCA_TEST_DIR, leaf_of, nca_file

TESTOV = {
    "iin": "123456789011",
    "common_name": "ТЕСТОВ ТЕСТ",
    "surname": "ТЕСТОВ",
    "given_name": "ТЕСТ",
    "patronymic": "ТЕСТОВИЧ",
    "email": None,
}
CEO = {**TESTOV, "bin": "123456789021", "organization": 'АО "ТЕСТ"'}
INDIVIDUAL = {**TESTOV, "bin": None, "organization": None}

# file -> (subject, holder, roles, purpose, algorithm, serial, issuer CN)
EXPECTED = {
    "CERT_INDIVIDUAL.pem": (
        INDIVIDUAL,
        "individual",
        [],
        "sign",
        "rsa",
        "41e45cc8a04c705963e5cd6769848a934d8eaef5",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "certs__individual_valid_sign_2004_rsa.cer": (
        INDIVIDUAL,
        "individual",
        [],
        "sign",
        "rsa",
        "41e45cc8a04c705963e5cd6769848a934d8eaef5",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "certs__individual_valid_sign_2004_rsa_auth.cer": (
        INDIVIDUAL,
        "individual",
        [],
        "auth",
        "rsa",
        "247c3fda89fa641ea226987393cdaf3f5baf24b3",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "certs__ceo_valid_sign_2004_gost.cer": (
        CEO,
        "legal_entity",
        ["first_head"],
        "sign",
        "gost2004",
        "6cbd4560a33a58c0b07c3363c9ae0674a0838e58",
        "ҰКО 3.0 (GOST TEST)",
    ),
    "KEY_INDIVIDUAL_VALID_SIGN_2004.p12": (
        INDIVIDUAL,
        "individual",
        [],
        "sign",
        "rsa",
        "4279390a141f5353a62947b61ed65e81741467d1",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12": (
        INDIVIDUAL,
        "individual",
        [],
        "auth",
        "rsa",
        "1ab11253653b2537f2edd55f0f66281ca4fa3f98",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12": (
        INDIVIDUAL,
        "individual",
        [],
        "sign",
        "rsa",
        "46757a2158a604189c40fb1fcdab1143f83f32db",
        "ҰКО 3.0 (RSA TEST)",
    ),
    "KEY_CEO_SIGN_REVOKED_2004.p12": (
        CEO,
        "legal_entity",
        ["first_head"],
        "sign",
        "gost2004",
        "12e3e7b9966d09eb9cda64251457e815c2a8dded",
        "ҰКО 3.0 (GOST TEST)",
    ),
    "KEY_INDIVIDUAL_VALID_2015.p12": (
        {
            "iin": "123456789012",
            "bin": None,
            "common_name": "ТЕСТТОВ ТЕСТТ",
            "surname": "ТЕСТТОВ",
            "given_name": "ТЕСТТ",
            "patronymic": "ТЕСТТОВИЧ",
            "organization": None,
            "email": None,
        },
        "individual",
        [],
        "sign",
        "gost2015-512",
        "ff06211dc82beb00253ffa000f1de84abef454f",
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
    ),
    "KEY_CEO_REVOKED_2015.p12": (
        CEO,
        "legal_entity",
        ["first_head"],
        "sign",
        "gost2015-512",
        "3a90343e720594c55204b19cb9a402422ef0e622",
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
    ),
}
CA_FILES = {
    "NCA_2004_RSA_CERT.pem": ("ҰКО 3.0 (RSA TEST)", "НЕГІЗГІ КО TEST (RSA)", "rsa"),
    "ca__nca_rsa_test.crt": ("ҰКО 3.0 (RSA TEST)", "НЕГІЗГІ КО TEST (RSA)", "rsa"),
    "NCA_2004_GOST_CERT.pem": ("ҰКО 3.0 (GOST TEST)", "НЕГІЗГІ КО TEST (GOST)", "gost2004"),
    "ca__nca_gost_test.crt": ("ҰКО 3.0 (GOST TEST)", "НЕГІЗГІ КО TEST (GOST)", "gost2004"),
    "ca__nca_gost2015_test.cer": (
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
        "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
        "gost2015-512",
    ),
    "root_rsa_test.pem": ("НЕГІЗГІ КО TEST (RSA)", "НЕГІЗГІ КО TEST (RSA)", "rsa"),
    "root_gost_test.pem": ("НЕГІЗГІ КО TEST (GOST)", "НЕГІЗГІ КО TEST (GOST)", "gost2004"),
}


def test_every_certificate_file_is_covered():
    on_disk = {
        p.name for p in NCA_TEST_DIR.iterdir() if p.suffix in (".pem", ".cer", ".crt", ".p12")
    }
    assert on_disk == set(EXPECTED) | set(CA_FILES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_user_certificate_profile(name):
    subject, holder, roles, purpose, algorithm, serial, issuer = EXPECTED[name]
    certificate = leaf_of(name)
    shown = profile_of(certificate).to_inspect_dict()
    assert shown["subject"] == {"bin": None, "organization": None, **subject}
    assert shown["holder"] == holder
    assert shown["roles"] == roles
    assert shown["purpose"] == purpose
    assert shown["algorithm"] == algorithm
    assert shown["serial"] == serial
    assert shown["issuer"] == issuer
    assert shown["not_before"] == certificate.not_before.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert shown["not_after"].endswith("Z") and shown["not_after"] > shown["not_before"]


@pytest.mark.parametrize("name", sorted(CA_FILES))
def test_ca_certificate_profile_has_no_person(name):
    common_name, issuer, algorithm = CA_FILES[name]
    shown = parse_certificate(nca_file(name)).to_inspect_dict()
    assert shown["subject"]["common_name"] == common_name
    assert shown["issuer"] == issuer
    assert shown["algorithm"] == algorithm
    assert shown["subject"]["iin"] is None and shown["subject"]["surname"] is None
    assert shown["holder"] is None and shown["purpose"] is None and shown["roles"] == []


def test_inspect_json_has_exactly_the_issue_shape():
    shown = json.loads(parse_certificate(nca_file("CERT_INDIVIDUAL.pem")).to_inspect_json())
    assert list(shown) == [
        "subject",
        "holder",
        "roles",
        "purpose",
        "algorithm",
        "serial",
        "issuer",
        "not_before",
        "not_after",
    ]
    assert list(shown["subject"]) == [
        "iin",
        "bin",
        "common_name",
        "surname",
        "given_name",
        "patronymic",
        "organization",
        "email",
    ]
    assert shown["not_before"] == "2022-01-18T04:38:50Z"
    assert shown["not_after"] == "2023-01-18T04:38:50Z"


def test_pem_and_der_give_the_same_profile():
    pem = nca_file("NCA_2004_RSA_CERT.pem")
    der = Certificate.load(pem).der
    assert parse_certificate(der) == parse_certificate(pem)


def test_rdn_order_does_not_matter():
    # CERT_INDIVIDUAL lists G first and CN last; the CEO certificate puts OU/O in between.
    individual = leaf_of("CERT_INDIVIDUAL.pem")
    ceo = leaf_of("certs__ceo_valid_sign_2004_gost.cer")
    types = lambda c: [a["type"].dotted for rdn in c.subject.chosen for a in rdn]  # noqa: E731
    assert types(individual) != types(ceo)
    assert profile_of(individual).patronymic == profile_of(ceo).patronymic == "ТЕСТОВИЧ"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"\x30\x82\x05\x00" + b"\x00" * 20,
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    ],
)
def test_garbage_is_malformed(data):
    with pytest.raises(EdsError) as caught:
        parse_certificate(data)
    assert caught.value.code == "malformed"


def test_truncated_der_and_pem_are_malformed():
    der = leaf_of("CERT_INDIVIDUAL.pem").der
    pem = nca_file("CERT_INDIVIDUAL.pem")
    for broken in (der[: len(der) // 2], der[:-1], pem[: len(pem) // 2]):
        with pytest.raises(EdsError) as caught:
            parse_certificate(broken)
        assert caught.value.code == "malformed"
