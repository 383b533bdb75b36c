"""Fixtures over the real NCA RK test files (/work/shared/pki/nca-test, see its README) and
a small CMS writer used to produce signatures the way different signers lay them out."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from gostcrypto import gosthash, gostsignature

from qyzmet.eds.certificate import Certificate
from qyzmet.eds.chain import TrustStore
from qyzmet.eds.der import tlv
from qyzmet.eds.pkcs12 import load_pkcs12

NCA_TEST_DIR = Path(
    os.environ.get(
        "QYZMET_NCA_TEST_DIR", Path(__file__).resolve().parents[5] / "shared/pki/nca-test"
    )
)
if not NCA_TEST_DIR.is_dir():
    NCA_TEST_DIR = Path("/work/shared/pki/nca-test")

PASSWORDS = {"2004": "Qwerty12", "2015": "Aa123456"}


def nca_file(name: str) -> bytes:
    return (NCA_TEST_DIR / name).read_bytes()


def password_for(name: str) -> str:
    return PASSWORDS["2015" if "2015" in name else "2004"]


def leaf_of(name: str) -> Certificate:
    """The leaf certificate of a real file (a p12 or a certificate file)."""
    if name.endswith(".p12"):
        return load_pkcs12(nca_file(name), password_for(name)).certificate
    return Certificate.load(nca_file(name))


def moment_inside(certificate: Certificate) -> datetime:
    """A moment inside the certificate's period, taken from the certificate itself:
    30 days after it was issued (inside every real test CRL's window as well)."""
    return certificate.not_before + timedelta(days=30)


def anchors(*names: str) -> TrustStore:
    return TrustStore.from_certificates([nca_file(name) for name in names])


RSA_ANCHORS = ("root_rsa_test.pem", "NCA_2004_RSA_CERT.pem")
GOST2004_ANCHORS = ("root_gost_test.pem", "NCA_2004_GOST_CERT.pem")
GOST2015_ANCHORS = ("ca__nca_gost2015_test.cer",)  # its root is not among the files


def verify_at_real_nca(signature: bytes, content: bytes | None, key_name: str, **expect):
    """Verify a CMS made with one of NCA's real test key files, under its real test chain
    and CRL, at a moment inside the key's certificate period (the files' certificates have
    long expired). ``expect``: ``expect_iin`` / ``expect_bin``."""
    from qyzmet.eds.cms import verify_cms
    from qyzmet.eds.revocation import RevocationSources

    gost = "2015" in key_name
    return verify_cms(
        signature,
        content,
        trust=anchors(*(GOST2015_ANCHORS if gost else RSA_ANCHORS)),
        at=moment_inside(leaf_of(key_name)),
        revocation=RevocationSources(
            crls=[nca_file("crl__nca_gost2022_test.crl" if gost else "crl__nca_rsa_test.crl")]
        ),
        **expect,
    )


@pytest.fixture(scope="session")
def nca_trust() -> TrustStore:
    return anchors(*RSA_ANCHORS, *GOST2004_ANCHORS, *GOST2015_ANCHORS)


@pytest.fixture(scope="session")
def real_crls() -> list[bytes]:
    return [nca_file(p.name) for p in sorted(NCA_TEST_DIR.glob("crl__*.crl"))]


@pytest.fixture(scope="session")
def real_ocsp_responses() -> list[bytes]:
    return [nca_file(p.name) for p in sorted(NCA_TEST_DIR.glob("ocsp__*.bin"))]


# --- a minimal DER writer: full control over the order and bytes of signed attributes
def oid(dotted: str) -> bytes:
    return core.ObjectIdentifier(dotted).dump()


def algorithm(dotted: str, null: bool = False) -> bytes:
    return tlv(0x30, oid(dotted) + (b"\x05\x00" if null else b""))


def attribute(dotted: str, value: bytes) -> bytes:
    return tlv(0x30, oid(dotted) + tlv(0x31, value))


OID_DATA = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
SHA256 = "2.16.840.1.101.3.4.2.1"
RSA_SHA256 = "1.2.840.113549.1.1.11"
STREEBOG512 = "1.2.398.3.10.1.3.3"
GOST2015_512 = "1.2.398.3.10.1.1.2.3.2"


def build_cms(
    content: bytes,
    signer: Certificate,
    sign,
    *,
    digest_oid: str,
    digest_fn,
    signature_oid: str,
    detached: bool = True,
    attribute_order: tuple[str, ...] = ("content_type", "signing_time", "message_digest"),
    extra_certificates: tuple[bytes, ...] = (),
    null_params: bool = False,
) -> dict[str, bytes]:
    """A CMS SignedData whose signedAttrs are written in ``attribute_order`` (node-forge
    writes its own order, not DER's sorted one) and signed as they are written. Returns
    the parts so tests can tamper with each."""
    attributes = {
        "content_type": attribute("1.2.840.113549.1.9.3", oid(OID_DATA)),
        "signing_time": attribute(
            "1.2.840.113549.1.9.5", core.UTCTime(datetime.now(UTC).replace(microsecond=0)).dump()
        ),
        "message_digest": attribute(
            "1.2.840.113549.1.9.4", core.OctetString(digest_fn(content)).dump()
        ),
    }
    signed_attrs_body = b"".join(attributes[name] for name in attribute_order)
    signature = sign(tlv(0x31, signed_attrs_body))
    issuer_and_serial = tlv(0x30, signer.issuer_der + core.Integer(signer.serial).dump())
    signer_info = tlv(
        0x30,
        core.Integer(1).dump()
        + issuer_and_serial
        + algorithm(digest_oid, null_params)
        + tlv(0xA0, signed_attrs_body)
        + algorithm(signature_oid, null_params)
        + core.OctetString(signature).dump(),
    )
    encapsulated = oid(OID_DATA)
    if not detached:
        encapsulated += tlv(0xA0, core.OctetString(content).dump())
    signed_data = tlv(
        0x30,
        core.Integer(1).dump()
        + tlv(0x31, algorithm(digest_oid, null_params))
        + tlv(0x30, encapsulated)
        + tlv(0xA0, signer.der + b"".join(extra_certificates))
        + tlv(0x31, signer_info),
    )
    cms = tlv(0x30, oid(OID_SIGNED_DATA) + tlv(0xA0, signed_data))
    return {"cms": cms, "signed_attrs": signed_attrs_body, "signature": signature}


@pytest.fixture(scope="session")
def rsa_key_bundle():
    return load_pkcs12(nca_file("KEY_INDIVIDUAL_VALID_SIGN_2004.p12"), "Qwerty12", require_key=True)


def rsa_signer(private_key):
    return lambda message: private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def streebog512(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog512", data=data).digest())


def gost2015_private_scalar(bundle) -> bytes:
    """Test-only: the 64-byte little-endian private key inside the NCA GOST PKCS#8."""
    from qyzmet.eds.pkcs12 import _RawPrivateKeyInfo

    info = _RawPrivateKeyInfo.load(bundle.private_key.pkcs8_der)
    return core.OctetString.load(info["private_key"].native).native


def gost2015_signer(bundle):
    """Test-only GOST 34.10-2015/512 signer in the NCA byte order (each half reversed)."""
    scalar_be = gost2015_private_scalar(bundle)[::-1]
    curve = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
    engine = gostsignature.new(gostsignature.MODE_512, curve)

    def sign(message: bytes) -> bytes:
        big_endian = bytes(engine.sign(scalar_be, streebog512(message)[::-1]))
        return big_endian[:64][::-1] + big_endian[64:][::-1]

    return sign


def run_eds_command(*args):
    """`qyzmet eds ARGS` in a process of its own: (exit code, stdout, stderr)."""
    completed = subprocess.run(
        [sys.executable, "-m", "qyzmet.manage", "eds", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return completed.returncode, completed.stdout, completed.stderr
