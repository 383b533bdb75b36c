"""RFC 3161 time-stamping (issue 10, item 3): qyzmet's client and token check
(``qyzmet.eds.tsa``) against the real NCA RK test time-stamps and the demo TSA
(``tsa_responder.py``, served at ``/eds/demo/tsa/`` by the demo PKI services)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from asn1crypto import tsp
from django.test import Client

from qyzmet.core.refusals import Refused
from qyzmet.demo.pki import load_demo_pki
from qyzmet.eds import tsa
from qyzmet.eds.chain import TrustStore

from .conftest import NCA_TEST_DIR, nca_file

# The real token's TSTInfo (tsp__tsp_token.bin, the README's "policy 1.2.398.3.3.2.6.1").
NCA_IMPRINT = bytes.fromhex("1465dad126d32bf7aa5d3b95a5c7c331cdff34df")
NCA_NONCE = 1663507112663
SHA1 = "1.3.14.3.2.26"


@pytest.fixture
def nca_trust() -> TrustStore:
    """The NCA test CAs present in the folder: the GOST test root and its ҰКО 3.0 (GOST TEST)."""
    return TrustStore.from_certificates(
        [nca_file("root_gost_test.pem"), nca_file("ca__nca_gost_test.crt")]
    )


@pytest.mark.parametrize("name", ["tsp__tsp_response.bin", "tsp__tsp_token.bin"])
def test_the_real_nca_time_stamps_are_read(name):
    data = nca_file(name)
    token = tsa.parse_token(tsa.parse_response(data) if "response" in name else data)
    assert token.policy == tsa.NCA_TSA_POLICY
    assert token.hash_algorithm == SHA1 and token.imprint == NCA_IMPRINT
    assert token.nonce == NCA_NONCE
    assert token.gen_time == datetime(2022, 9, 18, 13, 20, 14, tzinfo=UTC)
    assert token.tsa_name.startswith("СЕРВИС МЕТКИ ВРЕМЕНИ")
    # the response and the bare token carry the same token
    assert tsa.parse_token(tsa.parse_response(nca_file("tsp__tsp_response.bin"))).der == token.der


def test_the_real_nca_token_is_checked(nca_trust):
    der = nca_file("tsp__tsp_token.bin")
    token = tsa.parse_token(der)
    # its TSA certificate: the one critical id-kp-timeStamping, valid at genTime, issued by
    # the NCA GOST test CA in the folder, which the test root issued
    tsa.check_token_certificate(token, nca_trust)
    issuer = next(
        a for a in nca_trust.anchors if a.subject_der == token.signer_certificate.issuer_der
    )
    assert "GOST TEST" in issuer.subject_common_name
    root = next(a for a in nca_trust.anchors if a.is_self_issued)
    assert issuer.issuer_der == root.subject_der

    # imprint, nonce and policy are checked before the signature ...
    with pytest.raises(Refused) as wrong_imprint:
        tsa.verify_token(der, imprint=hashlib.sha1(b"other").digest(), trust=nca_trust)  # noqa: S324
    assert wrong_imprint.value.code == "tsa_imprint_mismatch"
    with pytest.raises(Refused) as wrong_nonce:
        tsa.verify_token(der, imprint=NCA_IMPRINT, nonce=NCA_NONCE + 1, trust=nca_trust)
    assert wrong_nonce.value.code == "tsa_untrusted"
    with pytest.raises(Refused) as wrong_policy:
        tsa.verify_token(der, imprint=NCA_IMPRINT, policy="1.2.398.3.3.2.6.2", trust=nca_trust)
    assert wrong_policy.value.code == "tsa_untrusted"
    # ... and the signature itself is GOST 34.310-2004, which no library here verifies:
    # said so, never taken on trust
    with pytest.raises(Refused) as unsupported:
        tsa.verify_token(
            der, imprint=NCA_IMPRINT, nonce=NCA_NONCE, policy=tsa.NCA_TSA_POLICY, trust=nca_trust
        )
    assert unsupported.value.code == "tsa_unsupported_algorithm"


def test_an_nca_token_under_other_roots_is_not_trusted():
    token = tsa.parse_token(nca_file("tsp__tsp_token.bin"))
    with pytest.raises(Refused) as refused:
        tsa.check_token_certificate(
            token, TrustStore.from_certificates([nca_file("root_rsa_test.pem")])
        )
    assert refused.value.code == "tsa_untrusted"
    assert NCA_TEST_DIR.is_dir()


# --- the demo TSA --------------------------------------------------------------------------


@pytest.fixture
def demo_trust(demo_pki) -> TrustStore:
    return TrustStore.from_directory(demo_pki.directory / "ca")


@pytest.mark.parametrize(
    ("algorithm", "unit"), [(tsa.SHA256, "RSA DEMO"), (tsa.STREEBOG512, "GOST")]
)
def test_timestamp_any_bytes_from_the_demo_tsa(demo_pki, algorithm, unit):
    token = tsa.timestamp(b"an audit checkpoint", hash_algorithm=algorithm)
    assert unit in token.tsa_name
    assert token.policy == tsa.NCA_TSA_POLICY
    assert abs((datetime.now(UTC) - token.gen_time).total_seconds()) < 60
    # it verifies again later from its bytes alone, and only for the stamped data
    tsa.verify_token(token.der, data=b"an audit checkpoint")
    with pytest.raises(Refused) as refused:
        tsa.verify_token(token.der, data=b"another checkpoint")
    assert refused.value.code == "tsa_imprint_mismatch"


def test_the_demo_endpoint_speaks_rfc_3161(demo_pki, demo_trust, settings):
    from qyzmet.demo import service_urls

    # served by the demo PKI services (`qyzmet demo-services`), not by the site
    settings.ROOT_URLCONF = "qyzmet.demo.service_urls"
    settings.MIDDLEWARE = service_urls.MIDDLEWARE
    client = Client()
    imprint = hashlib.sha256(b"x").digest()
    request = tsa.build_request(imprint, tsa.SHA256, 42, tsa.NCA_TSA_POLICY)
    answer = client.post("/eds/demo/tsa/", request, content_type=tsa.QUERY_TYPE)
    assert answer.status_code == 200 and answer["Content-Type"] == tsa.REPLY_TYPE
    token = tsa.verify_token(
        tsa.parse_response(answer.content), imprint=imprint, nonce=42, trust=demo_trust
    )
    assert token.certificates  # certReq true: the TSA's certificate is in the token
    # certReq false: no certificates
    bare = tsp.TimeStampReq.load(request)
    bare["cert_req"] = False
    answer = client.post("/eds/demo/tsa/", bare.dump(), content_type=tsa.QUERY_TYPE)
    assert not tsa.parse_token(tsa.parse_response(answer.content)).certificates
    # garbage is a rejection, not an error page; a wrong content type is refused
    answer = client.post("/eds/demo/tsa/", b"garbage", content_type=tsa.QUERY_TYPE)
    assert tsa.response_status(answer.content)["status"].native == "rejection"
    with pytest.raises(Refused) as refused:
        tsa.parse_response(answer.content)
    assert refused.value.code == "tsa_bad_response"
    assert client.post("/eds/demo/tsa/", request, content_type="text/plain").status_code == 415
    # another policy is not accepted
    other = tsa.build_request(imprint, tsa.SHA256, 43, "1.2.3.4")
    answer = client.post("/eds/demo/tsa/", other, content_type=tsa.QUERY_TYPE)
    assert tsa.response_status(answer.content)["fail_info"].native == {"unaccepted_policy"}


def test_the_demo_tsa_certificates_are_tsa_certificates(demo_pki, demo_trust):
    from qyzmet.eds.certificate import Certificate
    from qyzmet.eds.chain import TIMESTAMP, check_purpose

    pki = load_demo_pki(demo_pki.directory)
    for entry in pki.index["tsa_units"]:
        certificate = Certificate.load((demo_pki.directory / entry["file"]).read_bytes())
        check_purpose(certificate, TIMESTAMP)  # the one critical id-kp-timeStamping
        assert certificate.not_after.year - certificate.not_before.year >= 5


def test_a_person_certificate_cannot_stamp(demo_pki, demo_trust):
    """A token signed by a key without id-kp-timeStamping is refused (RFC 3161 §2.3)."""
    from asn1crypto import tsp as asn1_tsp

    from qyzmet.eds.signing import load_signing_key, sign_with_key

    key, certificate, chain = load_signing_key(
        demo_pki.p12("zhumabaev-rsa"), demo_pki.person("zhumabaev-rsa")["password"]
    )
    imprint = hashlib.sha256(b"x").digest()
    info = asn1_tsp.TSTInfo(
        {
            "version": "v1",
            "policy": tsa.NCA_TSA_POLICY,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": imprint,
            },
            "serial_number": 1,
            "gen_time": datetime.now(UTC).replace(microsecond=0),
        }
    )
    token = sign_with_key(
        info.dump(), key, certificate, chain, detached=False, content_type=tsa.OID_TST_INFO
    )
    with pytest.raises(Refused) as refused:
        tsa.verify_token(token, imprint=imprint, trust=demo_trust)
    assert refused.value.code == "tsa_untrusted"
