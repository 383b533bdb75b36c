"""GOST 34.10-2015/512 in the browser signing module (issue 9, item 2): the page's own code
(static/qyzmet/eds/gost.js and eds-sign.js) run for real under Node.

- its Streebog and GOST 34.10 give the standards' own example values (GOST R 34.11-2012
  examples M1 and M2 at 512 and 256 bits; GOST R 34.10-2012 appendix A.2, 512 bits);
- the real NCA test key KEY_INDIVIDUAL_VALID_2015.p12 signs through
  ``npm run eds-sign`` (detached and attached), and the signature verifies with qyzmet's
  verifier (as of a moment inside the certificate's validity, the NCA GOST 2022 test CA
  trusted) and, independently, with gostcrypto over the received signed attributes;
- bad key files get their codes: wrong_password, gost2004_key, auth_key."""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import algos, cms, core, pkcs12, tsp, x509
from Crypto.Cipher import ARC2, DES3
from gostcrypto import gosthash, gostsignature

from qyzmet.eds.cms import verify_cms
from qyzmet.eds.pkcs12 import load_pkcs12, pkcs12_kdf
from qyzmet.eds.profile import profile_of
from qyzmet.eds.revocation import RevocationSources

from .conftest import (
    NCA_TEST_DIR,
    anchors,
    gost2015_private_scalar,
    moment_inside,
    nca_file,
    run_eds_command,
)
from .module_runner import MODULE, PASSWORD, person_p12, run_module, verify

TESTS = Path(__file__).resolve().parent
REPOSITORY = TESTS.parents[3]
GOST_MODULE = MODULE.parent / "gost.js"
GOST_RUNNER = TESTS / "gost_runner.mjs"
NCA_GOST_KEY = NCA_TEST_DIR / "KEY_INDIVIDUAL_VALID_2015.p12"
NCA_GOST_PASSWORD = "Aa123456"
NCA_GOST_CA = "ca__nca_gost2015_test.cer"
DATA = "Өтініш: тарих және мәдениет ескерткішіне жұмыс жүргізуге келісім".encode()

# GOST R 34.11-2012, examples 1 and 2, as the standard writes them (most significant byte
# first): the message bytes are these reversed ("0123…012" for M1), and so is the digest.
M1 = (
    "32313039383736353433323130393837363534333231303938373635343332"
    "3130393837363534333231303938373635343332313039383736353433323130"
)
M2 = (
    "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2"
    "fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1"
)
STREEBOG_EXAMPLES = [
    (
        M1,
        512,
        "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
        "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b",
    ),
    (M1, 256, "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"),
    (
        M2,
        512,
        "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03"
        "7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e",
    ),
    (M2, 256, "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d"),
]

# GOST R 34.10-2012, appendix A.2: the 512-bit example (curve, keys, e, k -> r, s).
A2 = {
    "curve": {
        "p": "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15d"
        "f1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373",
        "a": "7",
        "b": "1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac43"
        "61834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adc",
        "q": "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15d"
        "a82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6df",
        "x": "24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762"
        "fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9a",
        "y": "2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c"
        "83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371e",
    },
    "d": "ba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b10207"
    "2e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4",
    "e": "3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c591"
    "7184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8c",
    "k": "359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f36588"
    "6748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1",
}
A2_EXPECTED = {
    "r": "2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd3"
    "5492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36",
    "s": "1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5"
    "823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a",
    "qx": "115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd"
    "5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1",
    "qy": "37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61"
    "ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beec",
}
PARAM_SET_A = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is needed to run the browser module")
    return found


def run_gost(request: dict) -> dict:
    finished = subprocess.run(
        [node(), str(GOST_RUNNER), str(GOST_MODULE)],
        input=json.dumps(request).encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr.decode()
    return json.loads(finished.stdout)


def npm_eds_sign(*args) -> subprocess.CompletedProcess:
    """The command exactly as documented, from the repository root."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to run `npm run eds-sign`")
    return subprocess.run(
        [npm, "run", "--silent", "eds-sign", "--", *map(str, args)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_UPDATE_NOTIFIER": "1"},
    )


def streebog512(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog512", data=data).digest())


# --- the standards' own examples
def test_streebog_gives_the_examples_of_gost_r_34_11_2012():
    request = [[bytes.fromhex(message)[::-1].hex(), bits] for message, bits, _ in STREEBOG_EXAMPLES]
    digests = run_gost({"streebog": request})["streebog"]
    for (_, bits, expected), digest in zip(STREEBOG_EXAMPLES, digests, strict=True):
        assert bytes.fromhex(digest)[::-1].hex() == expected, bits


def test_streebog_agrees_with_gostcrypto_at_every_block_boundary():
    """Padding and the 2^512 counters: lengths around 64-byte blocks, and 100 KB."""
    messages = [secrets.token_bytes(n) for n in (0, 1, 55, 63, 64, 65, 127, 128, 129, 1000)]
    messages.append(secrets.token_bytes(100_000))
    request = [[m.hex(), bits] for m in messages for bits in (512, 256)]
    digests = run_gost({"streebog": request})["streebog"]
    for (message_hex, bits), digest in zip(request, digests, strict=True):
        expected = gosthash.new(f"streebog{bits}", data=bytes.fromhex(message_hex)).hexdigest()
        assert digest == expected, (len(message_hex) // 2, bits)


def test_signature_gives_the_example_a2_of_gost_r_34_10_2012():
    result = run_gost({"sign": [A2]})["sign"][0]
    assert {name: result[name] for name in A2_EXPECTED} == A2_EXPECTED
    assert result["verifies"] is True and result["tampered"] is False


def test_signature_on_param_set_a_agrees_with_gostcrypto():
    """TC26 512 paramSetA (NCA's curve): the same d, e and k give gostcrypto's r and s."""
    d, e, k = (secrets.randbelow(PARAM_SET_A["q"] - 1) + 1 for _ in range(3))
    curve = {name: format(PARAM_SET_A[name], "x") for name in ("p", "a", "b", "q", "x", "y")}
    request = {"curve": curve, "d": format(d, "x"), "e": format(e, "x"), "k": format(k, "x")}
    result = run_gost({"sign": [request]})["sign"][0]
    engine = gostsignature.new(gostsignature.MODE_512, PARAM_SET_A)
    expected = bytes(
        engine.sign(d.to_bytes(64, "big"), e.to_bytes(64, "big"), k.to_bytes(64, "big"))
    )
    assert bytes.fromhex(result["r"].zfill(128) + result["s"].zfill(128)) == expected
    assert result["verifies"] is True


# --- the real NCA test key
@pytest.fixture(scope="module")
def nca_gost():
    bundle = load_pkcs12(NCA_GOST_KEY.read_bytes(), NCA_GOST_PASSWORD)
    return {
        "bundle": bundle,
        "at": moment_inside(bundle.certificate),
        "revocation": RevocationSources(crls=[nca_file("crl__nca_gost2022_test.crl")]),
        "trust": anchors(NCA_GOST_CA),
    }


def independent_check(signature: bytes, data: bytes, certificate) -> None:
    """gostcrypto directly on the signed attributes as received: NCA's OIDs, the digest of
    the content, the ESS certificate hash, and the GOST 34.10-2015/512 signature."""
    signed_data = cms.ContentInfo.load(signature)["content"]
    assert [a["algorithm"].dotted for a in signed_data["digest_algorithms"]] == [
        "1.2.398.3.10.1.3.3"
    ]
    (signer_info,) = signed_data["signer_infos"]
    assert signer_info["digest_algorithm"]["algorithm"].dotted == "1.2.398.3.10.1.3.3"
    assert signer_info["signature_algorithm"]["algorithm"].dotted == "1.2.398.3.10.1.1.2.3.2"
    values = {a["type"].dotted: a["values"][0] for a in signer_info["signed_attrs"]}
    assert values["1.2.840.113549.1.9.4"].native == streebog512(data)
    ess = tsp.SigningCertificateV2.load(values["1.2.840.113549.1.9.16.2.47"].dump())
    assert ess["certs"][0]["cert_hash"].native == streebog512(certificate.der)
    received = signer_info["signed_attrs"].dump()
    digest = streebog512(b"\x31" + received[1:])  # the SET OF tag in place of [0]
    point = core.OctetString.load(certificate.public_key_info.key_bytes).native
    value = signer_info["signature"].native
    engine = gostsignature.new(gostsignature.MODE_512, PARAM_SET_A)
    assert engine.verify(
        point[:64][::-1] + point[64:][::-1], digest[::-1], value[:64][::-1] + value[64:][::-1]
    )


@pytest.mark.parametrize("attached", [False, True], ids=["detached", "attached"])
def test_real_nca_gost_key_signs_with_npm_run_eds_sign(attached, nca_gost, tmp_path):
    (tmp_path / "data.bin").write_bytes(DATA)
    flags = ["--attached"] if attached else []
    finished = npm_eds_sign(
        "--key", NCA_GOST_KEY, "--password", NCA_GOST_PASSWORD,
        "--in", tmp_path / "data.bin", "--out", tmp_path / "sig.der", *flags,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    signature = (tmp_path / "sig.der").read_bytes()
    options = {k: nca_gost[k] for k in ("at", "revocation", "trust")}
    verdict = verify_cms(
        signature, None if attached else DATA, expect_iin="123456789012", **options
    )
    assert (verdict.valid, verdict.code) == (True, None), verdict.detail
    assert verdict.signer.algorithm == "gost2015-512"
    assert set(verdict.signed_attributes) == {"content_type", "message_digest", "signing_time"}
    independent_check(signature, DATA, nca_gost["bundle"].certificate)
    if attached:
        assert verify_cms(signature, DATA + b".", **options).code == "digest_mismatch"
    else:
        assert verify_cms(signature, DATA[:-1], **options).code == "digest_mismatch"


def test_qyzmet_eds_verify_cms_accepts_the_module_signature(nca_gost, tmp_path):
    run_module(NCA_GOST_KEY, NCA_GOST_PASSWORD, DATA, tmp_path)
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(NCA_TEST_DIR / NCA_GOST_CA, trust / NCA_GOST_CA)
    code, out, err = run_eds_command(
        "verify-cms",
        "--signature", tmp_path / "signature.p7s",
        "--data", tmp_path / "data.bin",
        "--trust", trust,
        "--at", nca_gost["at"].isoformat(),
        "--crl", NCA_TEST_DIR / "crl__nca_gost2022_test.crl",
        "--expect-iin", "123456789012",
    )  # fmt: skip
    assert code == 0, (out, err)
    assert json.loads(out)["valid"] is True


def test_module_reads_the_gost_key_file_like_the_python_profile(nca_gost, tmp_path):
    result = run_module(NCA_GOST_KEY, NCA_GOST_PASSWORD, None, tmp_path)
    certificate = nca_gost["bundle"].certificate
    profile = profile_of(certificate)
    assert result["describe"]["iin"] == profile.iin == "123456789012"
    assert (result["describe"]["surname"], result["describe"]["patronymic"]) == (
        profile.surname,
        profile.patronymic,
    )
    assert result["describe"]["serial"] == profile.serial
    assert result["describe"]["notAfter"] == profile.not_after
    assert result["describe"]["issuer"] == profile.issuer
    assert (result["describe"]["purpose"], result["describe"]["holder"]) == ("sign", "individual")
    assert base64.b64decode(result["certificate"]) == certificate.der
    assert result["handleKeys"] == ["kind"]


# --- bad input, each with its code
def test_wrong_password_for_a_gost_key_file(tmp_path):
    (tmp_path / "data.bin").write_bytes(DATA)
    finished = npm_eds_sign(
        "--key", NCA_GOST_KEY, "--password", "Aa1234567",
        "--in", tmp_path / "data.bin", "--out", tmp_path / "sig.der",
    )  # fmt: skip
    assert finished.returncode == 1
    assert finished.stderr.startswith("wrong_password:")
    assert not (tmp_path / "sig.der").exists()


def test_a_gost_2004_key_is_refused_saying_why(tmp_path):
    result = run_module(NCA_TEST_DIR / "KEY_CEO_SIGN_REVOKED_2004.p12", "Qwerty12", None, tmp_path)
    assert result["error"] == "gost2004_key"
    assert "no longer issues" in result["message"] and "one year" in result["message"]


def test_an_authentication_key_does_not_sign_a_document(tmp_path):
    auth = NCA_TEST_DIR / "KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12"
    assert run_module(auth, "Qwerty12", DATA, tmp_path)["error"] == "auth_key"
    # the same key answers a log-in challenge (purpose "auth"; the server checks the rest)
    answered = run_module(auth, "Qwerty12", DATA, tmp_path, {"purpose": "auth"})
    assert "error" not in answered and answered["describe"]["purpose"] == "auth"
    # and the demo people's authentication keys, like NCA's
    demo_auth = run_module(person_p12("abenova", "auth"), PASSWORD, DATA, tmp_path)
    assert demo_auth["error"] == "auth_key"


@pytest.mark.parametrize("person_id", ["zhumabaev", "zhumabaev-rsa"], ids=["gost", "legacy-rsa"])
def test_attached_signature_of_a_demo_key_verifies(person_id, tmp_path):
    result = run_module(person_p12(person_id), PASSWORD, DATA, tmp_path, {"attached": True})
    verdict = verify(result["signature"], None)
    assert verdict.valid, (verdict.code, verdict.detail)
    assert verify(result["signature"], DATA + b".").code == "digest_mismatch"


# --- key files built here: NCA's encryption, other contents
def nca_style_p12(private_key_info: bytes, certificates: list[bytes], password: str) -> bytes:
    """A PKCS#12 file written as NCA writes GOST ones: the key in a 3DES shrouded key bag in
    a plain safe, the certificates in a 40-bit RC2 encrypted safe, a SHA-1 MAC."""
    secret = password.encode("utf-16-be") + b"\x00\x00"

    def encrypt(plain: bytes, oid: str, key_size: int) -> tuple[algos.EncryptionAlgorithm, bytes]:
        salt, iterations = secrets.token_bytes(8), 2048
        key = pkcs12_kdf("sha1", secret, salt, iterations, 1, key_size)
        iv = pkcs12_kdf("sha1", secret, salt, iterations, 2, 8)
        padded = plain + bytes([8 - len(plain) % 8]) * (8 - len(plain) % 8)
        if key_size == 24:
            cipher = DES3.new(DES3.adjust_key_parity(key), DES3.MODE_CBC, iv)
        else:
            cipher = ARC2.new(key, ARC2.MODE_CBC, iv, effective_keylen=40)  # noqa: S304 -- NCA's format
        parameters = algos.Pbes1Params({"salt": salt, "iterations": iterations})
        algorithm = algos.EncryptionAlgorithm({"algorithm": oid, "parameters": parameters})
        return algorithm, cipher.encrypt(padded)

    key_algorithm, key_ciphertext = encrypt(private_key_info, "1.2.840.113549.1.12.1.3", 24)
    key_bag = pkcs12.SafeBag(
        {
            "bag_id": "pkcs8_shrouded_key_bag",
            "bag_value": {
                "encryption_algorithm": key_algorithm,
                "encrypted_data": key_ciphertext,
            },
        }
    )
    certificate_bags = pkcs12.SafeContents(
        [
            pkcs12.SafeBag(
                {
                    "bag_id": "cert_bag",
                    "bag_value": {"cert_id": "x509", "cert_value": x509.Certificate.load(der)},
                }
            )
            for der in certificates
        ]
    )
    cert_algorithm, cert_ciphertext = encrypt(certificate_bags.dump(), "1.2.840.113549.1.12.1.6", 5)
    encrypted = cms.EncryptedData(
        {
            "version": "v0",
            "encrypted_content_info": {
                "content_type": "data",
                "content_encryption_algorithm": cert_algorithm,
                "encrypted_content": cert_ciphertext,
            },
        }
    )
    safe = pkcs12.AuthenticatedSafe(
        [
            cms.ContentInfo(
                {"content_type": "data", "content": pkcs12.SafeContents([key_bag]).dump()}
            ),
            cms.ContentInfo({"content_type": "encrypted_data", "content": encrypted}),
        ]
    ).dump()
    mac_salt = secrets.token_bytes(8)
    mac_key = pkcs12_kdf("sha1", secret, mac_salt, 2048, 3, 20)
    mac = hmac.new(mac_key, safe, "sha1").digest()
    return pkcs12.Pfx(
        {
            "version": "v3",
            "auth_safe": {"content_type": "data", "content": safe},
            "mac_data": {
                "mac": {"digest_algorithm": {"algorithm": "sha1"}, "digest": mac},
                "mac_salt": mac_salt,
                "iterations": 2048,
            },
        }
    ).dump()


def gost_private_key_info(bundle, *, as_integer: bool) -> bytes:
    """The real key's PrivateKeyInfo, its key as NCA writes it (an OCTET STRING of the
    little-endian d) or as an INTEGER (RFC 9215's other form)."""
    scalar = gost2015_private_scalar(bundle)
    if as_integer:
        inner = core.Integer(int.from_bytes(scalar, "little"))
    else:
        inner = core.OctetString(scalar)
    info = core.Sequence.load(bundle.private_key.pkcs8_der)
    parts = (info[0].dump(), info[1].dump(), core.OctetString(inner.dump()).dump())
    return core.Sequence(contents=b"".join(parts)).dump()


def test_a_gost_key_file_with_its_chain_and_an_integer_key(nca_gost, tmp_path):
    """Another writer's file: the CA certificate beside the leaf (signer picked by its key,
    chain carried in the CMS) and the private key as an INTEGER."""
    bundle = nca_gost["bundle"]
    ca = nca_file(NCA_GOST_CA)
    p12 = tmp_path / "chain.p12"
    p12.write_bytes(
        nca_style_p12(
            gost_private_key_info(bundle, as_integer=True), [ca, bundle.certificate.der], "pw"
        )
    )
    result = run_module(p12, "pw", DATA, tmp_path, {"attached": True})
    assert result["describe"]["iin"] == "123456789012"
    options = {k: nca_gost[k] for k in ("at", "revocation", "trust")}
    verdict = verify_cms(result["signature"], None, **options)
    assert (verdict.valid, verdict.code) == (True, None), verdict.detail
    carried = cms.ContentInfo.load(result["signature"])["content"]["certificates"]
    assert [c.chosen.dump() for c in carried] == [bundle.certificate.der, ca]
    independent_check(result["signature"], DATA, bundle.certificate)


def test_a_gost_key_without_its_certificate_is_refused(nca_gost, tmp_path):
    bundle = nca_gost["bundle"]
    p12 = tmp_path / "ca-only.p12"
    p12.write_bytes(
        nca_style_p12(
            gost_private_key_info(bundle, as_integer=False), [nca_file(NCA_GOST_CA)], "pw"
        )
    )
    assert run_module(p12, "pw", None, tmp_path)["error"] == "malformed"
    assert run_module(p12, "wrong", None, tmp_path)["error"] == "wrong_password"
