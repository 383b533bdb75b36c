"""The e-gov gateway's (ШЭП) synchronous channel: signed SOAP 1.1 messages.

Shape, in the style of the gateway's ``SyncChannel`` (``SendMessage``)::

    soap:Envelope
      soap:Header
        wsse:Security (mustUnderstand)
          wsse:BinarySecurityToken (X.509 v3, base64)   ← the signer's certificate
          ds:Signature                                  ← exc-C14N, RSA-SHA256, one Reference
            ds:KeyInfo/wsse:SecurityTokenReference → #token
      soap:Body wsu:Id="id-…"                           ← the signed part
        sync:SendMessage/request
          requestInfo  {messageId, serviceId, messageDate, sender {senderId}}
          requestData/data/gbd:PersonQuery {iin} | gbd:OrganizationQuery {bin}
        sync:SendMessageResponse/response
          responseInfo {messageId, correlationId, responseDate, status {code, message}}
          responseData/data/gbd:Person {…} | gbd:Organization {…}

Everything that matters (ids, dates, query, answer) is inside the Body, so the one signed
reference covers it; the receiver reads the data only from the bytes that signxml has
verified (``VerifyResult.signed_xml``), never from the unsigned document around them.
Status codes: ``SCSS001`` is the gateway's "processed successfully"; the "not found" code
``GBD_NOT_FOUND`` is ours (the simulator's), documented here.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import SignXMLException
from signxml.verifier import SignatureConfiguration

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
SYNC = "http://bip.bee.kz/SyncChannel/v10/Types"
GBD = "urn:qyzmet:registry:gbd:1"
_WSS = "http://docs.oasis-open.org/wss/2004/01/"
X509_TOKEN = _WSS + "oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_ENCODING = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0

SERVICE_PERSON = "GBDFL_PERSON_BY_IIN"
SERVICE_ORGANIZATION = "GBDUL_ORG_BY_BIN"
SERVICES = (SERVICE_PERSON, SERVICE_ORGANIZATION)

STATUS_OK = "SCSS001"
STATUS_NOT_FOUND = "GBD_NOT_FOUND"

MAX_MESSAGE_BYTES = 1024 * 1024

_NSMAP_ENVELOPE = {"soap": SOAP, "wsu": WSU}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class ProtocolError(Exception):
    """A message that is not a well-formed gateway message."""


class SignatureError(Exception):
    """A message whose signature is missing, invalid, misplaced or by an untrusted signer."""


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def format_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("a message date must carry its time zone")
    return parsed


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class RequestInfo:
    message_id: str
    service_id: str
    message_date: dt.datetime
    sender_id: str


@dataclass(frozen=True)
class Request:
    info: RequestInfo
    identifier: str  # the IIN (GBD FL) or BIN (GBD UL) asked for


@dataclass(frozen=True)
class Response:
    message_id: str
    correlation_id: str
    response_date: dt.datetime
    status_code: str
    status_message: str
    record: dict | None = None  # person or organization fields, see PERSON_FIELDS / ORG_FIELDS


@dataclass(frozen=True)
class Fault:
    code: str  # "soap:Client" (the caller's fault: do not retry) or "soap:Server"
    string: str
    detail_code: str = ""

    @property
    def is_client_fault(self) -> bool:
        return self.code.endswith("Client")


PERSON_FIELDS = ("iin", "surname", "name", "patronymic", "birthDate", "address")
ORG_FIELDS = ("bin", "name", "registrationDate", "headIin", "headName", "address")


def _envelope() -> tuple[etree._Element, etree._Element, etree._Element]:
    envelope = etree.Element(_q(SOAP, "Envelope"), nsmap=_NSMAP_ENVELOPE)
    header = etree.SubElement(envelope, _q(SOAP, "Header"))
    body = etree.SubElement(envelope, _q(SOAP, "Body"))
    body.set(_q(WSU, "Id"), f"id-{uuid.uuid4().hex}")
    return envelope, header, body


def build_request(
    service_id: str,
    identifier: str,
    *,
    sender_id: str,
    message_id: str | None = None,
    message_date: dt.datetime | None = None,
) -> etree._Element:
    """An unsigned ``SendMessage`` envelope asking GBD FL (person) or GBD UL (organization)."""
    if service_id not in SERVICES:
        raise ProtocolError(f"unknown service {service_id!r}")
    envelope, _header, body = _envelope()
    send = etree.SubElement(body, _q(SYNC, "SendMessage"), nsmap={"sync": SYNC})
    request = _sub(send, "request")
    info = _sub(request, "requestInfo")
    _sub(info, "messageId", message_id or str(uuid.uuid4()))
    _sub(info, "serviceId", service_id)
    _sub(info, "messageDate", format_datetime(message_date or now_utc()))
    sender = _sub(info, "sender")
    _sub(sender, "senderId", sender_id)
    data = _sub(_sub(request, "requestData"), "data")
    if service_id == SERVICE_PERSON:
        query = etree.SubElement(data, _q(GBD, "PersonQuery"), nsmap={"gbd": GBD})
        _sub(query, _q(GBD, "iin"), identifier)
    else:
        query = etree.SubElement(data, _q(GBD, "OrganizationQuery"), nsmap={"gbd": GBD})
        _sub(query, _q(GBD, "bin"), identifier)
    return envelope


def build_response(
    request: RequestInfo,
    *,
    status_code: str,
    status_message: str,
    record: dict | None = None,
    message_id: str | None = None,
    response_date: dt.datetime | None = None,
) -> etree._Element:
    """An unsigned ``SendMessageResponse`` answering ``request`` (correlationId = its messageId)."""
    envelope, _header, body = _envelope()
    send = etree.SubElement(body, _q(SYNC, "SendMessageResponse"), nsmap={"sync": SYNC})
    response = _sub(send, "response")
    info = _sub(response, "responseInfo")
    _sub(info, "messageId", message_id or str(uuid.uuid4()))
    _sub(info, "correlationId", request.message_id)
    _sub(info, "responseDate", format_datetime(response_date or now_utc()))
    status = _sub(info, "status")
    _sub(status, "code", status_code)
    _sub(status, "message", status_message)
    data = _sub(_sub(response, "responseData"), "data")
    if record is not None:
        if request.service_id == SERVICE_PERSON:
            element, fields = _q(GBD, "Person"), PERSON_FIELDS
        else:
            element, fields = _q(GBD, "Organization"), ORG_FIELDS
        node = etree.SubElement(data, element, nsmap={"gbd": GBD})
        for name in fields:
            _sub(node, _q(GBD, name), str(record.get(name) or ""))
    return envelope


def build_fault(code: str, string: str, detail_code: str = "") -> bytes:
    """A SOAP 1.1 Fault (unsigned: a fault carries no data to trust)."""
    envelope = etree.Element(_q(SOAP, "Envelope"), nsmap={"soap": SOAP})
    body = etree.SubElement(envelope, _q(SOAP, "Body"))
    fault = etree.SubElement(body, _q(SOAP, "Fault"))
    _sub(fault, "faultcode", code)
    _sub(fault, "faultstring", string)
    if detail_code:
        detail = _sub(fault, "detail")
        _sub(detail, _q(GBD, "code"), detail_code)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


# --------------------------------------------------------------------------- signing


def sign_envelope(
    envelope: etree._Element, key: rsa.RSAPrivateKey, cert: x509.Certificate
) -> bytes:
    """Sign the Body with XMLDSig inside a WS-Security header; returns the bytes to send."""
    header = envelope.find(_q(SOAP, "Header"))
    body = envelope.find(_q(SOAP, "Body"))
    body_id = body.get(_q(WSU, "Id"))
    token_id = f"X509-{uuid.uuid4().hex}"

    security = etree.SubElement(header, _q(WSSE, "Security"), nsmap={"wsse": WSSE})
    security.set(_q(SOAP, "mustUnderstand"), "1")
    token = etree.SubElement(security, _q(WSSE, "BinarySecurityToken"))
    token.set("EncodingType", BASE64_ENCODING)
    token.set("ValueType", X509_TOKEN)
    token.set(_q(WSU, "Id"), token_id)
    token.text = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()

    key_info = etree.Element(_q(DS, "KeyInfo"), nsmap={"ds": DS})
    reference = etree.SubElement(
        etree.SubElement(key_info, _q(WSSE, "SecurityTokenReference"), nsmap={"wsse": WSSE}),
        _q(WSSE, "Reference"),
    )
    reference.set("URI", f"#{token_id}")
    reference.set("ValueType", X509_TOKEN)

    signer = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=EXC_C14N,
    )
    signature = signer.sign(envelope, key=key, reference_uri=[f"#{body_id}"], key_info=key_info)
    security.append(signature)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_MESSAGE_BYTES:
        raise ProtocolError("message too large")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProtocolError(f"not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ProtocolError("DTDs are not allowed")
    if root.tag != _q(SOAP, "Envelope"):
        raise ProtocolError("not a SOAP 1.1 envelope")
    return root


def _only(parent: etree._Element, path: str, what: str) -> etree._Element:
    found = parent.findall(path, namespaces={"soap": SOAP, "wsse": WSSE, "ds": DS})
    if len(found) != 1:
        raise SignatureError(f"expected exactly one {what}, found {len(found)}")
    return found[0]


def _signer_certificate(security: etree._Element, signature: etree._Element) -> x509.Certificate:
    reference = _only(
        signature, "ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference", "token reference"
    )
    uri = reference.get("URI", "")
    tokens = [
        token
        for token in security.findall(_q(WSSE, "BinarySecurityToken"))
        if uri == f"#{token.get(_q(WSU, 'Id'))}"
    ]
    if len(tokens) != 1 or tokens[0].get("ValueType") != X509_TOKEN:
        raise SignatureError("the signature does not reference one X.509 security token")
    try:
        return x509.load_der_x509_certificate(base64.b64decode(tokens[0].text or ""))
    except ValueError as exc:
        raise SignatureError("the security token is not a certificate") from exc


@dataclass(frozen=True)
class VerifiedMessage:
    body: etree._Element  # the Body as signed (re-parsed from the verified canonical bytes)
    signer: x509.Certificate
    raw: bytes = field(repr=False)


def verify_envelope(data: bytes, trusted: list[x509.Certificate]) -> VerifiedMessage:
    """Verify a signed envelope and return its Body as signed.

    Checks, in order: one Signature and only in ``Header/wsse:Security``; exactly one
    Reference and it points at the Body's ``wsu:Id`` (and that id is unique in the
    message, against wrapping attacks); exclusive C14N, RSA-SHA256 and SHA-256 only; the
    signer's certificate (the referenced BinarySecurityToken) is one of ``trusted``
    (pinning, compared by DER bytes); then the signature and digest themselves (signxml).
    """
    root = parse_xml(data)
    if len(root.findall(f".//{{{DS}}}Signature")) != 1:
        raise SignatureError("expected exactly one ds:Signature in the message")
    header = _only(root, "soap:Header", "SOAP Header")
    body = _only(root, "soap:Body", "SOAP Body")
    security = _only(header, "wsse:Security", "wsse:Security header")
    signature = _only(security, "ds:Signature", "signature in wsse:Security")

    body_id = body.get(_q(WSU, "Id"))
    if not body_id:
        raise SignatureError("the Body carries no wsu:Id")
    same_id = root.xpath(
        "//@*[local-name()='Id' or local-name()='ID' or local-name()='id'][.=$id]", id=body_id
    )
    if len(same_id) != 1:
        raise SignatureError("the Body's id is not unique")
    references = signature.findall("ds:SignedInfo/ds:Reference", namespaces={"ds": DS})
    if len(references) != 1 or references[0].get("URI") != f"#{body_id}":
        raise SignatureError("the signature does not cover the Body")
    c14n = signature.find("ds:SignedInfo/ds:CanonicalizationMethod", namespaces={"ds": DS})
    transforms = references[0].findall("ds:Transforms/ds:Transform", namespaces={"ds": DS})
    if (
        c14n is None
        or c14n.get("Algorithm") != EXC_C14N.value
        or [t.get("Algorithm") for t in transforms] != [EXC_C14N.value]
    ):
        raise SignatureError("only exclusive C14N is accepted")

    signer = _signer_certificate(security, signature)
    signer_der = signer.public_bytes(serialization.Encoding.DER)
    if not any(signer_der == cert.public_bytes(serialization.Encoding.DER) for cert in trusted):
        raise SignatureError("the signer's certificate is not the expected peer's")

    config = SignatureConfiguration(
        location=f"./{{{SOAP}}}Header/{{{WSSE}}}Security/",
        expect_references=1,
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
    )
    try:
        result = XMLVerifier().verify(root, x509_cert=signer, expect_config=config)
    except (SignXMLException, etree.LxmlError, ValueError, TypeError) as exc:
        # Whatever signxml trips over (a schema-invalid Signature, an unknown algorithm,
        # bad base64) the verdict is the same: not a valid signature.
        raise SignatureError(f"signature invalid: {type(exc).__name__}: {exc}") from exc
    signed_body = result.signed_xml
    if signed_body is None or signed_body.tag != _q(SOAP, "Body"):
        raise SignatureError("the signed content is not the Body")
    return VerifiedMessage(body=signed_body, signer=signer, raw=data)


# --------------------------------------------------------------------------- parsing


def _text(parent: etree._Element, path: str, *, required: bool = True) -> str:
    element = parent.find(path, namespaces={"sync": SYNC, "gbd": GBD})
    if element is None:
        if required:
            raise ProtocolError(f"missing element {path}")
        return ""
    return (element.text or "").strip()


def parse_request(body: etree._Element) -> Request:
    request = body.find(f"{{{SYNC}}}SendMessage/request")
    if request is None:
        raise ProtocolError("not a SendMessage request")
    try:
        info = RequestInfo(
            message_id=_text(request, "requestInfo/messageId"),
            service_id=_text(request, "requestInfo/serviceId"),
            message_date=parse_datetime(_text(request, "requestInfo/messageDate")),
            sender_id=_text(request, "requestInfo/sender/senderId"),
        )
    except ValueError as exc:
        raise ProtocolError(f"bad requestInfo: {exc}") from exc
    if info.service_id == SERVICE_PERSON:
        identifier = _text(request, "requestData/data/gbd:PersonQuery/gbd:iin")
    elif info.service_id == SERVICE_ORGANIZATION:
        identifier = _text(request, "requestData/data/gbd:OrganizationQuery/gbd:bin")
    else:
        raise ProtocolError(f"unknown service {info.service_id!r}")
    return Request(info=info, identifier=identifier)


def parse_response(body: etree._Element) -> Response:
    response = body.find(f"{{{SYNC}}}SendMessageResponse/response")
    if response is None:
        raise ProtocolError("not a SendMessageResponse")
    data = response.find("responseData/data")
    record = None
    if data is not None:
        for tag, fields in (("Person", PERSON_FIELDS), ("Organization", ORG_FIELDS)):
            node = data.find(_q(GBD, tag))
            if node is not None:
                record = {name: _text(node, f"gbd:{name}", required=False) for name in fields}
    try:
        return Response(
            message_id=_text(response, "responseInfo/messageId"),
            correlation_id=_text(response, "responseInfo/correlationId"),
            response_date=parse_datetime(_text(response, "responseInfo/responseDate")),
            status_code=_text(response, "responseInfo/status/code"),
            status_message=_text(response, "responseInfo/status/message", required=False),
            record=record,
        )
    except ValueError as exc:
        raise ProtocolError(f"bad responseInfo: {exc}") from exc


def parse_fault(data: bytes) -> Fault | None:
    """The Fault in ``data``, or None when it is not a SOAP Fault."""
    try:
        root = parse_xml(data)
    except ProtocolError:
        return None
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    if fault is None:
        return None
    return Fault(
        code=(fault.findtext("faultcode") or "").strip(),
        string=(fault.findtext("faultstring") or "").strip(),
        detail_code=(fault.findtext(f"detail/{{{GBD}}}code") or "").strip(),
    )
