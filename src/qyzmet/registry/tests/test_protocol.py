"""The signed SOAP messages (p.10 процесс 4: the request through the e-gov gateway)."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from qyzmet.demo.registry_simulator import tamper
from qyzmet.registry import protocol

IIN = "900101300007"
BIN = "150340000109"


def signed_request(pair, service=protocol.SERVICE_PERSON, identifier=IIN) -> bytes:
    envelope = protocol.build_request(service, identifier, sender_id="QYZMET_TEST")
    return protocol.sign_envelope(envelope, pair.key, pair.cert)


def test_sign_then_verify_round_trip_gives_back_the_request(keys):
    data = signed_request(keys.client)

    verified = protocol.verify_envelope(data, [keys.client.cert])
    request = protocol.parse_request(verified.body)

    assert verified.signer == keys.client.cert
    assert request.identifier == IIN
    assert request.info.service_id == protocol.SERVICE_PERSON
    assert request.info.sender_id == "QYZMET_TEST"
    assert abs(protocol.now_utc() - request.info.message_date) < dt.timedelta(minutes=1)


def test_signature_is_ws_security_exclusive_c14n_rsa_sha256_over_the_body(keys):
    root = etree.fromstring(signed_request(keys.client))
    ns = {"s": protocol.SOAP, "w": protocol.WSSE, "d": protocol.DS, "u": protocol.WSU}
    signature = root.find("s:Header/w:Security/d:Signature", ns)
    body = root.find("s:Body", ns)
    assert signature is not None
    assert root.find("s:Header/w:Security/w:BinarySecurityToken", ns) is not None
    assert (
        signature.find("d:SignedInfo/d:CanonicalizationMethod", ns).get("Algorithm")
        == "http://www.w3.org/2001/10/xml-exc-c14n#"
    )
    assert (
        signature.find("d:SignedInfo/d:SignatureMethod", ns).get("Algorithm")
        == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    )
    reference = signature.find("d:SignedInfo/d:Reference", ns)
    assert reference.get("URI") == "#" + body.get(f"{{{protocol.WSU}}}Id")


def test_organization_request_round_trip(keys):
    data = signed_request(keys.client, protocol.SERVICE_ORGANIZATION, BIN)
    request = protocol.parse_request(protocol.verify_envelope(data, [keys.client.cert]).body)
    assert (request.info.service_id, request.identifier) == (protocol.SERVICE_ORGANIZATION, BIN)


def test_one_changed_byte_in_the_body_fails_verification(keys):
    data = signed_request(keys.client)
    tampered = data.replace(IIN.encode(), b"900101300008")
    assert tampered != data and len(tampered) == len(data)

    with pytest.raises(protocol.SignatureError, match="Digest mismatch"):
        protocol.verify_envelope(tampered, [keys.client.cert])


def test_a_signature_by_another_key_fails_even_though_it_is_valid(keys):
    by_stranger = signed_request(keys.stranger)
    # The stranger's signature is internally sound...
    protocol.verify_envelope(by_stranger, [keys.stranger.cert])
    # ...but the receiver pins the client's certificate.
    with pytest.raises(protocol.SignatureError, match="not the expected peer"):
        protocol.verify_envelope(by_stranger, [keys.client.cert])


def test_swapping_in_the_pinned_certificate_does_not_help_a_stranger(keys):
    """The token claims to be the client, the signature is by the stranger's key."""
    import base64

    from cryptography.hazmat.primitives import serialization

    data = signed_request(keys.stranger)
    stranger_b64 = base64.b64encode(keys.stranger.cert.public_bytes(serialization.Encoding.DER))
    client_b64 = base64.b64encode(keys.client.cert.public_bytes(serialization.Encoding.DER))
    forged = data.replace(stranger_b64, client_b64)
    assert forged != data

    with pytest.raises(protocol.SignatureError, match="Signature verification failed"):
        protocol.verify_envelope(forged, [keys.client.cert])


def test_an_unsigned_message_is_refused(keys):
    unsigned = etree.tostring(
        protocol.build_request(protocol.SERVICE_PERSON, IIN, sender_id="X"), encoding="utf-8"
    )
    with pytest.raises(protocol.SignatureError, match="exactly one ds:Signature"):
        protocol.verify_envelope(unsigned, [keys.client.cert])


def test_signature_wrapping_a_new_body_around_the_signed_one_is_refused(keys):
    """Classic XML signature wrapping: keep the signed Body (moved into the header) and
    put a new Body with the same id where the receiver reads."""
    root = etree.fromstring(signed_request(keys.client))
    body = root.find(f"{{{protocol.SOAP}}}Body")
    header = root.find(f"{{{protocol.SOAP}}}Header")
    forged_body = etree.fromstring(etree.tostring(body))
    forged_body.find(f".//{{{protocol.GBD}}}iin").text = "850715450105"
    wrapper = etree.SubElement(header, "Wrapper")
    wrapper.append(body)  # moves the original Body
    root.append(forged_body)

    with pytest.raises(protocol.SignatureError):
        protocol.verify_envelope(etree.tostring(root), [keys.client.cert])


def test_a_signature_over_something_other_than_the_body_is_refused(keys):
    envelope = protocol.build_request(protocol.SERVICE_PERSON, IIN, sender_id="X")
    body = envelope.find(f"{{{protocol.SOAP}}}Body")
    body.set(f"{{{protocol.WSU}}}Id", "the-body")
    data = protocol.sign_envelope(envelope, keys.client.key, keys.client.cert)
    root = etree.fromstring(data)
    root.find(f"{{{protocol.SOAP}}}Body").set(f"{{{protocol.WSU}}}Id", "another-id")

    with pytest.raises(protocol.SignatureError, match="does not cover the Body"):
        protocol.verify_envelope(etree.tostring(root), [keys.client.cert])


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all",
        b"<a>unclosed",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
        b"<Envelope/>",
    ],
)
def test_malformed_input_is_a_protocol_error_not_a_crash(keys, data):
    with pytest.raises(protocol.ProtocolError):
        protocol.verify_envelope(data, [keys.client.cert])


def test_response_round_trip_with_a_person(keys):
    request = protocol.parse_request(
        protocol.verify_envelope(signed_request(keys.client), [keys.client.cert]).body
    )
    person = {
        "iin": IIN,
        "surname": "Ахметов",
        "name": "Ерлан",
        "patronymic": "Болатұлы",
        "birthDate": "1990-01-01",
        "address": "г. Алматы, пр. Достык, 85",
    }
    envelope = protocol.build_response(
        request.info, status_code=protocol.STATUS_OK, status_message="ok", record=person
    )
    data = protocol.sign_envelope(envelope, keys.simulator.key, keys.simulator.cert)

    response = protocol.parse_response(protocol.verify_envelope(data, [keys.simulator.cert]).body)

    assert response.correlation_id == request.info.message_id
    assert response.status_code == protocol.STATUS_OK
    assert response.record == person


def test_not_found_response_has_a_status_and_no_record(keys):
    info = protocol.RequestInfo("m-1", protocol.SERVICE_ORGANIZATION, protocol.now_utc(), "X")
    envelope = protocol.build_response(
        info, status_code=protocol.STATUS_NOT_FOUND, status_message="нет данных"
    )
    data = protocol.sign_envelope(envelope, keys.simulator.key, keys.simulator.cert)

    response = protocol.parse_response(protocol.verify_envelope(data, [keys.simulator.cert]).body)

    assert response.status_code == protocol.STATUS_NOT_FOUND
    assert response.record is None


def test_the_simulators_tamper_mode_breaks_the_signature(keys):
    info = protocol.RequestInfo("m-2", protocol.SERVICE_PERSON, protocol.now_utc(), "X")
    envelope = protocol.build_response(
        info, status_code=protocol.STATUS_NOT_FOUND, status_message="нет"
    )
    data = protocol.sign_envelope(envelope, keys.simulator.key, keys.simulator.cert)
    protocol.verify_envelope(data, [keys.simulator.cert])

    with pytest.raises(protocol.SignatureError):
        protocol.verify_envelope(tamper(data), [keys.simulator.cert])


def test_fault_is_recognised_with_its_kind():
    fault = protocol.parse_fault(protocol.build_fault("soap:Client", "bad", "SECURITY_ERROR"))
    assert fault.is_client_fault and fault.detail_code == "SECURITY_ERROR"
    assert not protocol.parse_fault(protocol.build_fault("soap:Server", "down")).is_client_fault
    assert protocol.parse_fault(b"<html>502</html>") is None
