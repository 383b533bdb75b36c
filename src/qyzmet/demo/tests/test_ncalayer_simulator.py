"""The NCALayer simulator over a real WebSocket, as its own process (``qyzmet
ncalayer-simulator``): the greeting, the heartbeat, basics.sign with NCALayer's filters,
cancel and error answers, commonUtils, the control channel, and wss:// with a certificate.
Every signature it makes is checked with qyzmet's verifier against the demo PKI."""

from __future__ import annotations

import base64
import json
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import cms
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from qyzmet.conftest import NCALAYER_READY
from qyzmet.eds.service import verify_signature
from qyzmet.registry.keys import generate_self_signed
from qyzmet.testing import start_listening_process, stop_process

DATA = "Заявление №1: подписываемые байты".encode()
SIGN, AUTH = "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.2"


def basics_sign(data: bytes = DATA, *, signer: dict | None = None, **signing) -> dict:
    return {
        "module": "kz.gov.pki.knca.basics",
        "method": "sign",
        "args": {
            "allowedStorages": ["PKCS12"],
            "format": "cms",
            "data": base64.b64encode(data).decode(),
            "signingParams": {"decode": True, "encapsulate": False, "digested": False, **signing},
            "signerParams": {"extKeyUsageOids": [SIGN], **(signer or {})},
            "locale": "ru",
        },
    }


def common(method: str, *args) -> dict:
    return {"module": "kz.gov.pki.knca.commonUtils", "method": method, "args": list(args)}


class Session:
    """One page's connection: the greeting is read on open."""

    def __init__(self, url: str, **options):
        self.connection = connect(url, max_size=None, **options).__enter__()
        self.greeting = json.loads(self.connection.recv(timeout=30))

    def ask(self, request: dict) -> dict:
        self.connection.send(json.dumps(request))
        return json.loads(self.connection.recv(timeout=60))

    def close(self):
        self.connection.close()


@pytest.fixture
def session(ncalayer):
    opened = Session(ncalayer.url)
    yield opened
    opened.close()


def signature_of(answer: dict) -> bytes:
    assert answer["status"] is True, answer
    (result,) = answer["body"]["result"]
    return base64.b64decode(result)


def test_greeting_and_heartbeat(session):
    assert session.greeting == {"result": {"version": "1.4"}}
    session.connection.send("--heartbeat--")
    assert session.connection.recv(timeout=30) == "--heartbeat--"


def test_basics_sign_makes_a_detached_cms_that_qyzmet_verifies(session, demo_pki):
    abenova = demo_pki.person("abenova")
    signature = signature_of(session.ask(basics_sign(signer={"iin": abenova["iin"]})))
    content = cms.ContentInfo.load(signature)["content"]["encap_content_info"]["content"]
    assert content.native is None  # detached: the page's bytes are not inside
    verdict = verify_signature(signature, DATA, purpose="sign", expect_iin=abenova["iin"])
    assert verdict.valid, verdict.code
    assert verdict.signer.iin == abenova["iin"]
    assert not verify_signature(signature, DATA + b"!", purpose="sign").valid


def test_basics_sign_encapsulates_when_asked(session, demo_pki):
    signature = signature_of(session.ask(basics_sign(encapsulate=True)))
    content = cms.ContentInfo.load(signature)["content"]["encap_content_info"]["content"]
    assert content.native == DATA
    assert verify_signature(signature, DATA, purpose="sign").valid


def test_a_list_of_documents_gets_a_list_of_signatures(session, demo_pki):
    request = basics_sign()
    request["args"]["data"] = [base64.b64encode(b"one").decode(), base64.b64encode(b"two").decode()]
    answer = session.ask(request)
    first, second = (base64.b64decode(item) for item in answer["body"]["result"])
    assert verify_signature(first, b"one", purpose="sign").valid
    assert verify_signature(second, b"two", purpose="sign").valid


def test_the_authentication_key_is_chosen_by_its_key_usage(session, demo_pki):
    signature = signature_of(session.ask(basics_sign(signer={"extKeyUsageOids": [AUTH]})))
    assert verify_signature(signature, DATA, purpose="auth").valid
    assert verify_signature(signature, DATA, purpose="sign").code == "wrong_purpose"


def test_the_iin_and_bin_filter_is_honoured(session, ncalayer, demo_pki):
    stranger = demo_pki.person("nurlanov")["iin"]
    answer = session.ask(basics_sign(signer={"iin": stranger}))
    assert answer["status"] is False
    assert answer["message"] == "No suitable certificate found"
    assert stranger in answer["details"]
    assert ncalayer.control()["counters"]["signed"] == 0

    head = demo_pki.person("serikbaev")
    ncalayer.control(person="serikbaev")
    ok = signature_of(session.ask(basics_sign(signer={"iin": head["iin"], "bin": head["bin"]})))
    verdict = verify_signature(ok, DATA, purpose="sign", expect_bin=head["bin"])
    assert verdict.valid and verdict.signer.bin == head["bin"]
    refused = session.ask(basics_sign(signer={"iin": head["iin"], "bin": "000000000000"}))
    assert refused["status"] is False


def test_a_storage_the_person_does_not_have_offers_no_key(session):
    request = basics_sign()
    request["args"]["allowedStorages"] = ["AKKZIDCardStore"]
    assert session.ask(request)["status"] is False


def test_cancelled_dialog(session, ncalayer):
    ncalayer.control(answer="cancel")
    assert session.ask(basics_sign()) == {"status": True, "body": {}}
    assert session.ask(common("createCAdESFromBase64", "PKCS12", "SIGNATURE", "aGk=", False)) == {
        "code": "500",
        "message": "action.canceled",
    }
    counters = ncalayer.control()["counters"]
    assert counters["cancelled"] == 2 and counters["signed"] == 0


def test_error_answers(session, ncalayer):
    ncalayer.control(answer="error", error_code="500", error_message="Storage is locked")
    answer = session.ask(basics_sign())
    assert answer["status"] is False
    assert (answer["code"], answer["message"]) == ("500", "Storage is locked")
    assert session.ask(common("getKeyInfo", "PKCS12"))["code"] == "500"
    assert (
        session.ask({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {}})["status"]
        is False
    )
    unknown = session.ask({"module": "kz.digiflow.mobile.extensions", "method": "getVersion"})
    assert unknown["code"] != "200"


def test_what_the_simulator_does_not_do_is_an_error(session):
    assert session.ask(basics_sign(digested=True))["status"] is False
    xml = basics_sign()
    xml["args"]["format"] = "xml"
    assert session.ask(xml)["status"] is False
    assert (
        session.ask(common("createCAdESFromBase64Hash", "PKCS12", "SIGNATURE", "aGk="))["code"]
        == "500"
    )


def test_common_utils(session, demo_pki):
    abenova = demo_pki.person("abenova")
    assert session.ask(common("getActiveTokens")) == {
        "code": "200",
        "message": "",
        "responseObject": [],
    }
    info = session.ask(common("getKeyInfo", "PKCS12"))
    assert info["code"] == "200"
    assert info["responseObject"]["subjectCn"] == abenova["common_name"]
    assert info["responseObject"]["pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert session.ask(common("getKeyInfo", "AKKaztokenStore"))["code"] == "500"
    data = base64.b64encode(DATA).decode()
    answer = session.ask(common("createCAdESFromBase64", "PKCS12", "SIGNATURE", data, False))
    assert answer["code"] == "200"
    signature = base64.b64decode(answer["responseObject"])
    assert verify_signature(signature, DATA, purpose="sign", expect_iin=abenova["iin"]).valid
    auth = session.ask(common("createCAdESFromBase64", "PKCS12", "AUTHENTICATION", data, True))
    attached = base64.b64decode(auth["responseObject"])
    assert verify_signature(attached, None, purpose="auth").valid


def test_control_switches_the_person_and_refuses_web_pages(ncalayer, demo_pki):
    state = ncalayer.control(person="zhumabaev")
    assert {key["iin"] for key in state["keys"]} == {demo_pki.person("zhumabaev")["iin"]}
    with pytest.raises(ValueError, match="nobody"):
        ncalayer.control(person="nobody")
    with pytest.raises(ValueError, match="answer"):
        ncalayer.control(answer="maybe")
    assert ncalayer.control()["person"] == "zhumabaev"  # a refused change changed nothing
    page = connect(ncalayer.url + "control", origin="http://evil.example").__enter__()
    with page, pytest.raises(ConnectionClosedError) as closed:
        page.send(json.dumps({"person": "abenova"}))
        page.recv(timeout=30)
    assert closed.value.rcvd.code == 1008  # policy violation, before any change
    assert ncalayer.control()["person"] == "zhumabaev"


def test_control_from_the_command_line(ncalayer):
    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    done = subprocess.run(
        [qyzmet, "ncalayer-simulator", "control", "--url", ncalayer.url, "--person", "kim"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout)["person"] == "kim"


def test_a_silent_ncalayer_greets_nobody(ncalayer):
    ncalayer.control(greeting=False)
    with connect(ncalayer.url) as page, pytest.raises(TimeoutError):
        page.recv(timeout=1)


def _tls_files(directory: Path) -> tuple[Path, Path]:
    pair = generate_self_signed("127.0.0.1", days=1, ip_addresses=("127.0.0.1",))
    cert_path, key_path = directory / "tls.crt", directory / "tls.key"
    cert_path.write_bytes(pair.cert_pem)
    key_path.write_bytes(pair.key_pem)
    return cert_path, key_path


def test_wss_with_a_certificate_for_127_0_0_1(demo_pki_dir, tmp_path):
    """As NCALayer serves: wss://127.0.0.1 with a certificate the client must trust."""
    cert, key = _tls_files(tmp_path)
    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    command = [qyzmet, "ncalayer-simulator", "--port", "0", "--pki", str(demo_pki_dir)]
    command += ["--person", "ivanova", "--tls-cert", str(cert), "--tls-key", str(key)]
    process, url = start_listening_process(command, NCALAYER_READY)
    try:
        assert url.startswith("wss://127.0.0.1:")
        trusting = ssl.create_default_context(cafile=str(cert))
        page = Session(url, ssl=trusting)
        assert page.greeting == {"result": {"version": "1.4"}}
        page.close()
        with pytest.raises(ssl.SSLCertVerificationError):
            connect(url, ssl=ssl.create_default_context())
    finally:
        stop_process(process)


def test_a_key_file_and_password_on_the_command_line(demo_pki, tmp_path):
    person = demo_pki.person("nurlanov")
    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    command = [qyzmet, "ncalayer-simulator", "--port", "0"]
    command += ["--key", str(demo_pki.p12_path("nurlanov")), "--password", person["password"]]
    process, url = start_listening_process(command, NCALAYER_READY)
    try:
        page = Session(url)
        signature = signature_of(page.ask(basics_sign(signer={"iin": person["iin"]})))
        page.close()
        assert verify_signature(signature, DATA, purpose="sign", expect_iin=person["iin"]).valid
    finally:
        stop_process(process)
    wrong = [qyzmet, "ncalayer-simulator", "--port", "0"]
    wrong += ["--key", str(demo_pki.p12_path("nurlanov")), "--password", "wrong"]
    failed = subprocess.run(wrong, capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0 and "ncalayer simulator" in failed.stderr


def test_a_start_without_a_usable_key_says_why(demo_pki_dir, tmp_path):
    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    for extra, reason in (
        (["--pki", str(demo_pki_dir), "--person", "nobody"], "no person 'nobody'"),
        (["--pki", str(tmp_path)], "no demo PKI in"),
    ):
        failed = subprocess.run(
            [qyzmet, "ncalayer-simulator", "--port", "0", *extra],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert failed.returncode != 0 and reason in failed.stderr, failed.stderr


def test_the_real_nca_gost_2015_test_key_signs_through_the_simulator():
    """NCA's own test key file (GOST 34.10-2015/512) behind the protocol: the CMS verifies
    with qyzmet's verifier under the real NCA GOST TEST 2022 chain."""
    from qyzmet.eds.tests.conftest import NCA_TEST_DIR, verify_at_real_nca

    name = "KEY_INDIVIDUAL_VALID_2015.p12"
    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    command = [qyzmet, "ncalayer-simulator", "--port", "0"]
    command += ["--key", str(NCA_TEST_DIR / name), "--password", "Aa123456"]
    process, url = start_listening_process(command, NCALAYER_READY)
    try:
        page = Session(url)
        signature = signature_of(page.ask(basics_sign(signer={"iin": "123456789012"})))
        page.close()
    finally:
        stop_process(process)
    verdict = verify_at_real_nca(signature, DATA, name, expect_iin="123456789012")
    assert verdict.valid, (verdict.code, verdict.detail)
    assert verdict.signer.algorithm == "gost2015-512"
