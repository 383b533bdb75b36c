"""A small PKI in the NCA RK certificate profile for the results tests (EDS.md): one CA and
the provider head's signing key (first head of the provider, with IIN and BIN), generated at
run time with ``cryptography`` (no key is committed); and two ways to sign the prepared bytes
as the head's browser does: a detached CMS written in node-forge's attribute order
(contentType, messageDigest, signingTime) in Python, and node-forge itself under Node.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import algos, cms, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[4]
NODE_FORGE = REPO / "node_modules" / "node-forge"

HEAD_IIN = "780303300013"
PROVIDER_BIN = "150340000109"


@dataclass
class KeyPair:
    key: rsa.RSAPrivateKey
    certificate: cx509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@dataclass
class Pki:
    ca: KeyPair
    head: KeyPair
    stranger_ca: KeyPair
    stranger: KeyPair

    def install(self, folder: Path) -> Path:
        anchors = Path(folder) / "anchors"
        anchors.mkdir(parents=True, exist_ok=True)
        (anchors / "results-fixture-ca.pem").write_bytes(self.ca.pem)
        return anchors


def _usage(*, ca: bool) -> cx509.KeyUsage:
    return cx509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _ca(common_name: str, now: datetime) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=400))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


def _head(ca: KeyPair, now: datetime) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COMMON_NAME, "ЖҰМАБАЕВ ЕРЛАН"),
            cx509.NameAttribute(NameOID.SURNAME, "ЖҰМАБАЕВ"),
            cx509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{HEAD_IIN}"),
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            cx509.NameAttribute(NameOID.GIVEN_NAME, "МАРАТҰЛЫ"),
            cx509.NameAttribute(
                NameOID.ORGANIZATION_NAME, "КГУ «Управление культуры города Алматы»"
            ),
            cx509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{PROVIDER_BIN}"),
        ]
    )
    usages = [
        cx509.ObjectIdentifier("1.3.6.1.5.5.7.3.4"),  # signing key
        cx509.ObjectIdentifier("1.2.398.3.3.4.1.2"),  # legal entity
        cx509.ObjectIdentifier("1.2.398.3.3.4.1.2.1"),  # first head
    ]
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(cx509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


def build_pki() -> Pki:
    now = datetime.now(UTC).replace(microsecond=0)
    ca = _ca("QYZMET RESULTS FIXTURE CA", now)
    stranger_ca = _ca("SOMEONE ELSES CA", now)
    return Pki(
        ca=ca, head=_head(ca, now), stranger_ca=stranger_ca, stranger=_head(stranger_ca, now)
    )


def sign_detached(data: bytes, signer: KeyPair) -> bytes:
    """A detached CMS over ``data`` with signed attributes in node-forge's order (content
    type, message digest, signing time), signed over exactly that encoding."""
    certificate = x509.Certificate.load(signer.der)
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]}),
        cms.CMSAttribute(
            {"type": "signing_time", "values": [cms.Time({"utc_time": datetime.now(UTC)})]}
        ),
    ]
    body = b"".join(attribute.dump() for attribute in attributes)
    signed_attrs_der = b"\x31" + _length(len(body)) + body
    signature = signer.key.sign(signed_attrs_der, padding.PKCS1v15(), hashes.SHA256())
    signed_attrs = cms.CMSAttributes.load(signed_attrs_der)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": certificate.issuer, "serial_number": certificate.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data"},
            "certificates": [certificate],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    encoded = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


NODE_SIGNER = r"""
const forge = require(process.argv[1]);
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const key = forge.pki.privateKeyFromPem(input.key);
const certificate = forge.pki.certificateFromPem(input.certificate);
const p7 = forge.pkcs7.createSignedData();
p7.content = forge.util.createBuffer(forge.util.decode64(input.data));
p7.addCertificate(certificate);
p7.addSigner({
  key: key, certificate: certificate, digestAlgorithm: forge.pki.oids.sha256,
  authenticatedAttributes: [
    { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
    { type: forge.pki.oids.messageDigest },
    { type: forge.pki.oids.signingTime, value: new Date() }
  ]
});
p7.sign({ detached: true });
process.stdout.write(forge.util.encode64(forge.asn1.toDer(p7.toAsn1()).getBytes()));
"""


def node_available() -> bool:
    return shutil.which("node") is not None and NODE_FORGE.is_dir()


def sign_with_node_forge(data: bytes, signer: KeyPair) -> bytes:
    """The browser module's signing code (portal eds.js ``signDetached``) run by Node."""
    payload = json.dumps(
        {
            "key": signer.key_pem.decode(),
            "certificate": signer.pem.decode(),
            "data": base64.b64encode(data).decode(),
        }
    )
    answer = subprocess.run(  # noqa: S603  (fixed program and script)
        ["node", "-e", NODE_SIGNER, str(NODE_FORGE)],  # noqa: S607
        input=payload.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return base64.b64decode(answer.stdout)


__all__ = ["Pki", "build_pki", "sign_detached", "sign_with_node_forge"]
