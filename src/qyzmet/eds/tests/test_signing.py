"""The Python signing helper (issue 3: "A Python signing helper for tests and for API
clients"): CAdES-BES CMS that OpenSSL and our verifier accept, and the verdicts the
regulation's p.10 (процесс 6; условие 2) asks for when the signer's certificate is revoked
or expired."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

from qyzmet.core.refusals import message_for
from qyzmet.demo.pki import PERSON_CRL_FILES
from qyzmet.eds.chain import TrustStore
from qyzmet.eds.cms import verify_cms
from qyzmet.eds.errors import EdsError
from qyzmet.eds.revocation import RevocationSources
from qyzmet.eds.signing import (
    OID_SIGNING_CERTIFICATE_V2,
    sign_attached,
    sign_detached,
    sign_with_key,
)

from .conftest import (
    NCA_TEST_DIR,
    anchors,
    leaf_of,
    moment_inside,
    nca_file,
    verify_at_real_nca,
)
from .demo_pki import shared_demo_pki

PASSWORD = "Demo2026!"
DATA = "Заявление на временный вывоз культурных ценностей, p.8.2".encode()


def p12_of(person_id: str, purpose: str = "sign") -> bytes:
    return (shared_demo_pki() / "people" / f"{person_id}-{purpose}.p12").read_bytes()


def verify(signature: bytes, data: bytes | None, **options):
    directory = shared_demo_pki()
    return verify_cms(
        signature,
        data,
        trust=TrustStore.from_directory(directory / "ca"),
        at=options.pop("at", datetime.now(UTC)),
        revocation=RevocationSources(
            crls=[(directory / name).read_bytes() for name in PERSON_CRL_FILES]
        ),
        **options,
    )


def signed_attributes(signature: bytes) -> dict[str, object]:
    info = cms.ContentInfo.load(signature)["content"]["signer_infos"][0]
    return {attribute["type"].dotted: attribute for attribute in info["signed_attrs"]}


def signer_certificate(signed_data) -> bytes:
    """The signer's certificate (DER) among the SET OF certificates (DER sorts it)."""
    sid = signed_data["signer_infos"][0]["sid"].chosen
    for choice in signed_data["certificates"]:
        if choice.chosen.serial_number == sid["serial_number"].native:
            return choice.chosen.dump()
    raise AssertionError("the signer's certificate is not in the CMS")


# --- structure
def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _streebog512(data: bytes) -> bytes:
    from .conftest import streebog512  # gostcrypto: independent of the signer's hashing

    return streebog512(data)


@pytest.mark.parametrize(
    ("person_id", "digest_oid", "signature_oid", "hash_function"),
    [
        ("abenova", "1.2.398.3.10.1.3.3", "1.2.398.3.10.1.1.2.3.2", _streebog512),
        ("abenova-rsa", "2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.11", _sha256),
    ],
)
def test_detached_signature_is_cades_bes(person_id, digest_oid, signature_oid, hash_function):
    signature = sign_detached(DATA, p12_of(person_id), PASSWORD)
    signed_data = cms.ContentInfo.load(signature)["content"]
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    info = signed_data["signer_infos"][0]
    assert info["digest_algorithm"]["algorithm"].dotted == digest_oid
    assert info["signature_algorithm"]["algorithm"].dotted == signature_oid
    attributes = signed_attributes(signature)
    assert set(attributes) == {
        "1.2.840.113549.1.9.3",  # contentType
        "1.2.840.113549.1.9.4",  # messageDigest
        "1.2.840.113549.1.9.5",  # signingTime
        "1.2.840.113549.1.9.16.2.47",  # ESS signingCertificateV2
    }
    digest = attributes["1.2.840.113549.1.9.4"]["values"][0].native
    assert digest == hash_function(DATA)
    signer_der = signer_certificate(signed_data)
    ess = tsp.SigningCertificateV2.load(
        attributes["1.2.840.113549.1.9.16.2.47"]["values"][0].dump()
    )
    assert ess["certs"][0]["cert_hash"].native == hash_function(signer_der)
    # DER: the SET OF attributes is sorted by encoding (OpenSSL re-encodes before verifying)
    encodings = [attribute.dump() for attribute in info["signed_attrs"]]
    assert encodings == sorted(encodings)
    # signer, intermediate and root from the key file
    assert len(signed_data["certificates"]) == 3


def test_openssl_verifies_detached_and_attached(tmp_path):
    """OpenSSL knows none of NCA's GOST OIDs: the legacy RSA kit is checked here, the GOST
    signatures by our verifier and gostcrypto (below)."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed for this test")
    anchors = tmp_path / "anchors.pem"
    rsa_chain = ("root.pem", "intermediate.pem")
    anchors.write_bytes(
        b"".join((shared_demo_pki() / "ca" / name).read_bytes() for name in rsa_chain)
    )
    content = tmp_path / "content.bin"
    content.write_bytes(DATA)
    detached = tmp_path / "detached.p7s"
    detached.write_bytes(sign_detached(DATA, p12_of("zhumabaev-rsa"), PASSWORD))
    attached = tmp_path / "attached.p7s"
    attached.write_bytes(sign_attached(DATA, p12_of("zhumabaev-rsa"), PASSWORD))
    common = [
        "openssl",
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-CAfile",
        str(anchors),
        "-purpose",
        "any",
    ]
    ok = subprocess.run(
        [*common, "-in", str(detached), "-content", str(content)], capture_output=True
    )
    assert ok.returncode == 0, ok.stderr
    out = subprocess.run([*common, "-in", str(attached)], capture_output=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == DATA
    content.write_bytes(DATA + b"!")
    bad = subprocess.run(
        [*common, "-in", str(detached), "-content", str(content)], capture_output=True
    )
    assert bad.returncode != 0


# --- verdicts of the verification core
def test_valid_signatures_verify_with_identity_checks():
    verdict = verify(
        sign_detached(DATA, p12_of("zhumabaev"), PASSWORD), DATA, expect_bin="070840007503"
    )
    assert verdict.valid, verdict.detail
    assert verdict.signer.roles == ("first_head",)
    attached = verify(
        sign_attached(DATA, p12_of("abenova"), PASSWORD), None, expect_iin="900101300007"
    )
    assert attached.valid, attached.detail
    assert verify(
        sign_detached(DATA, p12_of("abenova"), PASSWORD), DATA, expect_iin="850715450105"
    ).code == ("iin_mismatch")


def test_revoked_and_expired_signers_are_refused():
    assert verify(sign_detached(DATA, p12_of("tolegenova"), PASSWORD), DATA).code == "revoked"
    assert verify(sign_detached(DATA, p12_of("eskenov"), PASSWORD), DATA).code == "expired"


def test_auth_key_cannot_sign_and_tampering_is_caught():
    assert (
        verify(sign_detached(DATA, p12_of("abenova", "auth"), PASSWORD), DATA).code
        == "wrong_purpose"
    )
    signature = sign_detached(DATA, p12_of("abenova"), PASSWORD)
    assert verify(signature, DATA + b" ").code == "digest_mismatch"
    flipped = bytearray(signature)
    flipped[-10] ^= 0x01  # inside the signature value
    assert verify(bytes(flipped), DATA).code == "bad_signature"


def test_signing_time_is_the_one_given():
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    key = rsa.generate_private_key(65537, 2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "ТЕСТ")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(moment - timedelta(days=1))
        .not_valid_after(moment + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    signature = sign_with_key(DATA, key, certificate, signing_time=moment)
    value = signed_attributes(signature)["1.2.840.113549.1.9.5"]["values"][0].native
    assert value == moment


# --- key files it cannot use: a clear code, never a traceback
def test_key_file_errors_have_codes():
    with pytest.raises(EdsError) as wrong:
        sign_detached(DATA, p12_of("abenova"), "not-the-password")
    assert wrong.value.code == "wrong_password"
    with pytest.raises(EdsError) as garbage:
        sign_detached(DATA, b"\x30\x82garbage", PASSWORD)
    assert garbage.value.code == "malformed"
    certificate = x509.load_pem_x509_certificate((shared_demo_pki() / "ca/root.pem").read_bytes())
    only_certificates = pkcs12.serialize_key_and_certificates(
        None, None, None, [certificate], NoEncryption()
    )
    with pytest.raises(EdsError) as no_key:
        sign_detached(DATA, only_certificates, "")
    assert no_key.value.code == "no_key"


def test_a_gost_2004_key_file_is_refused_plainly():
    gost2004 = (NCA_TEST_DIR / "KEY_CEO_SIGN_REVOKED_2004.p12").read_bytes()
    for sign in (sign_detached, sign_attached):
        with pytest.raises(EdsError) as refused:
            sign(DATA, gost2004, "Qwerty12")
        assert refused.value.code == "gost2004_key"
    text = message_for("gost2004_key")
    assert "2024" in text.text("ru") and "один год" in text.text("ru")
    assert "no GOST-2004 key is still valid" in text.text("en")
    assert "2024" in text.text("kk")


def test_real_nca_rsa_key_file_signs_and_verifies_at_a_moment_in_its_period():
    name = "KEY_INDIVIDUAL_VALID_SIGN_2004.p12"
    signature = sign_detached(DATA, nca_file(name), "Qwerty12")
    verdict = verify_at_real_nca(signature, DATA, name, expect_iin="123456789011")
    assert verdict.valid, (verdict.code, verdict.detail)


# --- GOST 34.10-2015/512: the real NCA test key signs (issue 9)
def _gostcrypto_verifies(certificate, message: bytes, signature: bytes) -> bool:
    """Independent check: gostcrypto (pure Python) on the received bytes, NCA byte order
    (each 64-byte half of the key and the signature reversed, the digest reversed)."""
    from gostcrypto import gostsignature

    from qyzmet.eds.certificate import Certificate

    from .conftest import streebog512

    point = core.OctetString.load(Certificate.from_der(certificate).public_key_info.key_bytes)
    point = point.native
    curve = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
    return gostsignature.new(gostsignature.MODE_512, curve).verify(
        point[:64][::-1] + point[64:][::-1],
        streebog512(message)[::-1],
        signature[:64][::-1] + signature[64:][::-1],
    )


@pytest.mark.parametrize("sign", [sign_detached, sign_attached])
def test_real_nca_gost2015_key_file_signs_and_verifies_both_ways(sign):
    from .conftest import streebog512

    name = "KEY_INDIVIDUAL_VALID_2015.p12"
    signature = sign(DATA, nca_file(name), "Aa123456")
    content = None if sign is sign_attached else DATA
    verdict = verify_at_real_nca(signature, content, name, expect_iin="123456789012")
    assert verdict.valid, (verdict.code, verdict.detail)
    assert verdict.signer.algorithm == "gost2015-512"

    signed_data = cms.ContentInfo.load(signature)["content"]
    info = signed_data["signer_infos"][0]
    # NCA's OIDs, with NULL parameters as NCA writes them.
    assert info["digest_algorithm"].dump() == bytes.fromhex("300c06082a830e030a0103030500")
    assert info["signature_algorithm"].dump() == bytes.fromhex("300e060a2a830e030a01010203020500")
    assert signed_data["digest_algorithms"][0].dump() == info["digest_algorithm"].dump()
    attributes = signed_attributes(signature)
    assert set(attributes) == {
        "1.2.840.113549.1.9.3",
        "1.2.840.113549.1.9.5",
        "1.2.840.113549.1.9.4",
        OID_SIGNING_CERTIFICATE_V2,
    }
    assert attributes["1.2.840.113549.1.9.4"]["values"][0].native == streebog512(DATA)
    certificate = signer_certificate(signed_data)
    ess = tsp.SigningCertificateV2.load(attributes[OID_SIGNING_CERTIFICATE_V2]["values"][0].dump())
    cert_id = ess["certs"][0]
    assert cert_id["hash_algorithm"]["algorithm"].dotted == "1.2.398.3.10.1.3.3"
    assert cert_id["cert_hash"].native == streebog512(certificate)
    # gostcrypto over the received signed attributes (as a SET OF), not a re-encoding.
    received = b"\x31" + info["signed_attrs"].dump()[1:]
    assert _gostcrypto_verifies(certificate, received, info["signature"].native)
    assert not _gostcrypto_verifies(certificate, received + b"x", info["signature"].native)


def test_a_tampered_gost_signature_or_document_is_refused():
    from .conftest import GOST2015_ANCHORS

    name = "KEY_INDIVIDUAL_VALID_2015.p12"
    signature = sign_detached(DATA, nca_file(name), "Aa123456")
    options = {
        "trust": anchors(*GOST2015_ANCHORS),
        "at": moment_inside(leaf_of(name)),
        "revocation": RevocationSources(crls=[nca_file("crl__nca_gost2022_test.crl")]),
    }
    assert verify_cms(signature, DATA + b".", **options).code == "digest_mismatch"
    flipped = bytearray(signature)
    flipped[-5] ^= 0x01  # inside the signature value (the last field)
    assert verify_cms(bytes(flipped), DATA, **options).code == "bad_signature"


def test_gost_key_file_of_the_wrong_password_is_refused():
    with pytest.raises(EdsError) as wrong:
        sign_detached(DATA, nca_file("KEY_INDIVIDUAL_VALID_2015.p12"), "Aa1234567")
    assert wrong.value.code == "wrong_password"
