"""The demo OCSP responder and CRL endpoints (issue 3: "The app serves the demo CRL and an
OCSP responder over HTTP in demo mode, and the demo certificates point to them"). Their
answers feed the verifier's revocation check of p.10, условие 2."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from django.test import Client

from qyzmet.demo.ocsp_responder import issuer_hashes
from qyzmet.demo.pki import create_demo_pki, load_demo_pki, person
from qyzmet.eds.algorithms import verify_signature
from qyzmet.eds.certificate import Certificate
from qyzmet.eds.chain import TrustStore
from qyzmet.eds.cms import verify_certificate, verify_cms
from qyzmet.eds.revocation import HttpFetcher, RevocationCache, RevocationSources
from qyzmet.eds.signing import sign_detached

from .demo_pki import certificate_of, shared_demo_pki


def _cert(directory: Path, person_id: str, purpose: str = "sign") -> x509.Certificate:
    return certificate_of(directory, person(directory, person_id)[f"{purpose}_p12"])


def _intermediate(directory: Path, gost: bool = True) -> x509.Certificate:
    """The CA that issues people's keys: GOST-2015 (everyone), or RSA (the legacy kits)."""
    name = "gost-intermediate" if gost else "intermediate"
    return x509.load_pem_x509_certificate((directory / f"ca/{name}.pem").read_bytes())


def _issuer_of(directory: Path, person_id: str) -> x509.Certificate:
    return _intermediate(directory, gost=not person_id.endswith("-rsa"))


def _responder_cert(directory: Path, gost: bool = True) -> x509.Certificate:
    name = "gost-responder" if gost else "responder"
    return x509.load_pem_x509_certificate((directory / f"ocsp/{name}.pem").read_bytes())


def _request(certificate, issuer, *, nonce: bytes | None = None, algorithm=None) -> bytes:
    """An OCSP request (cryptography's builder) for RSA and GOST issuers alike: the CertID
    hashes come from the responder's own function, checked against RFC 6960 below."""
    algorithm = algorithm or hashes.SHA256()
    name_hash, key_hash = issuer_hashes(issuer, algorithm)
    builder = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        name_hash, key_hash, certificate.serial_number, algorithm
    )
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(Encoding.DER)


def test_cert_id_hashes_follow_rfc_6960():
    """issuerKeyHash is over the subjectPublicKey BIT STRING's value: for RSA what
    cryptography's own builder computes, for GOST the OCTET STRING X||Y."""
    directory = shared_demo_pki()
    rsa_issuer = _intermediate(directory, gost=False)
    leaf = _cert(directory, "abenova-rsa")
    built = ocsp.OCSPRequestBuilder().add_certificate(leaf, rsa_issuer, hashes.SHA256()).build()
    assert issuer_hashes(rsa_issuer, hashes.SHA256()) == (
        built.issuer_name_hash,
        built.issuer_key_hash,
    )
    gost_issuer = _intermediate(directory)
    point = Certificate.from_der(gost_issuer.public_bytes(Encoding.DER)).public_key_info
    assert point.key_bytes[:3] == b"\x04\x81\x80"  # OCTET STRING of 128 bytes
    key_hash = issuer_hashes(gost_issuer, hashes.SHA256())[1]
    assert key_hash == hashlib.sha256(point.key_bytes).digest()


def _check_signed_by_responder(
    response: ocsp.OCSPResponse, directory: Path, gost: bool = True
) -> None:
    responder = _responder_cert(directory, gost)
    assert [c.serial_number for c in response.certificates] == [responder.serial_number]
    if not gost:
        responder.public_key().verify(
            response.signature,
            response.tbs_response_bytes,
            padding.PKCS1v15(),
            response.signature_hash_algorithm,
        )
        return
    # GOST-2015/512 like NCA's responder: by name, 1.2.398.3.10.1.1.2.3.2, checked by the
    # verifier's own GOST code
    assert response.responder_name == responder.subject
    assert response.signature_algorithm_oid.dotted_string == "1.2.398.3.10.1.1.2.3.2"
    verify_signature(
        Certificate.from_der(responder.public_bytes(Encoding.DER)),
        response.signature_algorithm_oid.dotted_string,
        response.tbs_response_bytes,
        response.signature,
    )


# --- the responder itself
@pytest.mark.parametrize(
    ("person_id", "expected"),
    [
        ("abenova", ocsp.OCSPCertStatus.GOOD),
        ("zhumabaev", ocsp.OCSPCertStatus.GOOD),
        ("tolegenova", ocsp.OCSPCertStatus.REVOKED),
        ("abenova-rsa", ocsp.OCSPCertStatus.GOOD),
    ],
)
def test_round_trip_status_nonce_and_signature(person_id, expected):
    directory = shared_demo_pki()
    nonce = os.urandom(16)
    certificate = _cert(directory, person_id)
    answer = (
        load_demo_pki(directory)
        .ocsp_responder()
        .respond(_request(certificate, _issuer_of(directory, person_id), nonce=nonce))
    )
    response = ocsp.load_der_ocsp_response(answer)
    assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status == expected
    assert response.serial_number == certificate.serial_number
    assert response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == nonce
    now = datetime.now(UTC)
    assert response.this_update_utc <= now + timedelta(seconds=1)
    assert now < response.next_update_utc <= now + timedelta(hours=1, seconds=1)
    _check_signed_by_responder(response, directory, gost=not person_id.endswith("-rsa"))
    if expected == ocsp.OCSPCertStatus.REVOKED:
        assert response.revocation_time_utc < now
        assert response.revocation_reason == x509.ReasonFlags.key_compromise


def test_sha1_cert_id_is_answered_in_kind():
    directory = shared_demo_pki()
    certificate = _cert(directory, "nurlanov", "auth")
    request = _request(certificate, _intermediate(directory), algorithm=hashes.SHA1())  # noqa: S303
    response = ocsp.load_der_ocsp_response(
        load_demo_pki(directory).ocsp_responder().respond(request)
    )
    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert isinstance(response.hash_algorithm, hashes.SHA1)


def test_a_serial_never_issued_is_unknown_not_good():
    directory = shared_demo_pki()
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(65537, 2048)
    for gost in (True, False):
        forged = (
            x509.CertificateBuilder()
            .subject_name(_cert(directory, "abenova").subject)
            .issuer_name(_intermediate(directory, gost).subject)
            .public_key(key.public_key())
            .serial_number(12345)
            .not_valid_before(datetime.now(UTC))
            .not_valid_after(datetime.now(UTC) + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        answer = (
            load_demo_pki(directory)
            .ocsp_responder()
            .respond(_request(forged, _intermediate(directory, gost)))
        )
        response = ocsp.load_der_ocsp_response(answer)
        assert response.certificate_status == ocsp.OCSPCertStatus.UNKNOWN


def test_another_issuer_is_unauthorized_and_garbage_is_malformed():
    directory = shared_demo_pki()
    responder = load_demo_pki(directory).ocsp_responder()
    for root, intermediate in (("root", "intermediate"), ("gost-root", "gost-intermediate")):
        root_ca = x509.load_pem_x509_certificate((directory / f"ca/{root}.pem").read_bytes())
        about = x509.load_pem_x509_certificate((directory / f"ca/{intermediate}.pem").read_bytes())
        about_intermediate = responder.respond(_request(about, root_ca))
        assert (
            ocsp.load_der_ocsp_response(about_intermediate).response_status
            == ocsp.OCSPResponseStatus.UNAUTHORIZED
        )
    for garbage in (b"", b"\x30\x03\x02\x01\x01", os.urandom(300), b"\x30" * 20000):
        status = ocsp.load_der_ocsp_response(responder.respond(garbage)).response_status
        assert status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


# --- HTTP endpoints (Django test client, on the demo PKI services' URLconf: `qyzmet
# demo-services` serves them, not the site; except the tests of the site's own pages)
SITE_TESTS = (
    "test_the_site_does_not_serve_the_demo_pki",
    "test_node_forge_is_served_from_the_npm_package",
)


@pytest.fixture(autouse=True)
def _demo_services_urls(request, settings):
    from qyzmet.demo import service_urls

    if request.node.name in SITE_TESTS:
        return
    settings.ROOT_URLCONF = "qyzmet.demo.service_urls"
    settings.MIDDLEWARE = service_urls.MIDDLEWARE


def test_the_site_does_not_serve_the_demo_pki(settings):
    """Its web workers ask the demo PKI services; they must not be the ones answering."""
    settings.QYZMET_EDS_DEMO_MODE = True
    settings.QYZMET_EDS_DEMO_PKI_DIR = shared_demo_pki()
    assert Client().get("/eds/demo/crl/intermediate.crl").status_code == 404


@pytest.fixture
def demo_settings(settings):
    settings.QYZMET_EDS_DEMO_MODE = True
    settings.QYZMET_EDS_DEMO_PKI_DIR = shared_demo_pki()
    return settings


def test_crl_endpoint_serves_the_current_crl(demo_settings):
    response = Client().get("/eds/demo/crl/intermediate.crl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    assert crl.is_signature_valid(_intermediate(shared_demo_pki(), gost=False).public_key())
    gost = Client().get("/eds/demo/crl/gost-intermediate.crl")
    assert gost.status_code == 200
    crl = x509.load_der_x509_crl(gost.content)
    verify_signature(
        Certificate.from_der(_intermediate(shared_demo_pki()).public_bytes(Encoding.DER)),
        crl.signature_algorithm_oid.dotted_string,
        crl.tbs_certlist_bytes,
        crl.signature,
    )
    revoked = _cert(shared_demo_pki(), "tolegenova")
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is not None
    assert Client().get("/eds/demo/crl/root.crl").status_code == 200
    assert Client().get("/eds/demo/crl/gost-root.crl").status_code == 200
    assert Client().get("/eds/demo/crl/nosuch.crl").status_code == 404
    ca = Client().get("/eds/demo/ca/gost-intermediate.cer")
    assert ca["Content-Type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(ca.content) == _intermediate(shared_demo_pki())


def test_ocsp_post_and_get_are_answered_without_csrf(demo_settings):
    directory = shared_demo_pki()
    nonce = os.urandom(16)
    request = _request(_cert(directory, "tolegenova"), _intermediate(directory), nonce=nonce)
    client = Client(enforce_csrf_checks=True)  # OCSP clients are not browsers
    posted = client.post("/eds/demo/ocsp/", request, content_type="application/ocsp-request")
    assert posted.status_code == 200
    assert posted["Content-Type"] == "application/ocsp-response"
    response = ocsp.load_der_ocsp_response(posted.content)
    assert response.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == nonce
    _check_signed_by_responder(response, directory)

    good = _request(_cert(directory, "ivanova"), _intermediate(directory))
    encoded = base64.b64encode(good).decode().replace("+", "%2B").replace("/", "%2F")
    fetched = client.get(f"/eds/demo/ocsp/{encoded}")
    assert fetched.status_code == 200
    assert (
        ocsp.load_der_ocsp_response(fetched.content).certificate_status == ocsp.OCSPCertStatus.GOOD
    )


def test_ocsp_endpoint_refuses_oversized_and_garbage_bodies(demo_settings):
    client = Client()
    big = client.post("/eds/demo/ocsp/", b"\x30" * 70000, content_type="application/ocsp-request")
    assert big.status_code == 413
    garbage = client.post("/eds/demo/ocsp/", b"hello", content_type="application/ocsp-request")
    assert garbage.status_code == 200
    status = ocsp.load_der_ocsp_response(garbage.content).response_status
    assert status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    not_base64 = client.get("/eds/demo/ocsp/%%%%")
    assert ocsp.load_der_ocsp_response(not_base64.content).response_status == (
        ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    )
    assert client.put("/eds/demo/ocsp/").status_code == 405


def test_outside_demo_mode_nothing_is_served(settings):
    settings.QYZMET_EDS_DEMO_MODE = False
    settings.QYZMET_EDS_DEMO_PKI_DIR = shared_demo_pki()
    client = Client()
    assert client.get("/eds/demo/crl/intermediate.crl").status_code == 404
    assert client.get("/eds/demo/ca/root.cer").status_code == 404
    assert (
        client.post("/eds/demo/ocsp/", b"x", content_type="application/ocsp-request").status_code
        == 404
    )


def test_demo_mode_without_a_pki_is_404(settings, tmp_path):
    settings.QYZMET_EDS_DEMO_MODE = True
    settings.QYZMET_EDS_DEMO_PKI_DIR = tmp_path / "none"
    assert Client().get("/eds/demo/crl/intermediate.crl").status_code == 404


def test_node_forge_is_served_from_the_npm_package(settings, tmp_path):
    response = Client().get("/eds/vendor/node-forge/forge.min.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    installed = Path(settings.BASE_DIR) / "node_modules/node-forge/dist/forge.min.js"
    assert response.content == installed.read_bytes()
    again = Client().get("/eds/vendor/node-forge/forge.min.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    settings.QYZMET_EDS_NODE_MODULES_DIR = tmp_path
    assert Client().get("/eds/vendor/node-forge/forge.min.js").status_code == 404


# --- the verifier fed by the endpoints
def _client_fetcher(client: Client):
    """The verifier's live OCSP source, through the Django test client."""

    def fetch(certificate: Certificate, issuer: Certificate):
        nonce = os.urandom(16)
        request = _request(
            x509.load_der_x509_certificate(certificate.der),
            x509.load_der_x509_certificate(issuer.der),
            nonce=nonce,
        )
        reply = client.post("/eds/demo/ocsp/", request, content_type="application/ocsp-request")
        return reply.content, nonce

    return fetch


def test_verifier_gets_revoked_and_good_from_the_ocsp_endpoint(demo_settings):
    directory = shared_demo_pki()
    trust = TrustStore.from_directory(directory / "ca")
    fetcher = _client_fetcher(Client())
    codes = {}
    for person_id in ("abenova", "tolegenova"):
        der = _cert(directory, person_id).public_bytes(Encoding.DER)
        verdict = verify_certificate(
            der,
            trust=trust,
            at=datetime.now(UTC),
            revocation=RevocationSources(ocsp_fetcher=fetcher, live_order=("ocsp",)),
            purpose="sign",
        )
        codes[person_id] = (verdict.code, verdict.revocation.source if verdict.revocation else None)
    assert codes == {"abenova": (None, "ocsp"), "tolegenova": ("revoked", None)}


def test_a_live_ocsp_answer_is_reused_for_a_while_then_asked_again(demo_settings):
    """Each sign-up, log-in and submission must not wait for the responder; a revocation is
    still seen once the reuse period is over (QYZMET_EDS_OCSP_CACHE_SECONDS)."""
    directory = shared_demo_pki()
    trust = TrustStore.from_directory(directory / "ca")
    fetch = _client_fetcher(Client())
    asked = []

    def counting_fetcher(certificate, issuer):
        asked.append(certificate.serial)
        return fetch(certificate, issuer)

    now = [datetime.now(UTC)]
    cache = RevocationCache(clock=lambda: now[0], ocsp_reuse=timedelta(minutes=5))

    def verdicts(person_id: str, times: int) -> list:
        der = _cert(directory, person_id).public_bytes(Encoding.DER)
        sources = RevocationSources(
            ocsp_fetcher=counting_fetcher, live_order=("ocsp",), cache=cache
        )
        return [
            verify_certificate(der, trust=trust, at=now[0], revocation=sources, purpose="sign").code
            for _ in range(times)
        ]

    assert verdicts("abenova", 3) == [None, None, None]
    assert verdicts("tolegenova", 2) == ["revoked", "revoked"]  # a revocation is kept too
    assert len(asked) == 2  # one question per certificate
    now[0] += timedelta(minutes=6)
    assert verdicts("abenova", 1) == [None]
    assert len(asked) == 3  # the reuse period is over: asked again

    no_reuse = RevocationCache(ocsp_reuse=timedelta(0))
    der = _cert(directory, "abenova").public_bytes(Encoding.DER)
    sources = RevocationSources(ocsp_fetcher=counting_fetcher, live_order=("ocsp",), cache=no_reuse)
    for _ in range(2):
        verify_certificate(der, trust=trust, at=datetime.now(UTC), revocation=sources)
    assert len(asked) == 5


def test_verifier_reads_the_crl_endpoint(demo_settings):
    directory = shared_demo_pki()
    client = Client()
    crl = client.get("/eds/demo/crl/gost-intermediate.crl").content
    verdict = verify_cms(
        sign_detached(
            b"zayavlenie", (directory / "people/tolegenova-sign.p12").read_bytes(), "Demo2026!"
        ),
        b"zayavlenie",
        trust=TrustStore.from_directory(directory / "ca"),
        at=datetime.now(UTC),
        revocation=RevocationSources(crls=[crl]),
    )
    assert verdict.code == "revoked"


@pytest.mark.django_db(transaction=True)
def test_certificates_point_to_a_live_responder(live_server, settings, tmp_path):
    """End to end over real HTTP: a PKI made for the live server's address, its CRL and
    OCSP found by the verifier through the addresses inside the certificates."""
    directory = tmp_path / "pki"
    create_demo_pki(directory, base_url=live_server.url)
    settings.QYZMET_EDS_DEMO_MODE = True
    settings.QYZMET_EDS_DEMO_PKI_DIR = directory
    trust = TrustStore.from_directory(directory / "ca")
    fetcher = HttpFetcher(timeout=10)
    results = {}
    for order in (("ocsp",), ("crl",)):
        for person_id in ("ivanova", "tolegenova"):
            data = f"{person_id} {order}".encode()
            p12 = (directory / person(directory, person_id)["sign_p12"]).read_bytes()
            verdict = verify_cms(
                sign_detached(data, p12, "Demo2026!"),
                data,
                trust=trust,
                at=datetime.now(UTC),
                revocation=RevocationSources(
                    ocsp_fetcher=fetcher.ocsp, crl_fetcher=fetcher.crl, live_order=order
                ),
                expect_iin=person(directory, person_id)["iin"],
            )
            results[(order[0], person_id)] = verdict.code
    assert results == {
        ("ocsp", "ivanova"): None,
        ("ocsp", "tolegenova"): "revoked",
        ("crl", "ivanova"): None,
        ("crl", "tolegenova"): "revoked",
    }
