"""An NCA-like demo PKI: CAs, OCSP responders, CRLs and key files of demo people.

The regulation's checks of an EDS (p.10, процесс 1, 4–6, 9; условие 2: validity period,
absence from the revocation list, IIN/BIN match) need real certificates to run against in a
demonstration. This module makes them, in the profile of the real NCA RK certificates
(``/work/shared/pki/nca-test``, ``domain/EDS.md``):

Two chains, as NCA RK has today (issue 9):

* **GOST 34.10-2015/512** — what NCA issues since 28.04.2024 and what every demo person
  holds: root ``НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ GOST DEMO`` and intermediate ``ҰЛТТЫҚ
  КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO`` with an OCSP responder, in the profile of the real
  GOST TEST 2022 files: key 1.2.398.3.10.1.1.2.2 with parameters (1.2.398.3.10.1.1.2.2.1 =
  TC26 512 paramSetA, Streebog-512 1.2.398.3.10.1.3.3), signatures 1.2.398.3.10.1.1.2.3.2
  (certificates, CRLs and OCSP answers alike), policy 1.2.398.3.3.2 only, NCA's extension
  1.2.398.3.3.5, signing keys with keyUsage digitalSignature + nonRepudiation +
  keyEncipherment. Written with ``gost_pki.py`` (``cryptography`` cannot sign GOST).
* **RSA** (legacy) — root ``ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO ROOT)`` and intermediate
  ``ҰКО 3.0 (RSA DEMO)`` (RSA 4096, like the NCA CAs) with its OCSP responder, for the
  legacy people (``*-rsa``: kits issued before 2024; pdfsig and the in-page node-forge
  signer know no GOST). Person keys RSA 2048 / SHA-256, policy OIDs 1.2.398.3.3.2.1–.4.

The CA names say DEMO, never TEST: the verifier ignores anchors named TEST unless test
certificates are accepted, and these are not NCA's test CAs. For each demo person a
signing key (EKU emailProtection) and an authentication key (digitalSignature +
keyEncipherment, EKU clientAuth) in PKCS#12 files written as NCA's are (3DES key bag,
40-bit RC2 certificate bag, SHA-1 MAC; ``gost_pki.write_pkcs12``), which node-forge opens in
the browser. Subject: CN "SURNAME NAME", SN surname, serialNumber "IIN…", C=KZ, G
patronymic, and for legal entities O organisation and OU "BIN…". Holder EKUs:
1.2.398.3.3.4.1.1 (individual) or 1.2.398.3.3.4.1.2 plus the role (.2.1 first head, .2.5
employee …). CRL distribution point ``{base_url}/eds/demo/crl/<ca>.crl``, AIA OCSP
``{base_url}/eds/demo/ocsp/`` (one address answering for both intermediates, each answer
signed by that CA's responder) and caIssuers ``{base_url}/eds/demo/ca/<ca>.cer``.
``base_url`` is the demo PKI services' address (``qyzmet demo-services``, a process of its own;
default ``http://127.0.0.1:8001``), recorded in ``index.json``: ``qyzmet serve`` starts the
services on the port recorded there, so the certificates and the services always agree.

The provider (the culture department) is a legal entity with BIN ``PROVIDER_BIN``: its head
holds a *first head* certificate of that BIN (the head signs results, p.10 процесс 9), its
executor an *employee* certificate of the same BIN. The applicant legal entity
(``COMPANY_BIN``) has a first head, who may sign its requests, and an employee, who may not.

Layout of the directory (``index.json`` describes every file)::

    ca/        gost-root.pem, gost-intermediate.pem, root.pem, intermediate.pem
                                                    -- the trust anchors (QYZMET_EDS_TRUST_ANCHORS_DIR)
    ocsp/      gost-responder.pem, responder.pem    -- the OCSP responder certificates
    crl/       <ca>.crl for each CA                 -- regenerated when stale
    people/    <person>-sign.p12, <person>-auth.p12 -- password DEMO_PASSWORD
    private/   CA and responder keys (mode 0600)     -- needed to serve CRL and OCSP
    index.json

No key is committed: everything is generated at run time. Creating is idempotent: an
existing, complete PKI made for the same ``base_url`` whose valid certificates have not
expired is kept (``make run`` twice is safe); ``force=True`` recreates it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from qyzmet.core.certificates import key_usage_extension
from qyzmet.core.identifiers import is_valid_identifier
from qyzmet.demo import people as demo_people
from qyzmet.demo.people import with_check_digit
from qyzmet.eds import gost, gost_pki
from qyzmet.eds.algorithms import GOST2015_512, RSA
from qyzmet.eds.certificate import Certificate

from .ocsp_responder import (
    CertificateStatus,
    OcspResponder,
    OcspResponders,
    build_crl,
    crl_is_stale,
    load_private_key,
    private_key_pem,
)

logger = logging.getLogger(__name__)

INDEX_FORMAT = 3  # 2: GOST-2015/512 chain and people (issue 9); 3: the TSA units (issue 10)
DEMO_PASSWORD = "Demo2026!"  # noqa: S105 -- documented password of the generated demo key files

ROOT_ID = "root"
INTERMEDIATE_ID = "intermediate"
OCSP_ID = "responder"
ROOT_NAME = "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO ROOT)"
INTERMEDIATE_NAME = "ҰКО 3.0 (RSA DEMO)"
OCSP_NAME = "OCSP ҰКО 3.0 (RSA DEMO)"
GOST_ROOT_ID = "gost-root"
GOST_INTERMEDIATE_ID = "gost-intermediate"
GOST_OCSP_ID = "gost-responder"
GOST_ROOT_NAME = "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ GOST DEMO"  # 64 bytes: X.520's upper bound
GOST_INTERMEDIATE_NAME = "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO"
GOST_OCSP_NAME = "OCSP RESPONDER (DEMO)"
# The time-stamping authority (RFC 3161), one unit per chain: algorithm -> (id, name).
TSA_UNITS = {
    GOST2015_512: ("gost-tsa", "TSA ҰКО (GOST) DEMO"),
    RSA: ("tsa", "TSA ҰКО 3.0 (RSA DEMO)"),
}
# A TSA certificate outlives the people's: a time-stamp is checked for years (issue 10).
TSA_VALIDITY = timedelta(days=6 * 365)
# The chains: algorithm -> (root id, intermediate id, responder id).
CHAINS = {
    GOST2015_512: (GOST_ROOT_ID, GOST_INTERMEDIATE_ID, GOST_OCSP_ID),
    RSA: (ROOT_ID, INTERMEDIATE_ID, OCSP_ID),
}
# The CRLs of the CAs that issue people's certificates (relative to the PKI folder).
PERSON_CRL_FILES = tuple(f"crl/{intermediate}.crl" for _, intermediate, _ in CHAINS.values())
# Every CA's CRL: the roots' too, which speak for the intermediates (the DSS of a PAdES B-LT
# signature carries evidence for the whole path, ``eds/ltv.py``).
CA_CRL_FILES = PERSON_CRL_FILES + tuple(f"crl/{root}.crl" for root, _, _ in CHAINS.values())

CA_KEY_BITS = 4096
PERSON_KEY_BITS = 2048
PERSON_VALIDITY = timedelta(days=365)  # NCA issues personal certificates for one year
# The verifier may read the CRL file once per process (QYZMET_EDS_CRL_FILES): a week of
# validity keeps a long-running demo server answering; a fresh one is written daily.
CRL_VALIDITY = timedelta(days=7)
CRL_REFRESH_AFTER = timedelta(days=1)

OID_INDIVIDUAL = "1.2.398.3.3.4.1.1"
OID_LEGAL_ENTITY = "1.2.398.3.3.4.1.2"
ROLE_OIDS = {
    "first_head": "1.2.398.3.3.4.1.2.1",
    "signer": "1.2.398.3.3.4.1.2.2",
    "finance_signer": "1.2.398.3.3.4.1.2.3",
    "hr": "1.2.398.3.3.4.1.2.4",
    "employee": "1.2.398.3.3.4.1.2.5",
}
# Policy OIDs the real NCA files carry: (holder, purpose) -> OID.
POLICY_OIDS = {
    ("legal_entity", "sign"): "1.2.398.3.3.2.1",
    ("legal_entity", "auth"): "1.2.398.3.3.2.2",
    ("individual", "sign"): "1.2.398.3.3.2.3",
    ("individual", "auth"): "1.2.398.3.3.2.4",
}
ROOT_POLICY = "1.2.398.3.1.2"
INTERMEDIATE_POLICY = "1.2.398.3.3.1.1"
# GOST-2015 certificates (CA, responder and people alike) carry only this policy.
GOST_POLICY = "1.2.398.3.3.2"
# NCA's own extension on GOST-2015 leaves and responders, copied from the real files.
NCA_EXTENSION = x509.UnrecognizedExtension(
    x509.ObjectIdentifier("1.2.398.3.3.5"), bytes.fromhex("300a06082a830e0303050101")
)


# The demo people and organisations are those of ``core.demo_people`` (one source with the
# registry simulator's seed and the sample cases).
PROVIDER_BIN = demo_people.PROVIDER.bin  # the culture department
PROVIDER_NAME = demo_people.PROVIDER.name.upper()
COMPANY_BIN = demo_people.COMPANY.bin  # the applicant legal entity
COMPANY_NAME = demo_people.COMPANY.name.upper()
CA_OPERATOR_BIN = with_check_digit("00074000130")  # carried by the responder, as NCA's do


@dataclass(frozen=True)
class DemoPerson:
    id: str
    # applicant | legal_entity_head | legal_entity_employee | provider_executor | provider_head
    # | revoked | expired
    role: str
    surname: str
    given_name: str
    patronymic: str
    iin: str
    description: str
    status: str = "valid"  # valid | revoked | expired
    bin: str | None = None
    organization: str | None = None
    roles: tuple[str, ...] = ()  # EKU roles of a legal entity's employee
    algorithm: str = GOST2015_512  # gost2015-512 (issued since 2024) | rsa (legacy kit)

    @property
    def holder(self) -> str:
        return "legal_entity" if self.bin else "individual"

    @property
    def common_name(self) -> str:
        return f"{self.surname} {self.given_name}"


def _kit(
    person_id: str, role: str, description: str, *, holder: str | None = None, **extra: Any
) -> DemoPerson:
    """A key holder's kit: the names and IIN from ``core.demo_people`` (in capitals, as NCA
    writes them), the organisation's name and BIN too for an employee's key."""
    person = demo_people.INDIVIDUALS[holder or person_id]
    organization = extra.pop("organization", None)
    if organization is not None:
        extra.update(bin=organization.bin, organization=organization.name.upper())
    return DemoPerson(
        person_id,
        role,
        person.surname.upper(),
        person.given_name.upper(),
        person.patronymic.upper(),
        person.iin,
        description,
        **extra,
    )


PEOPLE: tuple[DemoPerson, ...] = (
    _kit("abenova", "applicant", "applicant, individual"),
    _kit("nurlanov", "applicant", "applicant, individual"),
    _kit("ivanova", "applicant", "applicant, individual"),
    _kit(
        "serikbaev",
        "legal_entity_head",
        "applicant, first head of a legal entity",
        organization=demo_people.COMPANY,
        roles=("first_head",),
    ),
    _kit(
        "ospanova",
        "legal_entity_employee",
        "employee of the applicant legal entity: no signing right for it (refused as signer)",
        organization=demo_people.COMPANY,
        roles=("employee",),
    ),
    _kit(
        "kim",
        "provider_executor",
        "provider's executor (employee of the provider's BIN)",
        organization=demo_people.PROVIDER,
        roles=("employee",),
    ),
    _kit(
        "zhumabaev",
        "provider_head",
        "provider's head (first head of the provider's BIN); signs results",
        organization=demo_people.PROVIDER,
        roles=("first_head",),
    ),
    _kit(
        "tolegenova",
        "revoked",
        "individual whose certificates are REVOKED (listed in the CRL, OCSP says revoked)",
        status="revoked",
    ),
    _kit(
        "eskenov",
        "expired",
        "individual whose certificates have EXPIRED",
        status="expired",
    ),
    # Legacy RSA kits (issued before 28.04.2024) of two of the people above: the same IIN,
    # another key file. pdfsig (poppler) and the in-page node-forge signer know no GOST.
    _kit(
        "zhumabaev-rsa",
        "provider_head",
        "LEGACY RSA kit of the provider's head (same person as zhumabaev); signs results "
        "that pdfsig can check",
        holder="zhumabaev",
        organization=demo_people.PROVIDER,
        roles=("first_head",),
        algorithm=RSA,
    ),
    _kit(
        "abenova-rsa",
        "applicant",
        "LEGACY RSA kit of the applicant abenova (same person)",
        holder="abenova",
        algorithm=RSA,
    ),
)


# --- the summary the `qyzmet demo-pki` command and `make run` print
ALGORITHM_LABELS = {GOST2015_512: "GOST 34.10-2015/512", RSA: "RSA 2048 (legacy)"}


class DemoPkiSummary(dict):
    """What was created (or kept) and where. A dict (JSON-ready as it is, so any caller can
    ``json.dumps`` it) with ``to_dict()`` and a human ``to_text()``."""

    @property
    def directory(self) -> Path:
        return Path(self["directory"])

    @property
    def created(self) -> bool:
        return bool(self["created"])

    @property
    def password(self) -> str:
        return self["password"]

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(self))

    def to_text(self) -> str:
        verb = "created" if self.created else "kept (already present)"
        lines = [
            f"Demo PKI {verb} in {self['directory']}",
            f"  Password of every key file: {self['password']}",
            f"  Trust anchors: {self['trust_anchors_dir']}",
            f"  CRL: {', '.join(self['crl_urls'])}",
            f"  OCSP: {self['ocsp_url']}",
            "  Key files (sign / auth); GOST 34.10-2015/512 as NCA issues since 2024, RSA for"
            " the legacy kits:",
        ]
        for person in self["people"]:
            marker = "" if person["status"] == "valid" else f" [{person['status'].upper()}]"
            identity = f"IIN {person['iin']}" + (f", BIN {person['bin']}" if person["bin"] else "")
            algorithm = ALGORITHM_LABELS.get(person["algorithm"], person["algorithm"])
            lines.append(
                f"    {person['id']}: {person['common_name']} — {algorithm}"
                f" ({person['role']}, {identity}){marker}"
            )
            lines.append(f"      {person['sign_p12']}")
            lines.append(f"      {person['auth_p12']}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


# --- public API
# Where the demo PKI services (``qyzmet demo-services``) answer unless told otherwise: the
# default QYZMET_DEMO_SERVICES_PORT. The certificates name it; ``qyzmet serve`` reads it back.
DEFAULT_BASE_URL = "http://127.0.0.1:8001"


def create_demo_pki(
    directory: str | Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    force: bool = False,
) -> DemoPkiSummary:
    """Create the demo PKI in ``directory`` (or keep the one there; see the module doc)."""
    directory = Path(directory)
    base_url = base_url.rstrip("/")
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        if not force:
            index = _usable_index(directory, base_url)
            if index is not None:
                DemoPki(directory, index).refresh_crls()
                return _summary(directory, index, created=False)
        index = _generate(directory, base_url)
    forget_loaded()
    return _summary(directory, index, created=True)


def load_demo_pki(directory: str | Path) -> DemoPki:
    """The PKI in ``directory`` (cached per process while index.json is unchanged).
    Raises ``FileNotFoundError`` when there is none."""
    directory = Path(directory)
    index_path = directory / "index.json"
    stamp = index_path.stat().st_mtime_ns
    key = str(directory.resolve())
    with _loaded_lock:
        cached = _loaded.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    pki = DemoPki(directory, json.loads(index_path.read_text(encoding="utf-8")))
    with _loaded_lock:
        _loaded[key] = (stamp, pki)
    return pki


def person(directory: str | Path, person_id: str) -> dict[str, Any]:
    """One person of the demo PKI's index.json (``sign_p12``/``auth_p12`` are relative to
    ``directory``). Raises ``KeyError`` for an unknown id."""
    for entry in load_demo_pki(directory).index["people"]:
        if entry["id"] == person_id:
            return entry
    raise KeyError(person_id)


def forget_loaded() -> None:
    with _loaded_lock:
        _loaded.clear()


_loaded: dict[str, tuple[int, DemoPki]] = {}
_loaded_lock = threading.Lock()


class DemoPki:
    """A created demo PKI: its index, CA certificates and the keys that serve CRL/OCSP."""

    def __init__(self, directory: Path, index: dict[str, Any]) -> None:
        self.directory = directory
        self.index = index
        self._lock = threading.Lock()
        self._cas = {ca["id"]: ca for ca in index["cas"]}

    @property
    def ca_ids(self) -> tuple[str, ...]:
        return tuple(self._cas)

    def ca_certificate(self, ca_id: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self._read(self._cas[ca_id]["file"]))

    def _ca_key(self, ca_id: str):
        return load_private_key(self._read(self._cas[ca_id]["key"]))

    def _read(self, relative: str) -> bytes:
        return (self.directory / relative).read_bytes()

    def statuses(self, ca_id: str) -> dict[int, CertificateStatus]:
        """Every certificate this CA issued, by serial: good, revoked (with date, reason)."""
        found: dict[int, CertificateStatus] = {}
        for entry in self.index["certificates"]:
            if entry["issuer_id"] != ca_id:
                continue
            revoked_at = entry.get("revoked_at")
            found[int(entry["serial"], 16)] = CertificateStatus(
                revoked_at=datetime.fromisoformat(revoked_at) if revoked_at else None,
                reason=entry.get("revocation_reason"),
            )
        return found

    def crl(self, ca_id: str, *, now: datetime | None = None) -> bytes:
        """The CA's current CRL (DER), regenerated first when stale."""
        ca = self._cas[ca_id]
        path = self.directory / ca["crl"]
        with self._lock:
            data = path.read_bytes() if path.exists() else None
            if data is None or crl_is_stale(data, now=now, refresh_after=CRL_REFRESH_AFTER):
                data = self._write_crl(ca_id, previous=data, now=now)
        return data

    def refresh_crls(self) -> None:
        for ca_id in self._cas:
            self.crl(ca_id)

    def _write_crl(self, ca_id: str, *, previous: bytes | None, now: datetime | None) -> bytes:
        number = 1
        if previous:
            with contextlib.suppress(ValueError, x509.ExtensionNotFound):
                old = x509.load_der_x509_crl(previous)
                number = old.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number + 1
        data = build_crl(
            self.ca_certificate(ca_id),
            self._ca_key(ca_id),
            self.statuses(ca_id),
            number=number,
            now=now,
            validity=CRL_VALIDITY,
        )
        try:
            _write_atomic(self.directory / self._cas[ca_id]["crl"], data)
        except OSError:  # a read-only PKI folder still gets a fresh CRL served
            logger.warning("could not write the refreshed demo CRL of %s", ca_id, exc_info=True)
        return data

    def ocsp_responder(
        self, *, validity: timedelta = timedelta(hours=1), also: tuple[x509.Certificate, ...] = ()
    ) -> OcspResponders:
        """The demo OCSP service: each intermediate's delegated responder answers for the
        certificates of its CA (GOST-signed answers for the GOST chain); ``also``:
        certificates made outside the index (``short_lived_tsa_unit``) it answers "good" for."""
        return OcspResponders(
            [
                OcspResponder(
                    responder_certificate=x509.load_pem_x509_certificate(
                        self._read(responder["file"])
                    ),
                    responder_key=load_private_key(self._read(responder["key"])),
                    issuer_certificate=self.ca_certificate(responder["issuer_id"]),
                    statuses={
                        **self.statuses(responder["issuer_id"]),
                        **{
                            extra.serial_number: CertificateStatus()
                            for extra in also
                            if extra.issuer == self.ca_certificate(responder["issuer_id"]).subject
                        },
                    },
                    validity=validity,
                )
                for responder in self.index["ocsp_responders"]
            ]
        )

    def tsa_responder(self):
        """The demo TSA (``tsa_responder.py``): the RSA unit for SHA-2 imprints, the GOST
        unit for Streebog ones."""
        from .tsa_responder import TsaResponder, TsaUnit

        units = {}
        for entry in self.index["tsa_units"]:
            units[entry["algorithm"]] = TsaUnit(
                certificate=x509.load_pem_x509_certificate(self._read(entry["file"])),
                key=load_private_key(self._read(entry["key"])),
                chain=[self.ca_certificate(ca_id) for ca_id in entry["chain"]],
                gost=entry["algorithm"] == GOST2015_512,
            )
        return TsaResponder(rsa=units[RSA], gost=units.get(GOST2015_512))

    def short_lived_tsa_unit(self, validity: timedelta, *, algorithm: str = RSA):
        """A new TSA unit of the ``algorithm`` chain (its intermediate issues the certificate,
        as ``_make_tsa`` does at generation) whose certificate ends ``validity`` from now:
        what the tests of the document time-stamps' renewal stamp with. Not written to the
        PKI folder or its index: the caller serves it, and tells its OCSP responder about it
        (``ocsp_responder(also=...)``)."""
        from .tsa_responder import TsaUnit

        entry = next(e for e in self.index["tsa_units"] if e["algorithm"] == algorithm)
        issuer_id = entry["chain"][0]
        issuer = _Issued(issuer_id, self.ca_certificate(issuer_id), self._ca_key(issuer_id))
        issued = _make_tsa(
            datetime.now(UTC),
            _Urls(self.index["base_url"]),
            issuer,
            f"{entry['id']}-short",
            f"{entry['common_name']} (SHORT)",
            validity=validity,
        )
        return TsaUnit(
            certificate=issued.certificate,
            key=issued.key,
            chain=[self.ca_certificate(ca_id) for ca_id in entry["chain"]],
            gost=algorithm == GOST2015_512,
        )

    def person(self, person_id: str) -> dict[str, Any]:
        return next(p for p in self.index["people"] if p["id"] == person_id)


# --- generation
@contextlib.contextmanager
def _locked(directory: Path):
    """One creator at a time (two `make run` at once must not interleave files)."""
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _usable_index(directory: Path, base_url: str) -> dict[str, Any] | None:
    """The existing index when the PKI there can be kept as it is, else None."""
    try:
        index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict) or index.get("format") != INDEX_FORMAT:
        return None
    if index.get("base_url") != base_url:
        return None  # the certificates name another server's CRL/OCSP addresses
    soon = datetime.now(UTC) + timedelta(days=1)
    try:
        if [entry["id"] for entry in index["people"]] != [p.id for p in PEOPLE]:
            return None  # made for another cast (a person was added since)
        for relative in index["files"]:
            if not (directory / relative["path"]).is_file():
                return None
        for entry in index["certificates"]:
            if entry["status"] == "valid" and datetime.fromisoformat(entry["not_after"]) < soon:
                return None
    except (KeyError, TypeError, ValueError):
        return None
    return index


_OWNED = ("ca", "ocsp", "tsa", "crl", "people", "private", "index.json")


def _generate(directory: Path, base_url: str) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    urls = _Urls(base_url)
    files: list[dict[str, str]] = []
    staging = Path(tempfile.mkdtemp(prefix=".demo-pki-", dir=directory))
    try:
        for sub in ("ca", "ocsp", "tsa", "crl", "people", "private"):
            (staging / sub).mkdir()
        os.chmod(staging / "private", 0o700)

        issued_cas: dict[str, _Issued] = {}
        roots: dict[str, _Issued] = {}
        cas: list[dict[str, Any]] = []
        responders: list[dict[str, Any]] = []
        tsa_units: list[dict[str, Any]] = []
        certificates: list[dict[str, Any]] = []
        for algorithm, (root_id, intermediate_id, responder_id) in CHAINS.items():
            root = _make_root(now, urls, algorithm, root_id)
            intermediate = _make_intermediate(now, urls, root, intermediate_id)
            responder = _make_responder(now, urls, intermediate, responder_id)
            issued_cas[algorithm], roots[algorithm] = intermediate, root
            for issued, parent in ((root, None), (intermediate, root)):
                cas.append(_write_ca(staging, files, issued, parent, urls))
            responders.append(_write_responder(staging, files, responder, intermediate, urls))
            tsa_id, tsa_name = TSA_UNITS[algorithm]
            tsa = _make_tsa(now, urls, intermediate, tsa_id, tsa_name)
            tsa_units.append(_write_tsa(staging, files, tsa, intermediate, root))
            certificates += [
                _ca_certificate_entry(intermediate, root_id),
                _ca_certificate_entry(responder, intermediate_id, purpose="ocsp"),
                _ca_certificate_entry(tsa, intermediate_id, purpose="tsa"),
            ]
        people = []
        for person in PEOPLE:
            intermediate = issued_cas[person.algorithm]
            entry = {
                "id": person.id,
                "role": person.role,
                "description": person.description,
                "algorithm": person.algorithm,
                "holder": person.holder,
                "common_name": person.common_name,
                "surname": person.surname,
                "given_name": person.given_name,
                "patronymic": person.patronymic,
                "iin": person.iin,
                "bin": person.bin,
                "organization": person.organization,
                "roles": list(person.roles),
                "status": person.status,
                "password": DEMO_PASSWORD,
            }
            for purpose in ("sign", "auth"):
                issued = _make_person_certificate(now, urls, intermediate, person, purpose)
                relative = f"people/{person.id}-{purpose}.p12"
                chain = [intermediate, roots[person.algorithm]]
                _write_atomic(staging / relative, _p12(issued, chain))
                certificates.append(
                    _person_certificate_entry(person, purpose, issued, relative, intermediate.id)
                )
                files.append({"path": relative, "kind": "pkcs12", "person": person.id})
                entry[f"{purpose}_p12"] = relative
                entry[f"{purpose}_serial"] = format(issued.certificate.serial_number, "x")
            people.append(entry)

        index = {
            "format": INDEX_FORMAT,
            "note": "DEMO certificates for a demonstration of qyzmet; not issued by NCA RK.",
            "created_at": now.isoformat(),
            "base_url": base_url,
            "password": DEMO_PASSWORD,
            "trust_anchors_dir": "ca",
            "provider_bin": PROVIDER_BIN,
            "cas": cas,
            "ocsp_responders": responders,
            "tsa_units": tsa_units,
            "people": people,
            "certificates": certificates,
            "files": files,
        }
        pki = DemoPki(staging, index)
        for ca in cas:
            pki.crl(ca["id"], now=now)
        _write_atomic(
            staging / "index.json",
            json.dumps(index, ensure_ascii=False, indent=2).encode("utf-8"),
        )
        _replace_owned(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return index


def _replace_owned(staging: Path, directory: Path) -> None:
    """Swap the freshly made tree in; index.json goes last so a half-made PKI is never
    mistaken for a complete one."""
    with contextlib.suppress(FileNotFoundError):
        (directory / "index.json").unlink()
    for name in _OWNED[:-1]:
        target = directory / name
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / name, target)
    os.replace(staging / "index.json", directory / "index.json")


@dataclass(frozen=True)
class _Issued:
    id: str
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey | gost.GostSigningKey
    revoked_at: datetime | None = None

    @property
    def is_gost(self) -> bool:
        return isinstance(self.key, gost.GostSigningKey)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def key_identifier(self) -> bytes:
        return gost_pki.key_identifier(Certificate.from_der(self.der).public_key_info.spki_der)


class _Urls:
    def __init__(self, base_url: str) -> None:
        self.base = base_url

    def crl(self, ca_id: str) -> str:
        return f"{self.base}/eds/demo/crl/{ca_id}.crl"

    def ca(self, ca_id: str) -> str:
        return f"{self.base}/eds/demo/ca/{ca_id}.cer"

    @property
    def ocsp(self) -> str:
        return f"{self.base}/eds/demo/ocsp/"


def _ca_name(common_name: str, *, gost_chain: bool = False) -> x509.Name:
    """C, CN for the RSA CAs; CN, C as the real GOST TEST 2022 CAs are named."""
    common = x509.NameAttribute(NameOID.COMMON_NAME, common_name)
    country = x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")
    return x509.Name([common, country] if gost_chain else [country, common])


def _policies(oid: str) -> x509.CertificatePolicies:
    return x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(oid), None)])


def _key_usage(**flags: bool) -> x509.KeyUsage:
    return key_usage_extension(name for name, on in flags.items() if on)


def _crl_points(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)]
    )


def _aia(
    ca_url: str, ocsp_url: str | None, *, ocsp_first: bool = False
) -> x509.AuthorityInformationAccess:
    descriptions = [
        x509.AccessDescription(
            x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(ca_url)
        )
    ]
    if ocsp_url:
        ocsp = x509.AccessDescription(
            x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
        )
        descriptions.insert(0 if ocsp_first else len(descriptions), ocsp)
    return x509.AuthorityInformationAccess(descriptions)


def _new_key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _issue(
    *,
    subject: x509.Name,
    issuer: _Issued | None,
    key: rsa.RSAPrivateKey | gost.GostSigningKey,
    not_before: datetime,
    not_after: datetime,
    extensions: list[tuple[x509.ExtensionType, bool]],
) -> x509.Certificate:
    """A certificate of ``key`` signed by ``issuer`` (itself when None), with the
    extensions in the order given. RSA issuers sign with ``cryptography`` (SHA-256); GOST
    issuers through ``gost_pki`` (NCA's GOST-2015/512 OIDs)."""
    signer = issuer.key if issuer is not None else key
    issuer_name = issuer.certificate.subject if issuer is not None else subject
    if isinstance(signer, gost.GostSigningKey):
        spki = (
            gost.subject_public_key_info(key)
            if isinstance(key, gost.GostSigningKey)
            else key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        der = gost_pki.build_certificate(
            signer=signer,
            issuer=issuer_name,
            subject=subject,
            spki_der=spki,
            serial=x509.random_serial_number(),
            not_before=not_before,
            not_after=not_after,
            extensions=extensions,
        )
        return x509.load_der_x509_certificate(der)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    return builder.sign(signer, hashes.SHA256())


def _new_key_for(algorithm: str, bits: int):
    return gost.generate_signing_key() if algorithm == GOST2015_512 else _new_key(bits)


def _subject_key_id(key) -> x509.SubjectKeyIdentifier:
    if isinstance(key, gost.GostSigningKey):
        spki = gost.subject_public_key_info(key)
        return x509.SubjectKeyIdentifier(gost_pki.key_identifier(spki))
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def _authority_key_id(issuer: _Issued) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier(issuer.key_identifier, None, None)


def _make_root(now: datetime, urls: _Urls, algorithm: str, root_id: str) -> _Issued:
    key = _new_key_for(algorithm, CA_KEY_BITS)
    gost_chain = algorithm == GOST2015_512
    name = _ca_name(GOST_ROOT_NAME if gost_chain else ROOT_NAME, gost_chain=gost_chain)
    ski = _subject_key_id(key)
    extensions = [
        (ski, False),
        (x509.AuthorityKeyIdentifier(ski.digest, None, None), False),
        (x509.BasicConstraints(ca=True, path_length=None), True),
        (_key_usage(key_cert_sign=True, crl_sign=True), True),
        (_policies(GOST_POLICY if gost_chain else ROOT_POLICY), False),
    ]
    certificate = _issue(
        subject=name,
        issuer=None,
        key=key,
        not_before=now - timedelta(days=5 * 365),
        not_after=now + timedelta(days=20 * 365),
        extensions=extensions,
    )
    return _Issued(root_id, certificate, key)


def _make_intermediate(now: datetime, urls: _Urls, root: _Issued, intermediate_id: str) -> _Issued:
    key = _new_key_for(GOST2015_512 if root.is_gost else RSA, CA_KEY_BITS)
    if root.is_gost:  # the extensions of the real GOST TEST 2022 CA, in its order
        extensions = [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (_key_usage(key_cert_sign=True, crl_sign=True), True),
            (_crl_points(urls.crl(root.id)), False),
            (_subject_key_id(key), False),
            (_authority_key_id(root), False),
            (_aia(urls.ca(root.id), None), False),
            (_policies(GOST_POLICY), False),
        ]
    else:
        extensions = [
            (_subject_key_id(key), False),
            (_authority_key_id(root), False),
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (_key_usage(key_cert_sign=True, crl_sign=True), True),
            (_aia(urls.ca(root.id), None), False),
            (_policies(INTERMEDIATE_POLICY), False),
            (_crl_points(urls.crl(root.id)), False),
        ]
    certificate = _issue(
        subject=_ca_name(
            GOST_INTERMEDIATE_NAME if root.is_gost else INTERMEDIATE_NAME, gost_chain=root.is_gost
        ),
        issuer=root,
        key=key,
        not_before=now - timedelta(days=3 * 365),
        not_after=now + timedelta(days=10 * 365),
        extensions=extensions,
    )
    return _Issued(intermediate_id, certificate, key)


def _make_responder(
    now: datetime, urls: _Urls, intermediate: _Issued, responder_id: str
) -> _Issued:
    if intermediate.is_gost:  # as NCA's GOST 2022 responder: CN, C, O; no BIN
        key = gost.generate_signing_key()
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, GOST_OCSP_NAME),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, GOST_INTERMEDIATE_NAME),
            ]
        )
        extensions = [
            (_key_usage(digital_signature=True), False),
            (x509.OCSPNoCheck(), False),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False),
            (_subject_key_id(key), False),
            (_authority_key_id(intermediate), False),
            (NCA_EXTENSION, False),
        ]
    else:
        key = _new_key(PERSON_KEY_BITS)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, OCSP_NAME),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{CA_OPERATOR_BIN}"),
            ]
        )
        extensions = [
            (_subject_key_id(key), False),
            (_authority_key_id(intermediate), False),
            (_key_usage(digital_signature=True, content_commitment=True), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False),
            (x509.OCSPNoCheck(), False),
        ]
    certificate = _issue(
        subject=subject,
        issuer=intermediate,
        key=key,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=2 * 365),
        extensions=extensions,
    )
    return _Issued(responder_id, certificate, key)


def _make_tsa(
    now: datetime,
    urls: _Urls,
    intermediate: _Issued,
    tsa_id: str,
    name: str,
    validity: timedelta = TSA_VALIDITY,
) -> _Issued:
    """The chain's TSA certificate (RFC 3161 §2.3): the one extendedKeyUsage
    id-kp-timeStamping, critical; keyUsage digitalSignature + nonRepudiation."""
    key = gost.generate_signing_key() if intermediate.is_gost else _new_key(PERSON_KEY_BITS)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{CA_OPERATOR_BIN}"),
        ]
    )
    extensions = [
        (_key_usage(digital_signature=True, content_commitment=True), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
        (_subject_key_id(key), False),
        (_authority_key_id(intermediate), False),
        (_crl_points(urls.crl(intermediate.id)), False),
        (_aia(urls.ca(intermediate.id), urls.ocsp), False),
    ]
    certificate = _issue(
        subject=subject,
        issuer=intermediate,
        key=key,
        not_before=now - timedelta(days=1),
        not_after=now + validity,
        extensions=extensions,
    )
    return _Issued(tsa_id, certificate, key)


def _write_tsa(
    staging: Path, files: list, issued: _Issued, issuer: _Issued, root: _Issued
) -> dict[str, Any]:
    entry = _write_service(staging, files, issued, issuer, folder="tsa", kind="tsa")
    return {**entry, "chain": [issuer.id, root.id]}


def _write_service(
    staging: Path, files: list, issued: _Issued, issuer: _Issued, *, folder: str, kind: str
) -> dict[str, Any]:
    """The certificate and key of a service of the demo PKI (OCSP responder, TSA) written,
    and its index entry."""
    cert_path = f"{folder}/{issued.id}.pem"
    key_path = f"private/{issued.id}.key"
    _write_atomic(staging / cert_path, issued.certificate.public_bytes(serialization.Encoding.PEM))
    _write_private(staging / key_path, private_key_pem(issued.key))
    files += [
        {"path": cert_path, "kind": f"{kind}_certificate"},
        {"path": key_path, "kind": f"{kind}_private_key"},
    ]
    return {
        "id": issued.id,
        "common_name": issued.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[
            0
        ].value,
        "algorithm": GOST2015_512 if issued.is_gost else RSA,
        "issuer_id": issuer.id,
        "file": cert_path,
        "key": key_path,
        "serial": format(issued.certificate.serial_number, "x"),
        "not_before": _iso(issued.certificate.not_valid_before_utc),
        "not_after": _iso(issued.certificate.not_valid_after_utc),
    }


def person_subject(person: DemoPerson) -> x509.Name:
    """The NCA RDN order of the real files: CN, SN, serialNumber, C, [O, OU], G."""
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, person.common_name),
        x509.NameAttribute(NameOID.SURNAME, person.surname),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{person.iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if person.bin:
        attributes += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, person.organization or ""),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{person.bin}"),
        ]
    attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, person.patronymic))
    return x509.Name(attributes)


def _person_ekus(person: DemoPerson, purpose: str) -> list[x509.ObjectIdentifier]:
    usages = [
        ExtendedKeyUsageOID.EMAIL_PROTECTION
        if purpose == "sign"
        else ExtendedKeyUsageOID.CLIENT_AUTH
    ]
    if person.bin:
        usages.append(x509.ObjectIdentifier(OID_LEGAL_ENTITY))
        usages += [x509.ObjectIdentifier(ROLE_OIDS[role]) for role in person.roles]
    else:
        usages.append(x509.ObjectIdentifier(OID_INDIVIDUAL))
    return usages


def _person_validity(now: datetime, status: str) -> tuple[datetime, datetime]:
    if status == "expired":
        return now - timedelta(days=400), now - timedelta(days=35)
    return now - timedelta(days=1), now + PERSON_VALIDITY


def _make_person_certificate(
    now: datetime, urls: _Urls, intermediate: _Issued, person: DemoPerson, purpose: str
) -> _Issued:
    key = _new_key_for(person.algorithm, PERSON_KEY_BITS)
    not_before, not_after = _person_validity(now, person.status)
    ekus = x509.ExtendedKeyUsage(_person_ekus(person, purpose))
    if intermediate.is_gost:
        # The real GOST-2015 leaves: keyUsage DS + NR + KE for the signing key, policy
        # 1.2.398.3.3.2, AIA (OCSP, caIssuers), CRL DP, EKU, SKI, AKI, NCA's 1.2.398.3.3.5.
        usage = (
            _key_usage(digital_signature=True, content_commitment=True, key_encipherment=True)
            if purpose == "sign"
            else _key_usage(digital_signature=True, key_encipherment=True)
        )
        extensions = [
            (usage, True),
            (_policies(GOST_POLICY), False),
            (_aia(urls.ca(intermediate.id), urls.ocsp, ocsp_first=True), False),
            (_crl_points(urls.crl(intermediate.id)), False),
            (ekus, False),
            (_subject_key_id(key), False),
            (_authority_key_id(intermediate), False),
            (NCA_EXTENSION, False),
        ]
    else:
        usage = (
            _key_usage(digital_signature=True, content_commitment=True)
            if purpose == "sign"
            else _key_usage(digital_signature=True, key_encipherment=True)
        )
        extensions = [
            (_subject_key_id(key), False),
            (usage, True),
            (ekus, False),
            (_authority_key_id(intermediate), False),
            (_policies(POLICY_OIDS[(person.holder, purpose)]), False),
            (_crl_points(urls.crl(intermediate.id)), False),
            (_aia(urls.ca(intermediate.id), urls.ocsp), False),
        ]
    certificate = _issue(
        subject=person_subject(person),
        issuer=intermediate,
        key=key,
        not_before=not_before,
        not_after=not_after,
        extensions=extensions,
    )
    # Revoked an hour after issue: before every moment a test or a demo user signs at.
    revoked_at = not_before + timedelta(hours=1) if person.status == "revoked" else None
    return _Issued(f"{person.id}-{purpose}", certificate, key, revoked_at)


def _p12(issued: _Issued, chain: list[_Issued]) -> bytes:
    """The key file, written as NCA writes its files (``gost_pki.write_pkcs12``)."""
    return gost_pki.write_pkcs12(
        key_pkcs8=_pkcs8(issued.key),
        certificate_der=issued.der,
        chain_der=[ca.der for ca in chain],
        password=DEMO_PASSWORD,
        local_key_id=issued.key_identifier,
    )


def _pkcs8(key) -> bytes:
    if isinstance(key, gost.GostSigningKey):
        return gost.private_key_pkcs8(key)
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _write_atomic(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one (several server
    processes may refresh the same CRL)."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _write_ca(
    staging: Path, files: list, issued: _Issued, parent: _Issued | None, urls: _Urls
) -> dict[str, Any]:
    cert_path = f"ca/{issued.id}.pem"
    key_path = f"private/{issued.id}.key"
    crl_path = f"crl/{issued.id}.crl"
    _write_atomic(staging / cert_path, issued.certificate.public_bytes(serialization.Encoding.PEM))
    _write_private(staging / key_path, private_key_pem(issued.key))
    files += [
        {"path": cert_path, "kind": "ca_certificate", "ca": issued.id},
        {"path": key_path, "kind": "ca_private_key", "ca": issued.id},
        {"path": crl_path, "kind": "crl", "ca": issued.id},
    ]
    return {
        "id": issued.id,
        "role": "root" if parent is None else "intermediate",
        "algorithm": GOST2015_512 if issued.is_gost else RSA,
        "common_name": issued.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[
            0
        ].value,
        "file": cert_path,
        "key": key_path,
        "crl": crl_path,
        "crl_url": urls.crl(issued.id),
        "certificate_url": urls.ca(issued.id),
        "serial": format(issued.certificate.serial_number, "x"),
        "not_before": _iso(issued.certificate.not_valid_before_utc),
        "not_after": _iso(issued.certificate.not_valid_after_utc),
    }


def _write_responder(
    staging: Path, files: list, issued: _Issued, issuer: _Issued, urls: _Urls
) -> dict[str, Any]:
    entry = _write_service(staging, files, issued, issuer, folder="ocsp", kind="ocsp_responder")
    return {**entry, "url": urls.ocsp}


def _ca_certificate_entry(issued: _Issued, issuer_id: str, purpose: str = "ca") -> dict[str, Any]:
    return {
        "file": f"{purpose if purpose in ('ocsp', 'tsa') else 'ca'}/{issued.id}.pem",
        "person": None,
        "purpose": purpose,
        "issuer_id": issuer_id,
        "serial": format(issued.certificate.serial_number, "x"),
        "status": "valid",
        "revoked_at": None,
        "revocation_reason": None,
        "not_before": _iso(issued.certificate.not_valid_before_utc),
        "not_after": _iso(issued.certificate.not_valid_after_utc),
    }


def _person_certificate_entry(
    person: DemoPerson, purpose: str, issued: _Issued, relative: str, issuer_id: str
) -> dict[str, Any]:
    return {
        "file": relative,
        "person": person.id,
        "common_name": person.common_name,
        "role": person.role,
        "holder": person.holder,
        "roles": list(person.roles),
        "purpose": purpose,
        "iin": person.iin,
        "bin": person.bin,
        "issuer_id": issuer_id,
        "algorithm": person.algorithm,
        "serial": format(issued.certificate.serial_number, "x"),
        "status": person.status,
        "revoked_at": _iso(issued.revoked_at) if issued.revoked_at else None,
        "revocation_reason": "key_compromise" if issued.revoked_at else None,
        "not_before": _iso(issued.certificate.not_valid_before_utc),
        "not_after": _iso(issued.certificate.not_valid_after_utc),
        "password": DEMO_PASSWORD,
    }


def _summary(directory: Path, index: dict[str, Any], *, created: bool) -> DemoPkiSummary:
    return DemoPkiSummary(
        directory=str(directory),
        created=created,
        base_url=index["base_url"],
        password=index["password"],
        trust_anchors_dir=str(directory / index["trust_anchors_dir"]),
        provider_bin=index["provider_bin"],
        crl_urls=[ca["crl_url"] for ca in index["cas"]],
        ocsp_url=index["ocsp_responders"][0]["url"],
        people=[
            {
                "id": p["id"],
                "role": p["role"],
                "common_name": p["common_name"],
                "iin": p["iin"],
                "bin": p["bin"],
                "status": p["status"],
                "algorithm": p["algorithm"],
                "sign_p12": str(directory / p["sign_p12"]),
                "auth_p12": str(directory / p["auth_p12"]),
            }
            for p in index["people"]
        ],
    )


assert all(is_valid_identifier(p.iin) for p in PEOPLE)  # noqa: S101 -- a typo here must fail loudly
