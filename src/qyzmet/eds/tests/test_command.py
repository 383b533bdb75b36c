"""``qyzmet eds`` CLI: JSON output and exit status 0 valid / 1 invalid / 2 usage error."""

from __future__ import annotations

import json
import shutil

import pytest
from django.test import override_settings

from qyzmet.eds.service import check_certificate, verify_signature

from .conftest import NCA_TEST_DIR, run_eds_command


@pytest.fixture(scope="module")
def rsa_trust_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trust")
    for name in ("root_rsa_test.pem", "NCA_2004_RSA_CERT.pem"):
        shutil.copy(NCA_TEST_DIR / name, folder / name)
    return folder


def test_inspect_p12_prints_the_profile():
    code, out, _ = run_eds_command(
        "inspect", NCA_TEST_DIR / "KEY_CEO_REVOKED_2015.p12", "--password", "Aa123456"
    )
    shown = json.loads(out)
    assert code == 0
    assert shown["subject"]["bin"] == "123456789021" and shown["roles"] == ["first_head"]


def test_inspect_wrong_password_exits_1():
    code, out, _ = run_eds_command(
        "inspect", NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_2015.p12", "--password", "x", "--lang", "en"
    )
    assert code == 1 and json.loads(out)["code"] == "wrong_password"


def test_verify_cert_valid_then_revoked_then_expired(rsa_trust_dir):
    crl = NCA_TEST_DIR / "crl__nca_rsa_test.crl"
    code, out, _ = run_eds_command(
        "verify-cert",
        NCA_TEST_DIR / "CERT_INDIVIDUAL.pem",
        "--trust",
        rsa_trust_dir,
        "--at",
        "2022-06-01T00:00:00Z",
        "--crl",
        crl,
    )
    shown = json.loads(out)
    assert code == 0 and shown["valid"] is True and shown["code"] is None
    assert shown["signer"]["subject"]["iin"] == "123456789011"
    code, out, _ = run_eds_command(
        "verify-cert", NCA_TEST_DIR / "CERT_INDIVIDUAL.pem", "--trust", rsa_trust_dir, "--crl", crl
    )
    assert code == 1 and json.loads(out)["code"] == "expired"


def test_verify_cms_cli(rsa_trust_dir, rsa_key_bundle, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    data = b"result document"
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(
            x509.load_der_x509_certificate(rsa_key_bundle.certificate.der),
            rsa_key_bundle.private_key,
            hashes.SHA256(),
        )
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )
    (tmp_path / "doc").write_bytes(data)
    (tmp_path / "doc.cms").write_bytes(signature)
    common = [
        "--signature",
        tmp_path / "doc.cms",
        "--data",
        tmp_path / "doc",
        "--trust",
        rsa_trust_dir,
        "--at",
        "2021-06-01T00:00:00+00:00",
        "--crl",
        NCA_TEST_DIR / "crl__nca_rsa_test.crl",
    ]
    code, out, _ = run_eds_command("verify-cms", *common, "--expect-iin", "123456789011")
    assert code == 0 and json.loads(out)["valid"] is True
    code, out, _ = run_eds_command("verify-cms", *common, "--expect-iin", "123456789012")
    assert code == 1 and json.loads(out)["code"] == "iin_mismatch"


@pytest.mark.parametrize(
    ("key", "password", "trust", "crl", "at", "iin", "algorithm"),
    [
        (
            "KEY_INDIVIDUAL_VALID_2015.p12",
            "Aa123456",
            ("ca__nca_gost2015_test.cer",),
            "crl__nca_gost2022_test.crl",
            "2022-09-01T00:00:00+00:00",
            "123456789012",
            "gost2015-512",
        ),
        (
            "KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
            "Qwerty12",
            ("root_rsa_test.pem", "NCA_2004_RSA_CERT.pem"),
            "crl__nca_rsa_test.crl",
            "2021-06-01T00:00:00+00:00",
            "123456789011",
            "rsa",
        ),
    ],
)
@pytest.mark.parametrize("attached", [False, True])
def test_sign_cms_cli_signs_with_gost_and_rsa_key_files(
    tmp_path, key, password, trust, crl, at, iin, algorithm, attached
):
    """``qyzmet eds sign-cms --key FILE --password P --in DATA --out SIG.der [--attached]``
    (issue 9): the CMS it writes verifies with ``verify-cms``."""
    trust_dir = tmp_path / "trust"
    trust_dir.mkdir()
    for name in trust:
        shutil.copy(NCA_TEST_DIR / name, trust_dir / name)
    document = tmp_path / "заявление.txt"
    document.write_bytes("Өтініш / заявление".encode())
    out = tmp_path / "sig.der"
    command = ["sign-cms", "--key", NCA_TEST_DIR / key, "--password", password]
    command += ["--in", document, "--out", out] + (["--attached"] if attached else [])
    code, printed, _ = run_eds_command(*command)
    assert code == 0, printed
    shown = json.loads(printed)
    assert shown["algorithm"] == algorithm and shown["signer"]["iin"] == iin
    check = ["verify-cms", "--signature", out, "--trust", trust_dir, "--at", at]
    check += ["--crl", NCA_TEST_DIR / crl, "--expect-iin", iin, "--lang", "en"]
    if not attached:
        check += ["--data", document]
    code, printed, _ = run_eds_command(*check)
    assert code == 0 and json.loads(printed)["signer"]["algorithm"] == algorithm


def test_sign_cms_cli_refuses_a_gost2004_key_and_a_wrong_password(tmp_path):
    document = tmp_path / "doc"
    document.write_bytes(b"x")
    out = tmp_path / "sig.der"
    code, printed, _ = run_eds_command(
        "sign-cms", "--key", NCA_TEST_DIR / "KEY_CEO_SIGN_REVOKED_2004.p12",
        "--password", "Qwerty12", "--in", document, "--out", out, "--lang", "en",
    )  # fmt: skip
    assert code == 1 and json.loads(printed)["code"] == "gost2004_key"
    assert "no GOST-2004 key is still valid" in json.loads(printed)["message"]
    code, printed, _ = run_eds_command(
        "sign-cms", "--key", NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_2015.p12",
        "--password", "wrong", "--in", document, "--out", out,
    )  # fmt: skip
    assert code == 1 and json.loads(printed)["code"] == "wrong_password"
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        (
            "sign-cms",
            "--key",
            "/nonexistent.p12",
            "--password",
            "x",
            "--in",
            "/tmp",
            "--out",
            "/tmp/x",
        ),
        ("sign-cms", "--key", NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_2015.p12"),
        ("verify-cert",),
        ("verify-cert", "/nonexistent.cer", "--trust", "/tmp"),
        ("verify-cert", NCA_TEST_DIR / "CERT_INDIVIDUAL.pem", "--trust", "/nonexistent-dir"),
        (
            "verify-cert",
            NCA_TEST_DIR / "CERT_INDIVIDUAL.pem",
            "--trust",
            NCA_TEST_DIR,
            "--at",
            "yesterday",
        ),
        ("verify-cms", "--data", "/tmp"),
        ("inspect", "/nonexistent.p12"),
        ("no-such-subcommand",),
    ],
)
def test_usage_errors_exit_2(args):
    code, out, _ = run_eds_command(*args)
    assert code == 2 and out == ""


def test_service_uses_settings(tmp_path, rsa_key_bundle):
    for name in ("root_rsa_test.pem", "NCA_2004_RSA_CERT.pem"):
        shutil.copy(NCA_TEST_DIR / name, tmp_path / name)
    crl = str(NCA_TEST_DIR / "crl__nca_rsa_test.crl")
    from datetime import UTC, datetime

    at = datetime(2021, 6, 1, tzinfo=UTC)
    cert = rsa_key_bundle.certificate
    with override_settings(
        QYZMET_EDS_TRUST_ANCHORS_DIR=str(tmp_path),
        QYZMET_EDS_CRL_FILES=[crl],
        QYZMET_EDS_ACCEPT_TEST_CERTIFICATES=True,
        QYZMET_EDS_REVOCATION_SOURCES=(),
    ):
        assert check_certificate(cert, at=at, purpose="sign").valid
    # Production default: the NCA test CAs are not accepted even if present in the folder.
    with override_settings(
        QYZMET_EDS_TRUST_ANCHORS_DIR=str(tmp_path),
        QYZMET_EDS_CRL_FILES=[crl],
        QYZMET_EDS_REVOCATION_SOURCES=(),
    ):
        assert check_certificate(cert, at=at, purpose="sign").code == "untrusted_chain"
        assert verify_signature(b"junk", b"data", at=at).code == "malformed"
