"""RFC 3161 time-stamping: the client qyzmet asks a TSA with, and the check of a token.

:func:`timestamp` is the public entry point: a time-stamp token over any bytes from the
configured TSA, verified before it is returned. The results' PAdES signature
(``results/pades.py``) stamps the head's signature value with it (the CAdES
signature-time-stamp, id-aa-signatureTimeStampToken); anything else that needs proof that
some bytes existed at a moment (signed audit checkpoints) calls it the same way.

A request carries a random 64-bit nonce and certReq = true (and the policy, when one is
configured). A token is accepted only when (:func:`verify_token`):

1. the answer is a granted TimeStampResp holding a SignedData over a TSTInfo
   → ``tsa_bad_response`` (garbage, an HTML error page, ``rejection``);
2. its messageImprint is the digest of the stamped bytes, with the algorithm asked
   → ``tsa_imprint_mismatch``;
3. the nonce is the one sent, the policy the configured one
   → ``tsa_untrusted``;
4. the signature verifies (qyzmet's CMS verifier: RSA or GOST 34.10-2015), the TSA's
   certificate chains to a trusted root, is valid at genTime and has the one critical
   extendedKeyUsage id-kp-timeStamping (RFC 3161 §2.3) → ``tsa_untrusted``; a token signed
   with GOST 34.310-2004, which no library here can verify (``gost.py``), →
   ``tsa_unsupported_algorithm``;
5. genTime lies within ``QYZMET_TSA_MAX_SKEW`` seconds of this server's clock (fresh
   tokens only) → ``tsa_untrusted``.
The TSA not answering at all (connection refused, timeout, HTTP error) → ``tsa_unreachable``.
Each is a :class:`~qyzmet.core.refusals.Refused`: the caller's transaction rolls back, and
the person who asked is told why and may try again.

Settings (each with a default):

- ``QYZMET_TSA_URL``: the TSA's address. Default: in demo mode the demo PKI's TSA served by
  the demo PKI services (``http://127.0.0.1:{QYZMET_DEMO_SERVICES_PORT}/eds/demo/tsa/``; ``qyzmet
  serve`` sets it to the port the demo PKI records), else NCA's TSP service
  ``http://tsp.pki.gov.kz:80``.
- ``QYZMET_TSA_URL_GOST``: the TSA asked for Streebog imprints — everything stamped for a
  GOST 34.10-2015 signature (a GOST result's signature and document time-stamps), so that its
  tokens are GOST-signed too. Default: ``QYZMET_TSA_URL`` (NCA's one TSP service and the demo
  TSA both answer a Streebog imprint with their GOST unit: the demo PKI's "TSA ҰКО (GOST)
  DEMO"); set it when GOST stamps come from another address.
- ``QYZMET_TSA_POLICY`` ("1.2.398.3.3.2.6.1", NCA's TSA policy, which the demo TSA also
  answers with): asked for in the request and required in the token ("" = any policy).
- ``QYZMET_TSA_TIMEOUT`` (10 s): how long to wait for the TSA.
- ``QYZMET_TSA_TRUST_ANCHORS_DIR`` (None): the roots a TSA certificate must chain to; None
  means the EDS trust anchors (``QYZMET_EDS_TRUST_ANCHORS_DIR``; demo: the demo PKI).
- ``QYZMET_TSA_MAX_SKEW`` (300 s): how far a fresh token's genTime may be from our clock.
"""

from __future__ import annotations

import hmac
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from asn1crypto import cms, core, tsp
from django.conf import settings
from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import Refused, register

from .algorithms import DIGESTS, digest
from .certificate import Certificate, name_attribute
from .chain import TIMESTAMP, TrustStore
from .cms import verify_cms
from .errors import EdsError
from .revocation import RevocationSources

OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
OID_SIGNATURE_TIME_STAMP_TOKEN = "1.2.840.113549.1.9.16.2.14"  # noqa: S105 -- an OID
NCA_TSA_POLICY = "1.2.398.3.3.2.6.1"
NCA_TSA_URL = "http://tsp.pki.gov.kz:80"
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
MAX_REPLY_BYTES = 256 * 1024

# Digest OIDs a request may name: the SHA-2 family and Streebog under NCA's OIDs.
SHA256 = "2.16.840.1.101.3.4.2.1"
STREEBOG512 = "1.2.398.3.10.1.3.3"
GOST_DIGESTS = frozenset(oid for oid, name in DIGESTS.items() if name.startswith("streebog"))

DEFAULTS: dict[str, Any] = {
    "URL": None,
    "URL_GOST": None,
    "POLICY": NCA_TSA_POLICY,
    "TIMEOUT": 10.0,
    "TRUST_ANCHORS_DIR": None,
    "MAX_SKEW": 300,
}

register(
    "tsa_unreachable",
    gettext_lazy(
        "Служба меток времени (TSA) не ответила. Подпись не завершена, документ не выдан; повторите подписание позже."
    ),
    status=409,
)
register(
    "tsa_bad_response",
    gettext_lazy(
        "Служба меток времени (TSA) ответила не меткой времени. Подпись не завершена, документ не выдан; повторите подписание позже."
    ),
    status=409,
)
register(
    "tsa_imprint_mismatch",
    gettext_lazy("Метка времени выдана не на эту подпись (отпечаток не совпадает); она отклонена."),
    status=409,
)
register(
    "tsa_untrusted",
    gettext_lazy(
        "Метка времени не прошла проверку (подпись службы, её сертификат, политика или время); она отклонена."
    ),
    status=409,
)
register(
    "tsa_unsupported_algorithm",
    gettext_lazy(
        "Метка времени подписана алгоритмом ГОСТ 34.310-2004, который не проверяется; она отклонена."
    ),
    status=409,
)


def setting(name: str) -> Any:
    return getattr(settings, f"QYZMET_TSA_{name}", DEFAULTS[name])


def tsa_url(hash_algorithm: str | None = None) -> str:
    """The TSA asked for an imprint of ``hash_algorithm``: ``QYZMET_TSA_URL_GOST`` for
    Streebog (when set), ``QYZMET_TSA_URL`` otherwise (see the module)."""
    if hash_algorithm in GOST_DIGESTS and setting("URL_GOST"):
        return str(setting("URL_GOST"))
    configured = setting("URL")
    if configured:
        return str(configured)
    from .conf import demo_mode

    if demo_mode():
        port = int(getattr(settings, "QYZMET_DEMO_SERVICES_PORT", 8001))
        return f"http://127.0.0.1:{port}/eds/demo/tsa/"
    return NCA_TSA_URL


def trust_store() -> TrustStore:
    from . import conf

    directory = setting("TRUST_ANCHORS_DIR") or conf.get("TRUST_ANCHORS_DIR")
    try:
        return TrustStore.from_directory(Path(directory))
    except FileNotFoundError:
        return TrustStore([])


class TsaError(Refused):
    """A refusal about a time-stamp; ``detail`` says what exactly (English, for logs)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, {"detail": detail} if detail else {})
        self.detail = detail


@dataclass(frozen=True)
class TimestampToken:
    """A verified (or, from :func:`parse_token`, only parsed) RFC 3161 time-stamp token."""

    der: bytes  # the ContentInfo (SignedData over TSTInfo), as received
    gen_time: datetime
    policy: str
    serial_number: int
    nonce: int | None
    hash_algorithm: str  # dotted OID of the message imprint's digest
    imprint: bytes
    certificates: tuple[bytes, ...]

    @cached_property
    def signer_certificate(self) -> Certificate | None:
        signed = cms.ContentInfo.load(self.der)["content"]
        sid = signed["signer_infos"][0]["sid"]
        for der in self.certificates:
            certificate = Certificate.from_der(der)
            if sid.name == "issuer_and_serial_number":
                wanted = sid.chosen
                if (
                    certificate.serial == wanted["serial_number"].native
                    and certificate.issuer_der == wanted["issuer"].dump()
                ):
                    return certificate
            elif certificate.subject_key_identifier == sid.chosen.native:
                return certificate
        return None

    @property
    def tsa_name(self) -> str:
        """The TSA as its certificate names it (CN, and O when there is one)."""
        certificate = self.signer_certificate
        if certificate is None:
            return ""
        common = certificate.subject_common_name or ""
        organization = name_attribute(certificate.subject, "2.5.4.10") or ""
        return f"{common} ({organization})" if organization and organization != common else common


def digest_of(data: bytes, hash_algorithm: str = SHA256) -> bytes:
    try:
        return digest(hash_algorithm, bytes(data))
    except EdsError as error:
        raise TsaError("tsa_bad_response", f"digest {hash_algorithm}") from error


# --- the client ---------------------------------------------------------------------------


def build_request(imprint: bytes, hash_algorithm: str, nonce: int, policy: str = "") -> bytes:
    request: dict[str, Any] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": hash_algorithm},
            "hashed_message": imprint,
        },
        "nonce": nonce,
        "cert_req": True,
    }
    if policy:
        request["req_policy"] = policy
    return tsp.TimeStampReq(request).dump()


def _post(url: str, body: bytes, timeout: float) -> bytes:
    request = urllib.request.Request(  # noqa: S310 -- the operator's configured TSA address
        url, data=body, headers={"Content-Type": QUERY_TYPE, "Accept": REPLY_TYPE}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.read(MAX_REPLY_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise TsaError("tsa_unreachable", f"HTTP {error.code} from {url}") from error
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        raise TsaError("tsa_unreachable", f"{url}: {error}") from error


def timestamp(
    data: bytes,
    *,
    hash_algorithm: str = SHA256,
    url: str | None = None,
    policy: str | None = None,
) -> TimestampToken:
    """A verified time-stamp token over ``data`` from the configured TSA (``QYZMET_TSA_URL``).

    ``hash_algorithm`` is the digest's OID (SHA-256 by default; Streebog-512,
    ``STREEBOG512``, for what is signed with GOST). Raises :class:`TsaError` (a
    ``Refused``) when the TSA is unreachable or its answer is not a valid token for ``data``.
    """
    return timestamp_digest(
        digest_of(data, hash_algorithm), hash_algorithm=hash_algorithm, url=url, policy=policy
    )


def timestamp_digest(
    imprint: bytes,
    *,
    hash_algorithm: str = SHA256,
    url: str | None = None,
    policy: str | None = None,
) -> TimestampToken:
    """:func:`timestamp` for a digest computed by the caller."""
    policy = setting("POLICY") if policy is None else policy
    nonce = secrets.randbits(63)
    body = build_request(imprint, hash_algorithm, nonce, policy or "")
    reply = _post(url or tsa_url(hash_algorithm), body, float(setting("TIMEOUT")))
    token = parse_response(reply)
    return verify_token(
        token,
        imprint=imprint,
        hash_algorithm=hash_algorithm,
        nonce=nonce,
        policy=policy or None,
        fresh=True,
    )


# --- parsing and checking -----------------------------------------------------------------


def parse_response(reply: bytes) -> bytes:
    """The token (ContentInfo DER) of a granted TimeStampResp."""
    if len(reply) > MAX_REPLY_BYTES:
        raise TsaError("tsa_bad_response", "reply too large")
    try:
        status_info = response_status(reply)
        status = status_info["status"].native
        if status not in ("granted", "granted_with_mods"):
            failure = status_info["fail_info"].native
            raise TsaError("tsa_bad_response", f"status {status}: {failure}")
        response = tsp.TimeStampResp.load(bytes(reply), strict=True)
        token = response["time_stamp_token"]
        if token is None or isinstance(token, core.Void) or not token.contents:
            raise TsaError("tsa_bad_response", "granted without a token")
        return token.dump()
    except TsaError:
        raise
    except Exception as error:  # noqa: BLE001  (garbage: any parse error)
        raise TsaError("tsa_bad_response", f"not a TimeStampResp: {error!r}") from error


def response_status(reply: bytes) -> tsp.PKIStatusInfo:
    """The PKIStatusInfo of a TimeStampResp (a rejection has no token after it)."""
    return tsp.PKIStatusInfo.load(core.Sequence.load(bytes(reply), strict=True)[0].dump())


def parse_token(der: bytes) -> TimestampToken:
    """The token's TSTInfo and certificates; nothing verified yet."""
    try:
        info = cms.ContentInfo.load(bytes(der), strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        encapsulated = signed["encap_content_info"]
        if encapsulated["content_type"].dotted != OID_TST_INFO:
            raise ValueError("the content is not a TSTInfo")
        tst = encapsulated["content"].parsed
        imprint = tst["message_imprint"]
        nonce = tst["nonce"].native
        certificates = tuple(
            choice.chosen.dump()
            for choice in (signed["certificates"] or ())
            if choice.name == "certificate"
        )
        return TimestampToken(
            der=info.dump(),
            gen_time=tst["gen_time"].native.astimezone(UTC),
            policy=tst["policy"].dotted,
            serial_number=tst["serial_number"].native,
            nonce=nonce,
            hash_algorithm=imprint["hash_algorithm"]["algorithm"].dotted,
            imprint=imprint["hashed_message"].native,
            certificates=certificates,
        )
    except Exception as error:  # noqa: BLE001
        raise TsaError("tsa_bad_response", f"not a time-stamp token: {error!r}") from error


def verify_token(
    token: bytes | TimestampToken,
    *,
    data: bytes | None = None,
    imprint: bytes | None = None,
    hash_algorithm: str | None = None,
    nonce: int | None = None,
    policy: str | None = None,
    trust: TrustStore | None = None,
    fresh: bool = False,
) -> TimestampToken:
    """Check ``token`` (steps 2–5 of the module's list) and return it parsed.

    Give the stamped ``data`` (its digest is computed with the token's algorithm) or its
    ``imprint`` (and, to insist on one, ``hash_algorithm``). ``trust``: the TSA roots
    (default :func:`trust_store`). ``fresh``: genTime must be close to now."""
    parsed = token if isinstance(token, TimestampToken) else parse_token(token)
    if hash_algorithm is not None and parsed.hash_algorithm != hash_algorithm:
        raise TsaError("tsa_imprint_mismatch", f"imprint algorithm {parsed.hash_algorithm}")
    if parsed.hash_algorithm not in DIGESTS:
        raise TsaError("tsa_untrusted", f"unknown imprint digest {parsed.hash_algorithm}")
    if data is not None:
        imprint = digest(parsed.hash_algorithm, bytes(data))
    if imprint is None or not hmac.compare_digest(parsed.imprint, bytes(imprint)):
        raise TsaError("tsa_imprint_mismatch", "the message imprint is not the stamped digest")
    if nonce is not None and parsed.nonce != nonce:
        raise TsaError("tsa_untrusted", "the nonce is not the one sent")
    if policy and parsed.policy != policy:
        raise TsaError("tsa_untrusted", f"policy {parsed.policy}, expected {policy}")
    verdict = verify_cms(
        parsed.der,
        None,
        trust=trust if trust is not None else trust_store(),
        at=parsed.gen_time,
        revocation=RevocationSources(required=False),
        purpose=TIMESTAMP,
    )
    if not verdict.valid:
        if verdict.code in ("gost2004_retired", "unsupported_algorithm"):
            raise TsaError("tsa_unsupported_algorithm", verdict.detail or verdict.code)
        raise TsaError("tsa_untrusted", f"{verdict.code}: {verdict.detail}")
    if verdict.signed_attributes.get("content_type") != OID_TST_INFO:
        raise TsaError("tsa_untrusted", "contentType attribute is not id-ct-TSTInfo")
    if fresh:
        skew = timedelta(seconds=int(setting("MAX_SKEW")))
        if abs(datetime.now(UTC) - parsed.gen_time) > skew:
            raise TsaError("tsa_untrusted", f"genTime {parsed.gen_time.isoformat()} is not now")
    return parsed


def check_token_certificate(token: TimestampToken, trust: TrustStore | None = None) -> None:
    """The TSA certificate's own checks without the token's signature: the one critical
    id-kp-timeStamping usage, validity at genTime, and an issuer among the trusted
    certificates (by name and key identifier). For tokens whose signature cannot be
    verified here (GOST 34.310-2004, :func:`verify_token` → ``tsa_unsupported_algorithm``)
    this is what can still be said about them."""
    from .chain import check_period, check_purpose

    certificate = token.signer_certificate
    if certificate is None:
        raise TsaError("tsa_bad_response", "the token does not carry its TSA certificate")
    try:
        check_purpose(certificate, TIMESTAMP)
        check_period([certificate], token.gen_time)
    except EdsError as error:
        raise TsaError("tsa_untrusted", error.detail or error.code) from error
    store = trust if trust is not None else trust_store()
    for anchor in store.anchors:
        if anchor.subject_der == certificate.issuer_der and (
            certificate.authority_key_identifier is None
            or certificate.authority_key_identifier == anchor.subject_key_identifier
        ):
            return
    raise TsaError("tsa_untrusted", "the TSA certificate's issuer is not trusted")
