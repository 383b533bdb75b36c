"""The NCA RK certificate profile: who holds the key and what it is for (EDS.md).

Every subject field is read by OID, never by RDN position (the order varies between real
certificates). ``G`` (2.5.4.42) holds the patronymic; the given name is only inside CN,
after the surname. The holder type and roles come from the extendedKeyUsage OIDs, with the
older policy OIDs as a fallback.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .algorithms import key_family
from .certificate import Certificate, name_attribute

OID_COMMON_NAME = "2.5.4.3"
OID_SURNAME = "2.5.4.4"
OID_SERIAL_NUMBER = "2.5.4.5"
OID_ORGANIZATION = "2.5.4.10"
OID_ORGANIZATIONAL_UNIT = "2.5.4.11"
OID_GIVEN_NAME = "2.5.4.42"  # the patronymic in the NCA profile
OID_EMAIL = "1.2.840.113549.1.9.1"

EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
EKU_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"
EKU_INDIVIDUAL = "1.2.398.3.3.4.1.1"
EKU_LEGAL_ENTITY = "1.2.398.3.3.4.1.2"
ROLE_EKUS = {
    "1.2.398.3.3.4.1.2.1": "first_head",
    "1.2.398.3.3.4.1.2.2": "signer",
    "1.2.398.3.3.4.1.2.3": "finance_signer",
    "1.2.398.3.3.4.1.2.4": "hr",
    "1.2.398.3.3.4.1.2.5": "employee",
}
# Older policy OIDs: legal entity sign/auth, individual sign/auth.
POLICY_HOLDER_PURPOSE = {
    "1.2.398.3.3.2.1": ("legal_entity", "sign"),
    "1.2.398.3.3.2.2": ("legal_entity", "auth"),
    "1.2.398.3.3.2.3": ("individual", "sign"),
    "1.2.398.3.3.2.4": ("individual", "auth"),
}

INDIVIDUAL = "individual"
LEGAL_ENTITY = "legal_entity"
SIGN = "sign"
AUTH = "auth"


@dataclass(frozen=True)
class CertificateProfile:
    iin: str | None
    bin: str | None
    common_name: str | None
    surname: str | None
    given_name: str | None
    patronymic: str | None
    organization: str | None
    email: str | None
    holder: str | None
    roles: tuple[str, ...]
    purpose: str | None
    algorithm: str | None
    serial: str
    issuer: str | None
    not_before: str
    not_after: str

    def to_inspect_dict(self) -> dict[str, Any]:
        """Exactly the JSON shape of issue 3 (every key present, None when absent)."""
        return {
            "subject": {
                "iin": self.iin,
                "bin": self.bin,
                "common_name": self.common_name,
                "surname": self.surname,
                "given_name": self.given_name,
                "patronymic": self.patronymic,
                "organization": self.organization,
                "email": self.email,
            },
            "holder": self.holder,
            "roles": list(self.roles),
            "purpose": self.purpose,
            "algorithm": self.algorithm,
            "serial": self.serial,
            "issuer": self.issuer,
            "not_before": self.not_before,
            "not_after": self.not_after,
        }

    def to_inspect_json(self, **dumps_options: Any) -> str:
        return json.dumps(self.to_inspect_dict(), ensure_ascii=False, **dumps_options)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _prefixed_number(value: str | None, prefix: str) -> str | None:
    """ "IIN123456789011" -> "123456789011". The check digit is *not* verified: values
    read from a trusted certificate are taken as they are (NCA test IINs fail it)."""
    if not value:
        return None
    value = value.strip()
    if value.upper().startswith(prefix):
        digits = value[len(prefix) :]
        if len(digits) == 12 and digits.isascii() and digits.isdigit():
            return digits
    return None


def _given_name(common_name: str | None, surname: str | None) -> str | None:
    if not common_name:
        return None
    if surname and common_name.startswith(surname + " "):
        rest = common_name[len(surname) :].strip()
        return rest or None
    parts = common_name.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 and surname else None


def _holder_and_purpose(certificate: Certificate) -> tuple[str | None, str | None]:
    eku = certificate.extended_key_usage
    holder = None
    if EKU_LEGAL_ENTITY in eku:
        holder = LEGAL_ENTITY
    elif EKU_INDIVIDUAL in eku:
        holder = INDIVIDUAL
    purpose = None
    if EKU_EMAIL_PROTECTION in eku:
        purpose = SIGN
    elif EKU_CLIENT_AUTH in eku:
        purpose = AUTH
    for policy in sorted(certificate.policies):
        if policy in POLICY_HOLDER_PURPOSE:
            policy_holder, policy_purpose = POLICY_HOLDER_PURPOSE[policy]
            holder = holder or policy_holder
            purpose = purpose or policy_purpose
    return holder, purpose


def profile_of(certificate: Certificate) -> CertificateProfile:
    """The profile (computed once per parsed certificate; it is immutable)."""
    cached = certificate.__dict__.get("_profile")
    if cached is None:
        cached = certificate.__dict__["_profile"] = _build_profile(certificate)
    return cached


def _build_profile(certificate: Certificate) -> CertificateProfile:
    subject = certificate.subject
    common_name = name_attribute(subject, OID_COMMON_NAME)
    surname = name_attribute(subject, OID_SURNAME)
    holder, purpose = _holder_and_purpose(certificate)
    bin_value = _prefixed_number(name_attribute(subject, OID_ORGANIZATIONAL_UNIT), "BIN")
    email = name_attribute(subject, OID_EMAIL) or next(iter(certificate.emails), None)
    return CertificateProfile(
        iin=_prefixed_number(name_attribute(subject, OID_SERIAL_NUMBER), "IIN"),
        bin=bin_value,
        common_name=common_name,
        surname=surname,
        given_name=_given_name(common_name, surname),
        patronymic=name_attribute(subject, OID_GIVEN_NAME),
        organization=name_attribute(subject, OID_ORGANIZATION),
        email=email,
        holder=holder,
        roles=tuple(
            role for oid, role in ROLE_EKUS.items() if oid in certificate.extended_key_usage
        ),
        purpose=purpose,
        algorithm=key_family(certificate),
        serial=format(certificate.serial, "x"),
        issuer=certificate.issuer_common_name,
        not_before=iso_utc(certificate.not_before),
        not_after=iso_utc(certificate.not_after),
    )


def parse_certificate(data: bytes) -> CertificateProfile:
    """Profile of a DER or PEM certificate; ``EdsError('malformed')`` on garbage."""
    return profile_of(Certificate.load(data))
