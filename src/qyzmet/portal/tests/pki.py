"""A small PKI in the NCA RK certificate profile for the portal's tests (EDS.md): one CA,
authentication and signing keys of individuals and of a legal entity's first head, a
revoked and an expired person, and a CRL that lists the revoked keys.

Everything is generated at run time with ``cryptography`` (no key is committed); the key
files are real PKCS#12 in the legacy encryption NCA files use (3DES, SHA-1 MAC), which
node-forge reads in the browser, and the Python signer writes a real detached CMS
(CAdES-BES signed attributes) as the browser module does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import algos, cms, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KEY_PASSWORD = "Demo-Key-2026"  # noqa: S105  (test keys generated at run time)

EKU_SIGN = cx509.ObjectIdentifier("1.3.6.1.5.5.7.3.4")
EKU_AUTH = cx509.ObjectIdentifier("1.3.6.1.5.5.7.3.2")
EKU_INDIVIDUAL = cx509.ObjectIdentifier("1.2.398.3.3.4.1.1")
EKU_LEGAL_ENTITY = cx509.ObjectIdentifier("1.2.398.3.3.4.1.2")
EKU_FIRST_HEAD = cx509.ObjectIdentifier("1.2.398.3.3.4.1.2.1")
EKU_EMPLOYEE = cx509.ObjectIdentifier("1.2.398.3.3.4.1.2.5")


@dataclass(frozen=True)
class Person:
    surname: str
    given_name: str
    patronymic: str
    iin: str
    bin: str = ""
    organization: str = ""
    roles: tuple = ()


INDIVIDUAL = Person("АБЕНОВА", "ДАНА", "СЕРИКОВНА", "900101300007")
OTHER_INDIVIDUAL = Person("КИМ", "ПАВЕЛ", "ИГОРЕВИЧ", "850505300012")
REVOKED_INDIVIDUAL = Person("ОМАРОВ", "АСХАТ", "БОЛАТОВИЧ", "880808300016")
EXPIRED_INDIVIDUAL = Person("СМАГУЛОВА", "ЖАННА", "ЕРЛАНОВНА", "910909400011")
COMPANY_HEAD = Person(
    "ЖУМАБАЕВ",
    "ЕРЛАН",
    "МАРАТОВИЧ",
    "780303300013",
    bin="150340000109",
    organization="ТОО «Реставратор»",
    roles=(EKU_FIRST_HEAD,),
)
PROVIDER_HEAD = Person(
    "ЕСЕНОВ",
    "МАРАТ",
    "ЕРЛАНОВИЧ",
    "750101300015",
    bin="070840007503",
    organization="КГУ «Управление культуры города Алматы»",
    roles=(EKU_FIRST_HEAD,),
)
COMPANY_EMPLOYEE = Person(
    "СЕЙТОВА",
    "АЙГЕРИМ",
    "НУРЛАНОВНА",
    "950707400018",
    bin="150340000109",
    organization="ТОО «Реставратор»",
    roles=(EKU_EMPLOYEE,),
)


@dataclass
class KeyFile:
    """One key file: the PKCS#12 bytes a person keeps, plus its parts for Python signing."""

    name: str
    person: Person
    purpose: str
    p12: bytes
    private_key: rsa.RSAPrivateKey
    certificate: cx509.Certificate

    def save(self, folder: Path) -> Path:
        path = Path(folder) / f"{self.name}.p12"
        path.write_bytes(self.p12)
        return path


@dataclass
class FixturePki:
    ca_pem: bytes
    crl_der: bytes
    keys: dict[str, KeyFile] = field(default_factory=dict)

    def __getitem__(self, name: str) -> KeyFile:
        return self.keys[name]

    def install(self, folder: Path) -> dict:
        """Write the trust anchor and the CRL; the Django settings that make the EDS
        verifier use them (and nothing on the network)."""
        folder = Path(folder)
        (folder / "anchors").mkdir(parents=True, exist_ok=True)
        (folder / "anchors" / "portal-fixture-ca.pem").write_bytes(self.ca_pem)
        (folder / "fixture.crl").write_bytes(self.crl_der)
        return {
            "QYZMET_EDS_TRUST_ANCHORS_DIR": folder / "anchors",
            "QYZMET_EDS_CRL_FILES": (str(folder / "fixture.crl"),),
            "QYZMET_EDS_REVOCATION_SOURCES": (),
            "QYZMET_EDS_CRL_URLS": (),
        }


def _subject(person: Person) -> cx509.Name:
    attributes = [
        cx509.NameAttribute(NameOID.COMMON_NAME, f"{person.surname} {person.given_name}"),
        cx509.NameAttribute(NameOID.SURNAME, person.surname),
        cx509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{person.iin}"),
        cx509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        cx509.NameAttribute(NameOID.GIVEN_NAME, person.patronymic),
    ]
    if person.bin:
        attributes += [
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, person.organization),
            cx509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{person.bin}"),
        ]
    return cx509.Name(attributes)


def _leaf(
    ca_key, ca_cert, person: Person, purpose: str, *, not_before: datetime, not_after: datetime
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    holder = EKU_LEGAL_ENTITY if person.bin else EKU_INDIVIDUAL
    usages = [EKU_SIGN if purpose == "sign" else EKU_AUTH, holder, *person.roles]
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(_subject(person))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            cx509.KeyUsage(
                digital_signature=True,
                content_commitment=purpose == "sign",
                key_encipherment=purpose == "auth",
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(cx509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _p12(name: str, key, certificate, ca_cert) -> bytes:
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())  # noqa: S303  (the MAC real NCA key files carry)
        .build(KEY_PASSWORD.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, [ca_cert], encryption
    )


def build_fixture_pki() -> FixturePki:
    now = datetime.now(UTC).replace(microsecond=0)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COMMON_NAME, "QYZMET PORTAL FIXTURE CA"),
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    ca_cert = (
        cx509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=400))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            cx509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    valid = {"not_before": now - timedelta(days=30), "not_after": now + timedelta(days=365)}
    expired = {"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=35)}
    plan = {
        "individual_auth": (INDIVIDUAL, "auth", valid),
        "individual_sign": (INDIVIDUAL, "sign", valid),
        "other_auth": (OTHER_INDIVIDUAL, "auth", valid),
        "other_sign": (OTHER_INDIVIDUAL, "sign", valid),
        "company_auth": (COMPANY_HEAD, "auth", valid),
        "company_sign": (COMPANY_HEAD, "sign", valid),
        "employee_sign": (COMPANY_EMPLOYEE, "sign", valid),
        "provider_head_sign": (PROVIDER_HEAD, "sign", valid),
        "company_sign_no_role": (replace(COMPANY_HEAD, roles=()), "sign", valid),
        "revoked_auth": (REVOKED_INDIVIDUAL, "auth", valid),
        "revoked_sign": (REVOKED_INDIVIDUAL, "sign", valid),
        "expired_auth": (EXPIRED_INDIVIDUAL, "auth", expired),
        "expired_sign": (EXPIRED_INDIVIDUAL, "sign", expired),
    }
    pki = FixturePki(ca_pem=ca_cert.public_bytes(serialization.Encoding.PEM), crl_der=b"")
    for name, (person, purpose, period) in plan.items():
        key, certificate = _leaf(ca_key, ca_cert, person, purpose, **period)
        pki.keys[name] = KeyFile(
            name, person, purpose, _p12(name, key, certificate, ca_cert), key, certificate
        )
    crl = (
        cx509.CertificateRevocationListBuilder()
        .issuer_name(ca_name)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
    )
    for name in ("revoked_auth", "revoked_sign"):
        crl = crl.add_revoked_certificate(
            cx509.RevokedCertificateBuilder()
            .serial_number(pki[name].certificate.serial_number)
            .revocation_date(now - timedelta(days=2))
            .build()
        )
    crl = crl.add_extension(
        cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
    )
    pki.crl_der = crl.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return pki


def sign_detached(data: bytes, key_file: KeyFile) -> bytes:
    """A detached CMS SignedData (CAdES-BES attributes: content type, signing time, message
    digest) over ``data`` with the key file's RSA key, DER-encoded."""
    certificate = x509.Certificate.load(
        key_file.certificate.public_bytes(serialization.Encoding.DER)
    )
    signed_attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time({"utc_time": datetime.now(UTC)})]}
            ),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]}),
        ]
    )
    signature = key_file.private_key.sign(signed_attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
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
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
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


__all__ = ["KEY_PASSWORD", "FixturePki", "KeyFile", "build_fixture_pki", "sign_detached"]
