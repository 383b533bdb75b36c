"""The demo PKI (issue 3, "Demo PKI"): an NCA-like hierarchy whose certificates carry the
real NCA RK profile (EDS.md), so the checks of the regulation's p.10 (условие 2: validity
period, revocation, IIN/BIN) run against it as against NCA's certificates."""

from __future__ import annotations

import json
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from qyzmet.core.identifiers import is_valid_identifier
from qyzmet.demo.pki import (
    DEMO_PASSWORD,
    PERSON_CRL_FILES,
    PROVIDER_BIN,
    create_demo_pki,
    load_demo_pki,
    person,
)
from qyzmet.eds.algorithms import verify_signature
from qyzmet.eds.certificate import Certificate
from qyzmet.eds.chain import TrustStore
from qyzmet.eds.cms import verify_certificate
from qyzmet.eds.pkcs12 import load_pkcs12
from qyzmet.eds.profile import profile_of
from qyzmet.eds.revocation import RevocationSources

from .conftest import nca_file
from .demo_pki import BASE_URL, certificate_of, shared_demo_pki, subject_value


def copy_of_shared(target: Path) -> Path:
    shutil.copytree(shared_demo_pki(), target)
    return target


def index_of(directory: Path) -> dict:
    return json.loads((directory / "index.json").read_text(encoding="utf-8"))


def ours(certificate: x509.Certificate) -> Certificate:
    return Certificate.from_der(certificate.public_bytes(Encoding.DER))


def verify_issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    """The issuer's signature on the certificate, by the verifier's own code (RSA or GOST)."""
    child = ours(certificate)
    verify_signature(ours(issuer), child.signature_algorithm_oid, child.tbs_der, child.signature)


def real_gost2015_leaf() -> Certificate:
    bundle = load_pkcs12(nca_file("KEY_INDIVIDUAL_VALID_2015.p12"), "Aa123456")
    return bundle.certificate


def extension_oids(certificate: Certificate) -> list[str]:
    return list(certificate.extensions)


def eku_of(certificate: x509.Certificate) -> set[str]:
    extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    return {usage.dotted_string for usage in extension.value}


def trust_of(directory: Path) -> TrustStore:
    return TrustStore.from_directory(directory / "ca")


def crl_sources(directory: Path) -> RevocationSources:
    return RevocationSources(crls=[(directory / name).read_bytes() for name in PERSON_CRL_FILES])


# --- layout and index
def test_writes_the_documented_layout_and_index_describes_every_file():
    directory = shared_demo_pki()
    index = index_of(directory)
    for entry in index["files"]:
        assert (directory / entry["path"]).is_file(), entry
    cas = {"gost-root", "gost-intermediate", "root", "intermediate"}
    assert {p.name for p in (directory / "ca").iterdir()} == {f"{ca}.pem" for ca in cas}
    assert {p.name for p in (directory / "crl").iterdir()} == {f"{ca}.crl" for ca in cas}
    assert {p.name for p in (directory / "ocsp").iterdir()} == {
        "gost-responder.pem",
        "responder.pem",
    }
    # each person says its algorithm: GOST-2015/512 for all, RSA for the legacy kits
    algorithms = {p["id"]: p["algorithm"] for p in index["people"]}
    assert {i for i, a in algorithms.items() if a == "rsa"} == {"zhumabaev-rsa", "abenova-rsa"}
    assert {a for i, a in algorithms.items() if not i.endswith("-rsa")} == {"gost2015-512"}
    people_files = {p.name for p in (directory / "people").iterdir()}
    assert people_files == {
        f"{p['id']}-{purpose}.p12" for p in index["people"] for purpose in ("sign", "auth")
    }
    assert index["password"] == DEMO_PASSWORD
    assert all(p["password"] == DEMO_PASSWORD for p in index["people"])
    # every p12 is described with who, IIN/BIN, role, purpose, serial, status
    described = {c["file"]: c for c in index["certificates"] if c["person"]}
    assert set(described) == {f"people/{name}" for name in people_files}
    for relative, entry in described.items():
        certificate = certificate_of(directory, relative)
        assert entry["serial"] == format(certificate.serial_number, "x")
        assert entry["purpose"] in ("sign", "auth")
        assert entry["status"] in ("valid", "revoked", "expired")


def test_private_keys_are_readable_by_the_owner_only():
    directory = shared_demo_pki()
    assert stat.S_IMODE((directory / "private").stat().st_mode) == 0o700
    keys = sorted(p.name for p in (directory / "private").iterdir())
    assert keys == [
        "gost-intermediate.key",
        "gost-responder.key",
        "gost-root.key",
        "gost-tsa.key",  # the TSA units (issue 10)
        "intermediate.key",
        "responder.key",
        "root.key",
        "tsa.key",
    ]
    for key in (directory / "private").iterdir():
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_cast_covers_every_role_of_the_brief():
    people = index_of(shared_demo_pki())["people"]
    roles = [p["role"] for p in people]
    assert roles.count("applicant") >= 2
    for role in (
        "legal_entity_head",
        "legal_entity_employee",
        "provider_executor",
        "provider_head",
        "revoked",
        "expired",
    ):
        assert role in roles
    for entry in people:  # typed identifiers are checked: every demo IIN/BIN must pass
        assert is_valid_identifier(entry["iin"]), entry
        assert entry["bin"] is None or is_valid_identifier(entry["bin"]), entry
    assert {"900101300007", "850715450105"} <= {p["iin"] for p in people}
    assert person(shared_demo_pki(), "zhumabaev")["bin"] == PROVIDER_BIN
    with pytest.raises(KeyError):
        person(shared_demo_pki(), "nobody")


# --- the NCA profile
def test_gost_ca_hierarchy_is_marked_demo_and_has_the_real_gost_2022_ca_profile():
    directory = shared_demo_pki()
    root = x509.load_pem_x509_certificate((directory / "ca/gost-root.pem").read_bytes())
    intermediate = x509.load_pem_x509_certificate(
        (directory / "ca/gost-intermediate.pem").read_bytes()
    )
    real = Certificate.load(nca_file("ca__nca_gost2015_test.cer"))
    for ca in (root, intermediate):
        name = subject_value(ca, NameOID.COMMON_NAME)
        assert "DEMO" in name and "GOST" in name and "TEST" not in name
        parsed = ours(ca)
        assert parsed.public_key_info.algorithm_oid == real.public_key_info.algorithm_oid
        assert parsed.public_key_info.parameter_oids == real.public_key_info.parameter_oids
        assert parsed.signature_algorithm_oid == real.signature_algorithm_oid
        assert (
            ours(ca).asn1["signature_algorithm"].dump() == real.asn1["signature_algorithm"].dump()
        )  # 1.2.398.3.10.1.1.2.3.2 with NULL parameters
        assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.key_cert_sign and usage.crl_sign
        assert parsed.policies == real.policies == {"1.2.398.3.3.2"}
    assert subject_value(intermediate, NameOID.COMMON_NAME) == (
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO"
    )
    # the real CA's extensions in its order (its AKI also names the issuer; ours the key)
    assert extension_oids(ours(intermediate)) == extension_oids(real)
    assert intermediate.issuer == root.subject
    verify_issued_by(intermediate, root)
    verify_issued_by(root, root)
    crl_point = intermediate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert crl_point.value[0].full_name[0].value == f"{BASE_URL}/eds/demo/crl/gost-root.crl"


def test_legacy_rsa_ca_hierarchy_is_marked_demo_and_has_the_nca_ca_profile():
    directory = shared_demo_pki()
    root = x509.load_pem_x509_certificate((directory / "ca/root.pem").read_bytes())
    intermediate = x509.load_pem_x509_certificate((directory / "ca/intermediate.pem").read_bytes())
    root_name = subject_value(root, NameOID.COMMON_NAME)
    assert "DEMO" in root_name and "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ" in root_name
    assert "TEST" not in root_name  # the verifier drops anchors named TEST by default
    assert subject_value(intermediate, NameOID.COMMON_NAME) == "ҰКО 3.0 (RSA DEMO)"
    assert intermediate.issuer == root.subject
    intermediate.verify_directly_issued_by(root)
    for ca in (root, intermediate):
        assert ca.public_key().key_size == 4096
        assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.key_cert_sign and usage.crl_sign
    crl_point = intermediate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert crl_point.value[0].full_name[0].value == f"{BASE_URL}/eds/demo/crl/root.crl"


def test_gost_individual_keys_match_the_real_nca_2015_leaf_field_by_field():
    directory = shared_demo_pki()
    entry = person(directory, "abenova")
    real = real_gost2015_leaf()
    sign = ours(certificate_of(directory, entry["sign_p12"]))
    auth = ours(certificate_of(directory, entry["auth_p12"]))
    for certificate in (sign, auth):
        assert certificate.public_key_info.algorithm_oid == "1.2.398.3.10.1.1.2.2"
        assert certificate.public_key_info.parameters == real.public_key_info.parameters
        assert certificate.public_key_info.parameter_oids == (
            "1.2.398.3.10.1.1.2.2.1",
            "1.2.398.3.10.1.3.3",
        )
        assert len(certificate.public_key_info.key_bytes) == len(real.public_key_info.key_bytes)
        assert certificate.asn1["signature_algorithm"].dump() == bytes.fromhex(
            "300e060a2a830e030a01010203020500"
        )
        assert certificate.policies == real.policies == {"1.2.398.3.3.2"}
        assert certificate.extensions["1.2.398.3.3.5"] == real.extensions["1.2.398.3.3.5"]
        assert certificate.issuer_common_name == "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO"
        assert certificate.subject_der == person_subject_der(entry)
    # the real leaf's extensions in its order, but for the delta CRL pointer (no delta CRLs)
    expected = [oid for oid in extension_oids(real) if oid != "2.5.29.46"]
    assert extension_oids(sign) == expected
    assert sign.extended_key_usage == real.extended_key_usage
    assert sign.key_usage == real.key_usage  # digitalSignature, nonRepudiation, keyEncipherment
    assert auth.extended_key_usage == {"1.3.6.1.5.5.7.3.2", "1.2.398.3.3.4.1.1"}
    assert {"digital_signature", "key_encipherment"} <= auth.key_usage
    assert "non_repudiation" not in auth.key_usage and "content_commitment" not in auth.key_usage


def person_subject_der(entry: dict) -> bytes:
    from qyzmet.demo.pki import PEOPLE, person_subject

    return person_subject(next(p for p in PEOPLE if p.id == entry["id"])).public_bytes()


def test_legacy_rsa_individual_sign_and_auth_keys_have_the_nca_profile():
    directory = shared_demo_pki()
    entry = person(directory, "abenova-rsa")
    sign = certificate_of(directory, entry["sign_p12"])
    auth = certificate_of(directory, entry["auth_p12"])
    for certificate in (sign, auth):
        assert subject_value(certificate, NameOID.COMMON_NAME) == "АБЕНОВА ДАНА"
        assert subject_value(certificate, NameOID.SURNAME) == "АБЕНОВА"
        assert subject_value(certificate, NameOID.SERIAL_NUMBER) == "IIN900101300007"
        assert subject_value(certificate, NameOID.COUNTRY_NAME) == "KZ"
        assert subject_value(certificate, NameOID.GIVEN_NAME) == "ЕРЛАНОВНА"  # patronymic
        assert subject_value(certificate, NameOID.ORGANIZATIONAL_UNIT_NAME) is None
        assert isinstance(certificate.public_key(), rsa.RSAPublicKey)
        assert certificate.public_key().key_size == 2048
        assert certificate.signature_hash_algorithm.name == "sha256"
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
        assert points.value[0].full_name[0].value == f"{BASE_URL}/eds/demo/crl/intermediate.crl"
        aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
        ocsp = [
            d.access_location.value
            for d in aia.value
            if d.access_method == AuthorityInformationAccessOID.OCSP
        ]
        assert ocsp == [f"{BASE_URL}/eds/demo/ocsp/"]
    assert eku_of(sign) == {ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string, "1.2.398.3.3.4.1.1"}
    assert eku_of(auth) == {ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string, "1.2.398.3.3.4.1.1"}
    sign_usage = sign.extensions.get_extension_for_class(x509.KeyUsage)
    assert sign_usage.critical
    assert sign_usage.value.digital_signature and sign_usage.value.content_commitment
    auth_usage = auth.extensions.get_extension_for_class(x509.KeyUsage).value
    assert auth_usage.digital_signature and auth_usage.key_encipherment


def test_profiles_read_by_the_eds_parser():
    """The verification core's own parser reads the demo certificates as NCA ones."""
    directory = shared_demo_pki()
    expected = {
        "abenova": ("individual", (), None, "ДАНА", "ЕРЛАНОВНА"),
        "serikbaev": ("legal_entity", ("first_head",), "150340000109", "АСХАТ", "МАРАТҰЛЫ"),
        "ospanova": ("legal_entity", ("employee",), "150340000109", "ГҮЛНАР", "ӘСКЕРҚЫЗЫ"),
        "kim": ("legal_entity", ("employee",), PROVIDER_BIN, "ДЕНИС", "ВИКТОРОВИЧ"),
        "zhumabaev": ("legal_entity", ("first_head",), PROVIDER_BIN, "ЕРЛАН", "МАРАТОВИЧ"),
    }
    expected["zhumabaev-rsa"] = expected["zhumabaev"]
    for person_id, (holder, roles, bin_value, given, patronymic) in expected.items():
        entry = person(directory, person_id)
        gost = entry["algorithm"] == "gost2015-512"
        issuer = "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO" if gost else "ҰКО 3.0 (RSA DEMO)"
        for purpose in ("sign", "auth"):
            bundle = load_pkcs12(
                (directory / entry[f"{purpose}_p12"]).read_bytes(), DEMO_PASSWORD, require_key=True
            )
            profile = profile_of(bundle.certificate)
            assert profile.iin == entry["iin"]
            assert profile.bin == bin_value
            assert profile.holder == holder
            assert profile.roles == roles
            assert profile.purpose == purpose
            assert profile.given_name == given and profile.patronymic == patronymic
            assert profile.algorithm == entry["algorithm"]
            assert profile.issuer == issuer
            assert profile.serial == entry[f"{purpose}_serial"]
            if bin_value:
                assert profile.organization == entry["organization"]
            # the key file carries the chain (the browser module includes it)
            names = {c.subject_common_name for c in bundle.certificates}
            assert issuer in names


def test_gost_ocsp_responder_certificate_has_the_real_responders_profile():
    directory = shared_demo_pki()
    responder = x509.load_pem_x509_certificate((directory / "ocsp/gost-responder.pem").read_bytes())
    intermediate = x509.load_pem_x509_certificate(
        (directory / "ca/gost-intermediate.pem").read_bytes()
    )
    verify_issued_by(responder, intermediate)
    real = Certificate.from_der(
        asn1_ocsp.OCSPResponse.load(nca_file("ocsp__ocsp_response_individual_2015.bin"))[
            "response_bytes"
        ]["response"]
        .parsed["certs"][0]
        .dump()
    )
    assert extension_oids(ours(responder)) == extension_oids(real)
    assert eku_of(responder) == {ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string}
    assert "DEMO" in subject_value(responder, NameOID.COMMON_NAME)


def test_ocsp_responder_certificate_is_delegated_by_the_intermediate():
    directory = shared_demo_pki()
    responder = x509.load_pem_x509_certificate((directory / "ocsp/responder.pem").read_bytes())
    intermediate = x509.load_pem_x509_certificate((directory / "ca/intermediate.pem").read_bytes())
    responder.verify_directly_issued_by(intermediate)
    assert eku_of(responder) == {ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string}
    responder.extensions.get_extension_for_class(x509.OCSPNoCheck)
    bin_value = subject_value(responder, NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert bin_value.startswith("BIN") and is_valid_identifier(bin_value[3:])


# --- verdicts of the verification core over the demo certificates
def test_valid_revoked_and_expired_certificates_get_their_verdicts():
    directory = shared_demo_pki()
    now = datetime.now(UTC)
    verdicts = {}
    for person_id in ("abenova", "zhumabaev", "tolegenova", "eskenov"):
        certificate = certificate_of(directory, person(directory, person_id)["sign_p12"])
        der = certificate.public_bytes(Encoding.DER)
        verdict = verify_certificate(
            der,
            trust=trust_of(directory),
            at=now,
            revocation=crl_sources(directory),
            purpose="sign",
        )
        verdicts[person_id] = verdict.code
    assert verdicts == {
        "abenova": None,
        "zhumabaev": None,
        "tolegenova": "revoked",
        "eskenov": "expired",
    }


def test_expired_certificates_lie_in_the_past_and_revoked_ones_are_in_the_crl():
    directory = shared_demo_pki()
    now = datetime.now(UTC)
    crls = {
        ca: x509.load_der_x509_crl((directory / f"crl/{ca}.crl").read_bytes())
        for ca in ("gost-intermediate", "intermediate")
    }
    for entry in index_of(directory)["certificates"]:
        if entry["person"] is None:
            continue
        revoked_serials = {revoked.serial_number for revoked in crls[entry["issuer_id"]]}
        serial = int(entry["serial"], 16)
        certificate = certificate_of(directory, entry["file"])
        if entry["status"] == "expired":
            assert certificate.not_valid_after_utc < now
        else:
            assert certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc
        assert (serial in revoked_serials) == (entry["status"] == "revoked")
    intermediate = x509.load_pem_x509_certificate((directory / "ca/intermediate.pem").read_bytes())
    assert crls["intermediate"].is_signature_valid(intermediate.public_key())
    # the GOST CRL: signed like the real nca_gost2022_test.crl, checked by our verifier
    gost_crl = asn1_crl.CertificateList.load((directory / "crl/gost-intermediate.crl").read_bytes())
    real_crl = asn1_crl.CertificateList.load(nca_file("crl__nca_gost2022_test.crl"))
    assert gost_crl["signature_algorithm"].dump() == real_crl["signature_algorithm"].dump()
    gost_ca = Certificate.load((directory / "ca/gost-intermediate.pem").read_bytes())
    verify_signature(
        gost_ca,
        gost_crl["signature_algorithm"]["algorithm"].dotted,
        gost_crl["tbs_cert_list"].dump(),
        gost_crl["signature"].native,
    )
    assert {e["extn_id"].dotted for e in gost_crl["tbs_cert_list"]["crl_extensions"]} == {
        e["extn_id"].dotted for e in real_crl["tbs_cert_list"]["crl_extensions"]
    }  # CRL number, authority key identifier
    for crl in crls.values():
        assert crl.next_update_utc > now


# --- idempotency
def test_rerun_keeps_the_existing_pki(tmp_path):
    directory = copy_of_shared(tmp_path / "pki")
    before = {p: p.read_bytes() for p in directory.rglob("*.p12")}
    summary = create_demo_pki(directory, base_url=BASE_URL)
    assert summary.created is False
    assert {p: p.read_bytes() for p in directory.rglob("*.p12")} == before
    assert "kept" in summary.to_text()


def test_force_and_another_base_url_recreate(tmp_path):
    directory = copy_of_shared(tmp_path / "pki")
    old_serial = person(directory, "abenova")["sign_serial"]
    summary = create_demo_pki(directory, base_url="http://demo.example:9000/", force=True)
    assert summary.created is True
    entry = person(directory, "abenova")
    assert entry["sign_serial"] != old_serial
    certificate = certificate_of(directory, entry["sign_p12"])
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert (
        points.value[0].full_name[0].value
        == "http://demo.example:9000/eds/demo/crl/gost-intermediate.crl"
    )
    # the same base_url again: kept; the original one: recreated (the URLs are in the certs)
    assert create_demo_pki(directory, base_url="http://demo.example:9000").created is False
    assert not list(directory.glob(".demo-pki-*"))  # no staging left behind


def test_incomplete_pki_is_recreated(tmp_path):
    directory = copy_of_shared(tmp_path / "pki")
    (directory / "people" / "abenova-sign.p12").unlink()
    # not regenerated here (slow); the check that decides it is what matters
    from qyzmet.demo.pki import _usable_index

    assert _usable_index(directory, BASE_URL) is None
    assert _usable_index(copy_of_shared(tmp_path / "intact"), BASE_URL) is not None
    assert _usable_index(tmp_path / "intact", "http://elsewhere") is None
    # made before a person joined the cast: recreated, so every documented key file exists
    index = index_of(tmp_path / "intact")
    smaller = {**index, "people": index["people"][:-1]}
    (tmp_path / "intact" / "index.json").write_text(json.dumps(smaller), encoding="utf-8")
    assert _usable_index(tmp_path / "intact", BASE_URL) is None
    (tmp_path / "intact" / "index.json").write_text("{not json", encoding="utf-8")
    assert _usable_index(tmp_path / "intact", BASE_URL) is None


@pytest.mark.parametrize("ca", ["gost-intermediate", "intermediate"])
def test_stale_crl_is_regenerated_with_a_higher_number(tmp_path, ca):
    directory = copy_of_shared(tmp_path / "pki")
    pki = load_demo_pki(directory)
    first = x509.load_der_x509_crl(pki.crl(ca))
    assert pki.crl(ca) == (directory / f"crl/{ca}.crl").read_bytes()  # fresh: kept
    later = datetime.now(UTC) + timedelta(days=2)
    second = x509.load_der_x509_crl(pki.crl(ca, now=later))
    number = lambda crl: crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number  # noqa: E731
    assert number(second) == number(first) + 1
    assert second.last_update_utc > first.last_update_utc
    assert {e.serial_number for e in second} == {e.serial_number for e in first}
    assert (directory / f"crl/{ca}.crl").read_bytes() == second.public_bytes(Encoding.DER)


def test_summary_for_humans_and_machines():
    summary = create_demo_pki(shared_demo_pki(), base_url=BASE_URL)
    data = summary.to_dict()
    assert json.loads(json.dumps(summary)) == data  # printable as JSON as it is
    assert data["password"] == DEMO_PASSWORD
    assert data["trust_anchors_dir"].endswith("/ca")
    head = next(p for p in data["people"] if p["role"] == "provider_head")
    assert Path(head["sign_p12"]).is_file()
    text = summary.to_text()
    assert DEMO_PASSWORD in text and head["sign_p12"] in text and "[REVOKED]" in text
    # who has which algorithm
    assert "zhumabaev: ЖУМАБАЕВ ЕРЛАН — GOST 34.10-2015/512" in text
    assert "zhumabaev-rsa: ЖУМАБАЕВ ЕРЛАН — RSA 2048 (legacy)" in text
    assert {p["algorithm"] for p in data["people"]} == {"gost2015-512", "rsa"}
    assert str(summary) == text


def test_trust_store_reads_the_anchors_folder():
    store = trust_of(shared_demo_pki())
    names = sorted(anchor.subject_common_name for anchor in store.anchors)
    assert names == [
        "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ GOST DEMO",
        "ҰКО 3.0 (RSA DEMO)",
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO ROOT)",
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO",
    ]
    assert all(isinstance(anchor, Certificate) for anchor in store.anchors)
