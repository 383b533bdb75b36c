"""The gateway client against the registry simulator running as a separate process.

Regulation p.10 (через услугодателя): процесс 4 (request through the e-gov gateway),
условие 2 (the applicant's data checked in GBD FL/UL), процесс 5 (no data → a message).
Each failure ends as a Refused with a code; every exchange is logged with its XML.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction

from qyzmet.core.refusals import Refused, message_for
from qyzmet.demo.registry_simulator import load_seed
from qyzmet.registry import conf, protocol
from qyzmet.registry.breaker import CLOSED, OPEN, CircuitBreaker
from qyzmet.registry.models import GatewayExchange, Outcome

from .conftest import PERSON_IIN, http_request, start_simulator, stop_simulator

pytestmark = pytest.mark.django_db(transaction=True)

SEED = load_seed(conf.simulator_data_path())
ORG_BIN = "070840007503"


def _valid_absent_iin() -> str:
    from qyzmet.core.identifiers import check_digit

    for serial in range(1000, 9999):
        candidate = f"7001013{serial}"
        digit = check_digit(candidate)
        full = f"{candidate}{digit}" if digit is not None else ""
        if full and full not in SEED.persons:
            return full
    raise AssertionError("no free IIN")


def only_exchange() -> GatewayExchange:
    exchanges = list(GatewayExchange.objects.all())
    assert len(exchanges) == 1, exchanges
    return exchanges[0]


def test_found_person_comes_back_with_the_seed_data(make_client, keys):
    record = make_client().lookup_person(PERSON_IIN)

    seed = SEED.persons[PERSON_IIN]
    assert record.iin == PERSON_IIN
    assert (record.surname, record.name, record.patronymic) == (
        seed["surname"],
        seed["name"],
        seed["patronymic"],
    )
    assert record.full_name == "Нұрланов Әлихан Серікұлы"  # the demo key holder nurlanov
    assert record.birth_date == dt.date(1985, 7, 15)
    assert record.address == seed["address"]


def test_found_person_exchange_is_logged_with_both_signed_messages(make_client, keys):
    record = make_client().lookup_person(PERSON_IIN)

    exchange = only_exchange()
    assert str(exchange.message_id) == record.message_id
    assert exchange.outcome == Outcome.OK
    assert exchange.service_id == protocol.SERVICE_PERSON
    assert exchange.subject_identifier == PERSON_IIN
    assert exchange.attempts == 1 and exchange.http_status == 200
    # The request as sent verifies with our key; the response as received with the peer's.
    sent = protocol.verify_envelope(exchange.request_xml.encode(), [keys.client.cert])
    assert protocol.parse_request(sent.body).info.message_id == record.message_id
    received = protocol.verify_envelope(exchange.response_xml.encode(), [keys.simulator.cert])
    assert protocol.parse_response(received.body).correlation_id == record.message_id


def test_found_organization(make_client):
    record = make_client().lookup_organization(ORG_BIN)

    seed = SEED.organizations[ORG_BIN]
    assert record.bin == ORG_BIN
    assert record.name == seed["name"] == "ГУ «Управление культуры города Алматы» (DEMO)"
    assert record.registration_date == dt.date.fromisoformat(seed["registrationDate"])
    assert record.head_iin == seed["headIin"] and record.head_name == seed["headName"]
    assert record.address.startswith("г. Алматы")
    assert only_exchange().service_id == protocol.SERVICE_ORGANIZATION


def test_not_found_is_none_and_logged_not_a_failure(make_client):
    absent = _valid_absent_iin()

    assert make_client().lookup_person(absent) is None

    exchange = only_exchange()
    assert exchange.outcome == Outcome.NOT_FOUND
    assert exchange.error_code == ""
    assert protocol.STATUS_NOT_FOUND in exchange.response_xml
    # процесс 5: the desk shows this message in three languages.
    message = message_for("registry_not_found")
    assert "ГБД ФЛ/ГБД ЮЛ" in message.ru and "МДҚ" in message.kk and "GBD FL/UL" in message.en


def test_invalid_iin_is_refused_before_anything_is_sent(make_client, simulator):
    before = simulator.counters()["requests"]

    with pytest.raises(Refused) as refused:
        make_client().lookup_person("900101300008")

    assert refused.value.code == "invalid_iin"
    assert GatewayExchange.objects.count() == 0
    assert simulator.counters()["requests"] == before


def test_slow_gateway_times_out_retries_then_refuses_and_the_breaker_opens(make_client, simulator):
    simulator.control(delay_ms=1500)
    breaker = CircuitBreaker(threshold=3, reset_seconds=0.5)
    client = make_client(timeout=(1.0, 0.3), retries=2, breaker=breaker)
    before = simulator.counters()["requests"]

    with pytest.raises(Refused) as refused:
        client.lookup_person(PERSON_IIN)

    assert refused.value.code == "gateway_unavailable"
    exchange = only_exchange()
    assert exchange.outcome == Outcome.TIMEOUT
    assert exchange.attempts == 3
    assert exchange.response_xml == ""
    assert simulator.counters()["requests"] - before == 3
    assert breaker.state == OPEN  # 3 consecutive failed attempts

    # While open, a lookup is refused at once and nothing reaches the gateway.
    sent_so_far = simulator.counters()["requests"]
    with pytest.raises(Refused) as refused:
        client.lookup_person(PERSON_IIN)
    assert refused.value.code == "gateway_unavailable"
    assert GatewayExchange.objects.latest("started_at").outcome == Outcome.CIRCUIT_OPEN
    assert GatewayExchange.objects.latest("started_at").attempts == 0
    assert simulator.counters()["requests"] == sent_so_far

    # After the cool-down one trial goes through; the gateway is fast again: closed.
    simulator.control(delay_ms=0)
    threading.Event().wait(0.6)
    assert client.lookup_person(PERSON_IIN).iin == PERSON_IIN
    assert breaker.state == CLOSED


def test_failing_share_is_absorbed_by_bounded_retries(make_client, simulator):
    simulator.control(fail_rate=0.5, seed=7)
    client = make_client(retries=4)
    outcomes = []
    for _ in range(20):
        try:
            outcomes.append(client.lookup_person(PERSON_IIN) is not None)
        except Refused as refused:
            assert refused.code == "gateway_unavailable"
            outcomes.append(False)

    exchanges = list(GatewayExchange.objects.all())
    assert len(exchanges) == 20
    assert all(1 <= exchange.attempts <= 5 for exchange in exchanges)
    retried_and_succeeded = [e for e in exchanges if e.outcome == Outcome.OK and e.attempts > 1]
    assert retried_and_succeeded, "with half the requests failing some lookups must need retries"
    assert sum(outcomes) >= 15


def test_always_failing_gateway_is_tried_exactly_retries_plus_one_times(make_client, simulator):
    simulator.control(fail_rate=1.0)
    before = simulator.counters()["requests"]

    with pytest.raises(Refused) as refused:
        make_client(retries=3).lookup_organization(ORG_BIN)

    assert refused.value.code == "gateway_unavailable"
    exchange = only_exchange()
    assert (exchange.outcome, exchange.attempts, exchange.http_status) == (Outcome.ERROR, 4, 500)
    assert "SERVICE_UNAVAILABLE" in exchange.error_detail
    assert simulator.counters()["requests"] - before == 4


def test_bad_signature_in_the_response_is_refused_and_not_retried(make_client, simulator):
    simulator.control(tamper_responses=True)

    with pytest.raises(Refused) as refused:
        make_client().lookup_person(PERSON_IIN)

    assert refused.value.code == "gateway_bad_signature"
    exchange = only_exchange()
    assert exchange.outcome == Outcome.BAD_SIGNATURE
    assert exchange.attempts == 1
    assert "Digest mismatch" in exchange.error_detail
    assert exchange.response_xml  # the evidence of the bad answer is kept


def test_a_response_signed_by_an_unpinned_key_is_a_bad_signature(make_client, keys):
    client = make_client(peer_cert=keys.stranger.cert)

    with pytest.raises(Refused) as refused:
        client.lookup_person(PERSON_IIN)

    assert refused.value.code == "gateway_bad_signature"
    assert "not the expected peer" in only_exchange().error_detail


def post_raw(simulator, data: bytes) -> tuple[int, protocol.Fault | None]:
    status, body = http_request("POST", simulator.url, data)
    return status, protocol.parse_fault(body)


def test_the_simulator_refuses_an_unsigned_request(simulator):
    unsigned = protocol.etree.tostring(
        protocol.build_request(protocol.SERVICE_PERSON, PERSON_IIN, sender_id="X")
    )
    status, fault = post_raw(simulator, unsigned)
    assert status == 500
    assert fault.is_client_fault and fault.detail_code == "SECURITY_ERROR"


def test_the_simulator_refuses_a_tampered_request(simulator, keys):
    envelope = protocol.build_request(protocol.SERVICE_PERSON, PERSON_IIN, sender_id="X")
    signed = protocol.sign_envelope(envelope, keys.client.key, keys.client.cert)
    status, fault = post_raw(simulator, signed.replace(PERSON_IIN.encode(), b"900101300007"))
    assert status == 500
    assert fault.is_client_fault and "Digest mismatch" in fault.string


def test_the_simulator_answers_a_properly_signed_raw_request(simulator, keys):
    envelope = protocol.build_request(protocol.SERVICE_PERSON, PERSON_IIN, sender_id="X")
    signed = protocol.sign_envelope(envelope, keys.client.key, keys.client.cert)
    status, body = http_request("POST", simulator.url, signed)
    assert status == 200
    answer = protocol.parse_response(protocol.verify_envelope(body, [keys.simulator.cert]).body)
    assert answer.record["iin"] == PERSON_IIN


def test_a_client_with_an_unpinned_key_is_rejected_by_the_simulator(make_client, keys):
    client = make_client(key=keys.stranger.key, cert=keys.stranger.cert)

    with pytest.raises(Refused) as refused:
        client.lookup_person(PERSON_IIN)

    assert refused.value.code == "gateway_rejected"
    exchange = only_exchange()
    assert exchange.outcome == Outcome.REJECTED and exchange.attempts == 1
    assert "SECURITY_ERROR" in exchange.error_detail


def test_control_endpoint_validates_its_input(simulator):
    for bad in ({"fail_rate": 3}, {"delay_ms": -1}, {"colour": "red"}, [1, 2]):
        status, body = http_request("POST", f"{simulator.base}/control", json.dumps(bad).encode())
        assert status == 400, body
    status, _ = http_request("POST", f"{simulator.base}/control", b"{not json")
    assert status == 400
    assert simulator.control()["behaviour"]["fail_rate"] == 0.0


def test_simulator_started_slow_and_tampering_from_the_command_line(keys, make_client):
    extra = start_simulator(keys, "--tamper-responses", "--delay-ms", "10", "--seed", "1")
    try:
        client = make_client(url=extra.url)
        with pytest.raises(Refused) as refused:
            client.lookup_person(PERSON_IIN)
        assert refused.value.code == "gateway_bad_signature"
        assert extra.control()["behaviour"] == {
            "delay_ms": 10,
            "fail_rate": 0.0,
            "tamper_responses": True,
        }
    finally:
        stop_simulator(extra)


def test_a_simulator_that_cannot_start_fails_with_its_own_words(keys):
    """Each attempt's output reaches the error; no attempt is left running or waited on."""
    with pytest.raises(RuntimeError) as failed:
        start_simulator(keys, "--fail-rate", "2")
    message = str(failed.value)
    assert message.startswith("registry simulator did not start")
    assert message.count("exited with 1") == 3
    assert "fail_rate" in message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _GarbageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "html"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.mode == "hangup":
            self.close_connection = True
            return
        body = {"html": b"<html>oops</html>", "404": b"no such path"}[self.mode]
        self.send_response(404 if self.mode == "404" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def garbage_server():
    servers = []

    def start(mode: str) -> str:
        handler = type("Handler", (_GarbageHandler,), {"mode": mode})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/bip-sync/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("setup", "expected_code"),
    [
        ("closed_port", "gateway_unavailable"),
        ("hangup", "gateway_unavailable"),
        ("html", "gateway_bad_response"),
        ("404", "gateway_rejected"),
        ("slow", "gateway_unavailable"),
        ("failing", "gateway_unavailable"),
        ("tamper", "gateway_bad_signature"),
    ],
)
def test_no_application_lost_every_failure_is_a_refusal_with_a_code(
    setup, expected_code, make_client, simulator, garbage_server
):
    """Whatever goes wrong on the wire, the desk gets a Refused with a code (and can retry
    or enter the data by hand), never a traceback; and the attempt is on record."""
    overrides = {"retries": 1}
    if setup == "closed_port":
        overrides["url"] = f"http://127.0.0.1:{_closed_port()}/bip-sync/"
    elif setup in ("hangup", "html", "404"):
        overrides["url"] = garbage_server(setup)
    elif setup == "slow":
        simulator.control(delay_ms=800)
        overrides["timeout"] = (1.0, 0.2)
    elif setup == "failing":
        simulator.control(fail_rate=1.0)
    elif setup == "tamper":
        simulator.control(tamper_responses=True)

    with pytest.raises(Refused) as refused:
        make_client(**overrides).lookup_person(PERSON_IIN)

    assert refused.value.code == expected_code
    assert refused.value.message("kk") and refused.value.message("en")
    exchange = only_exchange()
    assert exchange.error_code == expected_code
    assert exchange.request_xml.startswith("<?xml")


def new_application(staff, key: str):
    from qyzmet.cases.models import ApplicantKind, Application, Channel
    from qyzmet.catalog.models import ServiceVersion

    return Application.objects.create(
        service_version=ServiceVersion.objects.first(),
        channel=Channel.OFFICE,
        applicant_kind=ApplicantKind.INDIVIDUAL,
        applicant_iin=PERSON_IIN,
        applicant_name="Сәрсенбаева Әйгерім Қайратқызы",
        form_data={},
        created_by=staff["clerk"],
        idempotency_key=key,
    )


def test_a_lookup_for_a_case_in_a_committed_transaction_is_kept_with_the_case(
    make_client, catalog, staff
):
    with transaction.atomic():
        application = new_application(staff, "kept")
        record = make_client().lookup_person(
            PERSON_IIN, application=application, actor=staff["clerk"]
        )

    exchange = GatewayExchange.objects.get(message_id=record.message_id)
    assert exchange.application == application
    assert exchange.actor == staff["clerk"] and exchange.actor_label == "clerk"
    assert list(application.gateway_exchanges.all()) == [exchange]


def test_a_lookup_inside_a_transaction_that_rolls_back(make_client, catalog, staff):
    """The exchange log is evidence of a query to a state database. On PostgreSQL it is
    written in its own (autonomous) transaction and survives the caller's rollback (the
    case it was for is gone, so the link is too; who asked stays in actor_label); on
    SQLite (one writer) it shares the caller's transaction (see actions.py)."""
    client = make_client()

    class RegistrationFailed(Exception):
        pass

    with pytest.raises(RegistrationFailed), transaction.atomic():
        application = new_application(staff, "rolled-back")
        record = client.lookup_person(PERSON_IIN, application=application, actor=staff["clerk"])
        raise RegistrationFailed

    survivor = GatewayExchange.objects.filter(message_id=record.message_id).first()
    if connection.vendor == "postgresql":
        assert survivor is not None
        assert survivor.outcome == Outcome.OK and survivor.request_xml
        assert survivor.application is None
        assert survivor.actor_label == "clerk"
    else:
        assert connection.vendor == "sqlite"
        assert survivor is None


def test_concurrent_lookups_from_several_threads(make_client):
    client = make_client()
    results: list = []
    errors: list = []

    def worker() -> None:
        try:
            for _ in range(5):
                results.append(client.lookup_organization(ORG_BIN).bin)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            client.close()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results == [ORG_BIN] * 20
    assert GatewayExchange.objects.count() == 20
