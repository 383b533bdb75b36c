"""Revocation status by CRL and OCSP (regulation p.10, условие 2: «отсутствие в списке
отозванных (аннулированных) регистрационных свидетельств»).

Rules (EDS.md, "Revocation"):

* a CRL counts only if its signature verifies with the key of the certificate's issuer,
  it is a full CRL (not a delta), and the moment is not after its nextUpdate;
* an OCSP response counts only if it is ``successful``, signed by the issuing CA itself or
  by a responder certificate that CA issued with id-kp-OCSPSigning (valid when the response
  was produced), its CertID names this certificate and this issuer, its nonce matches the
  one we sent (when we sent one), and its thisUpdate/nextUpdate cover the moment;
* ``unknown``, unreachable, stale, unsigned or unverifiable is never "good": with
  revocation required the verdict is ``revocation_unknown``;
* a source that is newer than the moment (thisUpdate after it) still speaks for the moment:
  a revocation dated after the moment does not revoke, one dated at or before it does.
  A "revoked" answer wins over a "good" one from another source.

Parsed and verified CRLs are cached by (CRL bytes, issuer) for good, and the newest one per
issuer is kept for live look-ups until its nextUpdate (wall clock). A verified "good" or
"revoked" answer fetched live from an OCSP responder is reused for the same certificate for
``ocsp_reuse`` (wall clock, default 5 minutes, 0 = never) and never beyond what the answer
itself covers: every sign-up, log-in and submission does not wait for the responder, and a
revocation is seen at the latest that much later.
"""

from __future__ import annotations

import hashlib
import os
import threading
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import core, crl, ocsp

from .algorithms import DIGESTS, verify_signature
from .certificate import Certificate, as_utc, raw_certificates
from .errors import EdsError
from .profile import EKU_OCSP_SIGNING

GOOD = "good"
REVOKED = "revoked"
UNKNOWN = "unknown"

MAX_REVOCATION_BYTES = 32 * 1024 * 1024
_DELTA_CRL_INDICATOR = "2.5.29.27"
_ISSUING_DISTRIBUTION_POINT = "2.5.29.28"
_KNOWN_CRL_EXTENSIONS = {
    "2.5.29.20",
    "2.5.29.35",
    _DELTA_CRL_INDICATOR,
    _ISSUING_DISTRIBUTION_POINT,
}
_NONCE = "1.3.6.1.5.5.7.48.1.2"
_MISSING = object()


@dataclass(frozen=True)
class RevocationStatus:
    status: str  # good / revoked / unknown
    source: str | None = None  # "crl" or "ocsp"
    revoked_at: datetime | None = None
    reason: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class ParsedCrl:
    issuer_fingerprint: bytes
    this_update: datetime
    next_update: datetime | None
    revoked: dict[int, tuple[datetime, str | None]] = field(repr=False)

    def status_at(self, serial: int, at: datetime) -> RevocationStatus | None:
        """None when this CRL does not speak for ``at`` (stale)."""
        if self.next_update is not None and at > self.next_update:
            return None
        entry = self.revoked.get(serial)
        if entry is not None and entry[0] <= at:
            return RevocationStatus(REVOKED, "crl", entry[0], entry[1])
        return RevocationStatus(GOOD, "crl")


class RevocationCache:
    """In-process cache of verified CRLs and OCSP answers; safe to share between threads."""

    def __init__(
        self,
        max_entries: int = 256,
        clock: Callable[[], datetime] | None = None,
        ocsp_reuse: timedelta = timedelta(minutes=5),
    ):
        self.max_entries = max_entries
        self.clock = clock or (lambda: datetime.now(UTC))
        self.ocsp_reuse = ocsp_reuse
        self._parsed: OrderedDict[tuple[bytes, bytes], ParsedCrl | str] = OrderedDict()
        self._latest: dict[bytes, ParsedCrl] = {}
        self._ocsp: OrderedDict[tuple[bytes, bytes, bytes], tuple] = OrderedDict()
        self._live_ocsp: OrderedDict[tuple[bytes, bytes], tuple] = OrderedDict()
        self._lock = threading.Lock()

    def _remember(self, store: OrderedDict, key, value) -> None:
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            while len(store) > self.max_entries:
                store.popitem(last=False)

    def parsed_crl(self, data: bytes, issuer: Certificate) -> ParsedCrl | str:
        """The verified CRL, or the code explaining why it does not count for ``issuer``."""
        key = (hashlib.sha256(data).digest(), issuer.fingerprint)
        found = self._parsed.get(key)
        if found is None:
            try:
                found = _parse_crl(data, issuer)
            except EdsError as error:
                found = f"{error.code}: {error.detail}"
            self._remember(self._parsed, key, found)
            if isinstance(found, ParsedCrl):
                self._offer_latest(found)
        return found

    def _offer_latest(self, parsed: ParsedCrl) -> None:
        with self._lock:
            current = self._latest.get(parsed.issuer_fingerprint)
            if current is None or parsed.this_update > current.this_update:
                self._latest[parsed.issuer_fingerprint] = parsed

    def latest_crl(self, issuer: Certificate) -> ParsedCrl | None:
        """The newest verified CRL of ``issuer``, while the wall clock is before its
        nextUpdate (after that it must be fetched again)."""
        parsed = self._latest.get(issuer.fingerprint)
        if parsed is None:
            return None
        if parsed.next_update is not None and self.clock() > parsed.next_update:
            with self._lock:
                self._latest.pop(issuer.fingerprint, None)
            return None
        return parsed

    def remember_live_ocsp(self, certificate: Certificate, issuer: Certificate, answer) -> None:
        """Keep a verified live answer that says good or revoked (never unknown)."""
        if self.ocsp_reuse > timedelta(0) and answer.status in (GOOD, REVOKED):
            key = (certificate.fingerprint, issuer.fingerprint)
            self._remember(self._live_ocsp, key, (answer, self.clock()))

    def live_ocsp(self, certificate: Certificate, issuer: Certificate):
        """The live answer fetched for ``certificate`` less than ``ocsp_reuse`` ago, if any."""
        key = (certificate.fingerprint, issuer.fingerprint)
        found = self._live_ocsp.get(key)
        if found is None:
            return None
        answer, fetched_at = found
        if self.clock() - fetched_at > self.ocsp_reuse:
            with self._lock:
                self._live_ocsp.pop(key, None)
            return None
        return answer

    def ocsp_answer(self, data, certificate, issuer, trust, expected_nonce):
        key = (
            hashlib.sha256(data).digest() + (expected_nonce or b""),
            certificate.fingerprint,
            issuer.fingerprint,
        )
        found = self._ocsp.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = _parse_ocsp(data, certificate, issuer, trust, expected_nonce)
            except EdsError as error:
                found = f"{error.code}: {error.detail}"
            self._remember(self._ocsp, key, found)
        return found


OcspFetcher = Callable[[Certificate, Certificate], "bytes | tuple[bytes, bytes | None]"]
CrlFetcher = Callable[[str], bytes]


@dataclass
class RevocationSources:
    """Where revocation answers come from: bytes given up front (``crls``,
    ``ocsp_responses``), the cache, and optional live fetchers. ``required`` is the policy:
    when no source answers, the verdict is ``revocation_unknown``; when False, a missing
    answer is tolerated (never a ``revoked`` or ``unknown`` one)."""

    crls: Iterable[bytes] = ()
    ocsp_responses: Iterable[bytes] = ()
    ocsp_fetcher: OcspFetcher | None = None
    crl_fetcher: CrlFetcher | None = None
    cache: RevocationCache | None = None
    required: bool = True
    ocsp_max_age: timedelta = timedelta(hours=1)
    crl_urls: tuple[str, ...] = ()  # tried after the certificate's own distribution points
    live_order: tuple[str, ...] = ("ocsp", "crl")

    def __post_init__(self) -> None:
        self.crls = tuple(self.crls)
        self.ocsp_responses = tuple(self.ocsp_responses)
        if self.cache is None:
            self.cache = RevocationCache()


def check_revocation(
    certificate: Certificate,
    issuer: Certificate,
    *,
    at: datetime,
    sources: RevocationSources,
    trust,
) -> RevocationStatus:
    """Raise ``EdsError('revoked')`` or ``EdsError('revocation_unknown')``; return the
    answer that showed the certificate good (or an ``unknown`` one when not required)."""
    moment = as_utc(at)
    answers: list[RevocationStatus] = []
    notes: list[str] = []
    cache = sources.cache

    for data in sources.ocsp_responses:
        _collect(
            cache.ocsp_answer(data, certificate, issuer, trust, None),
            moment,
            sources,
            answers,
            notes,
        )
    for data in sources.crls:
        _collect(cache.parsed_crl(data, issuer), moment, sources, answers, notes, certificate)
    if not answers:
        latest = cache.latest_crl(issuer)
        if latest is not None:
            _collect(latest, moment, sources, answers, notes, certificate)
    if not answers and "ocsp" in sources.live_order:
        recent = cache.live_ocsp(certificate, issuer)
        if recent is not None:
            _collect(recent, moment, sources, answers, notes)
    for live in sources.live_order:
        if answers:
            break
        if live == "ocsp" and sources.ocsp_fetcher is not None:
            _ask_ocsp(certificate, issuer, moment, sources, trust, answers, notes)
        elif live == "crl" and sources.crl_fetcher is not None:
            _ask_crl(certificate, issuer, moment, sources, answers, notes)

    for answer in answers:
        if answer.status == REVOKED:
            raise EdsError(
                "revoked", f"{answer.source}: revoked at {answer.revoked_at} ({answer.reason})"
            )
    for answer in answers:
        if answer.status == GOOD:
            return answer
    if sources.required:
        raise EdsError("revocation_unknown", "; ".join(notes) or "no revocation source")
    return RevocationStatus(UNKNOWN, detail="; ".join(notes))


def _ask_ocsp(certificate, issuer, moment, sources, trust, answers, notes) -> None:
    try:
        fetched = sources.ocsp_fetcher(certificate, issuer)
    except (OSError, ValueError) as exc:
        notes.append(f"OCSP unreachable: {exc}")
        return
    data, nonce = fetched if isinstance(fetched, tuple) else (fetched, None)
    found = _parse_ocsp_safely(data, certificate, issuer, trust, nonce)
    if isinstance(found, OcspAnswer):
        sources.cache.remember_live_ocsp(certificate, issuer, found)
    _collect(found, moment, sources, answers, notes)


def _ask_crl(certificate, issuer, moment, sources, answers, notes) -> None:
    urls = list(dict.fromkeys([*certificate.crl_urls, *sources.crl_urls]))
    for url in urls:
        try:
            data = sources.crl_fetcher(url)
        except (OSError, ValueError) as exc:
            notes.append(f"CRL {url} unreachable: {exc}")
            continue
        found = sources.cache.parsed_crl(data, issuer)
        if isinstance(found, str) and found.startswith("untrusted_chain"):
            continue  # another CA's CRL (the list names several); not an answer
        _collect(found, moment, sources, answers, notes, certificate)
        if answers:
            return


def _collect(found, moment, sources, answers, notes, certificate=None) -> None:
    if isinstance(found, str):
        notes.append(found)
        return
    if isinstance(found, ParsedCrl):
        status = found.status_at(certificate.serial, moment)
        if status is None:
            notes.append("CRL is stale for the moment")
        else:
            answers.append(status)
        return
    if found is None:
        return  # an OCSP response about another certificate
    status = _ocsp_status_at(found, moment, sources.ocsp_max_age)
    if status is None:
        notes.append("OCSP response does not cover the moment")
    elif status.status == UNKNOWN:
        notes.append("OCSP responder says unknown")
    else:
        answers.append(status)


# --- CRL
def _parse_crl(data: bytes, issuer: Certificate) -> ParsedCrl:
    if not data or len(data) > MAX_REVOCATION_BYTES:
        raise EdsError("malformed", "empty or huge CRL")
    try:
        from .certificate import pem_or_der

        der = pem_or_der(data, "X509 CRL")[0]
        parsed = crl.CertificateList.load(der, strict=True)
        tbs = parsed["tbs_cert_list"]
        signature_oid = parsed["signature_algorithm"]["algorithm"].dotted
        signature = parsed["signature"].contents[1:]
        tbs_der = tbs.dump()
        extensions = {
            e["extn_id"].dotted: (bool(e["critical"].native), e) for e in tbs["crl_extensions"]
        }
        issuer_key = tbs["issuer"].hashable
        this_update = as_utc(tbs["this_update"].native)
        next_update = tbs["next_update"].native
        revoked: dict[int, tuple[datetime, str | None]] = {}
        for entry in tbs["revoked_certificates"]:
            reason = None
            for extension in entry["crl_entry_extensions"]:
                if extension["extn_id"].dotted == "2.5.29.21":
                    reason = extension["extn_value"].parsed.native
            revoked[entry["user_certificate"].native] = (
                as_utc(entry["revocation_date"].native),
                reason,
            )
        aki = None
        if "2.5.29.35" in extensions:
            aki = extensions["2.5.29.35"][1]["extn_value"].parsed["key_identifier"].native
    except EdsError:
        raise
    except Exception as exc:
        raise EdsError("malformed", f"unreadable CRL: {exc}") from exc
    if issuer_key != issuer.subject_key:
        raise EdsError("untrusted_chain", "CRL of another issuer")
    if aki and issuer.subject_key_identifier and aki != issuer.subject_key_identifier:
        raise EdsError("untrusted_chain", "CRL signed by another key of the issuer")
    if _DELTA_CRL_INDICATOR in extensions or _ISSUING_DISTRIBUTION_POINT in extensions:
        raise EdsError("unsupported_algorithm", "delta or partitioned CRL")
    if any(
        critical and oid not in _KNOWN_CRL_EXTENSIONS for oid, (critical, _) in extensions.items()
    ):
        raise EdsError("unsupported_algorithm", "unknown critical CRL extension")
    if issuer.key_usage is not None and "crl_sign" not in issuer.key_usage:
        raise EdsError("untrusted_chain", "the issuer may not sign CRLs")
    verify_signature(issuer, signature_oid, tbs_der, signature)
    return ParsedCrl(
        issuer_fingerprint=issuer.fingerprint,
        this_update=this_update,
        next_update=as_utc(next_update) if next_update is not None else None,
        revoked=revoked,
    )


# --- OCSP
@dataclass(frozen=True)
class OcspAnswer:
    status: str
    this_update: datetime
    next_update: datetime | None
    revoked_at: datetime | None
    reason: str | None


def _ocsp_status_at(
    answer: OcspAnswer, moment: datetime, max_age: timedelta
) -> RevocationStatus | None:
    if answer.this_update < moment:
        covered_until = answer.next_update or (answer.this_update + max_age)
        if moment > covered_until:
            return None
    if answer.status == REVOKED:
        if answer.revoked_at is not None and answer.revoked_at <= moment:
            return RevocationStatus(REVOKED, "ocsp", answer.revoked_at, answer.reason)
        return RevocationStatus(GOOD, "ocsp", detail="revoked only after the moment")
    if answer.status == GOOD:
        return RevocationStatus(GOOD, "ocsp")
    return RevocationStatus(UNKNOWN, "ocsp")


def _parse_ocsp_safely(data, certificate, issuer, trust, nonce):
    try:
        return _parse_ocsp(data, certificate, issuer, trust, nonce)
    except EdsError as error:
        return f"{error.code}: {error.detail}"


def _parse_ocsp(
    data: bytes,
    certificate: Certificate,
    issuer: Certificate,
    trust,
    expected_nonce: bytes | None,
) -> OcspAnswer | None:
    """The verified answer about ``certificate``; None when the response is about
    other certificates. Raises ``EdsError`` when the response cannot be trusted."""
    if not data or len(data) > MAX_REVOCATION_BYTES:
        raise EdsError("malformed", "empty or huge OCSP response")
    try:
        response = ocsp.OCSPResponse.load(data, strict=True)
        if response["response_status"].native != "successful":
            raise EdsError("revocation_unknown", f"OCSP {response['response_status'].native}")
        basic = response["response_bytes"]["response"].parsed
        tbs = basic["tbs_response_data"]
        tbs_der = tbs.dump()
        signature_oid = basic["signature_algorithm"]["algorithm"].dotted
        signature = basic["signature"].contents[1:]
        responder_id = tbs["responder_id"]
        produced_at = as_utc(tbs["produced_at"].native)
        embedded = [Certificate.from_der(der) for der in raw_certificates(basic["certs"])]
        nonce = None
        for extension in tbs["response_extensions"] or ():
            if extension["extn_id"].dotted == _NONCE:
                nonce = _nonce_value(extension["extn_value"].contents)
        singles = list(tbs["responses"])
    except EdsError:
        raise
    except Exception as exc:
        raise EdsError("malformed", f"unreadable OCSP response: {exc}") from exc

    single = _matching_single(singles, certificate, issuer)
    if single is None:
        return None
    responder = _authorised_responder(responder_id, embedded, issuer, trust, produced_at)
    verify_signature(responder, signature_oid, tbs_der, signature)
    if expected_nonce is not None and nonce != expected_nonce:
        raise EdsError("revocation_unknown", "OCSP nonce does not match the request")
    status = single["cert_status"]
    revoked_at = reason = None
    if status.name == "revoked":
        revoked_at = as_utc(status.chosen["revocation_time"].native)
        reason = status.chosen["revocation_reason"].native
    next_update = single["next_update"].native
    return OcspAnswer(
        status={"good": GOOD, "revoked": REVOKED}.get(status.name, UNKNOWN),
        this_update=as_utc(single["this_update"].native),
        next_update=as_utc(next_update) if next_update is not None else None,
        revoked_at=revoked_at,
        reason=reason,
    )


def _nonce_value(raw: bytes) -> bytes:
    """RFC 8954 wraps the nonce in an OCTET STRING; some responders send it bare."""
    try:
        value = core.OctetString.load(raw)
        if value.dump() == raw:
            return value.native
    except ValueError:
        pass
    return raw


def _matching_single(singles, certificate: Certificate, issuer: Certificate):
    for single in singles:
        cert_id = single["cert_id"]
        if cert_id["serial_number"].native != certificate.serial:
            continue
        hash_name = DIGESTS.get(cert_id["hash_algorithm"]["algorithm"].dotted)
        if hash_name is None or hash_name.startswith("streebog"):
            continue
        name_hash = hashlib.new(hash_name, certificate.issuer_der).digest()
        key_hash = hashlib.new(hash_name, issuer.public_key_info.key_bytes).digest()
        if (
            cert_id["issuer_name_hash"].native == name_hash
            and cert_id["issuer_key_hash"].native == key_hash
        ):
            return single
    return None


def _authorised_responder(responder_id, embedded, issuer, trust, produced_at) -> Certificate:
    def named(candidate: Certificate) -> bool:
        if responder_id.name == "by_name":
            return candidate.subject_key == responder_id.chosen.hashable
        key_hash = hashlib.sha1(candidate.public_key_info.key_bytes).digest()  # noqa: S324 -- RFC 6960 ResponderID
        return key_hash == responder_id.chosen.native

    if named(issuer):
        return issuer
    for candidate in embedded:
        if not named(candidate):
            continue
        if candidate.issuer_key != issuer.subject_key:
            continue
        if EKU_OCSP_SIGNING not in candidate.extended_key_usage:
            raise EdsError("revocation_unknown", "OCSP responder without id-kp-OCSPSigning")
        if not candidate.not_before <= produced_at <= candidate.not_after:
            raise EdsError("revocation_unknown", "OCSP responder certificate not valid then")
        trust.check_signature(issuer, candidate)
        return candidate
    raise EdsError("revocation_unknown", "OCSP response not signed by an authorised responder")


# --- live fetching (the demo PKI serves CRL and OCSP over HTTP on localhost)
def build_ocsp_request(certificate: Certificate, issuer: Certificate, nonce: bytes) -> bytes:
    request = ocsp.OCSPRequest(
        {
            "tbs_request": {
                "request_list": [
                    {
                        "req_cert": {
                            "hash_algorithm": {"algorithm": "sha256"},
                            "issuer_name_hash": hashlib.sha256(certificate.issuer_der).digest(),
                            "issuer_key_hash": hashlib.sha256(
                                issuer.public_key_info.key_bytes
                            ).digest(),
                            "serial_number": certificate.serial,
                        }
                    }
                ],
                "request_extensions": [
                    {"extn_id": "nonce", "critical": False, "extn_value": core.OctetString(nonce)}
                ],
            }
        }
    )
    return request.dump()


class HttpFetcher:
    """``ocsp`` and ``crl`` callables for :class:`RevocationSources` over plain HTTP(S)
    with timeouts. ``ocsp_url`` overrides the certificate's AIA address (demo mode)."""

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        ocsp_url: str | None = None,
        fallback_ocsp_url: str | None = None,
    ):
        self.timeout = timeout
        self.ocsp_url = ocsp_url
        self.fallback_ocsp_url = fallback_ocsp_url

    def _open(self, request: urllib.request.Request) -> bytes:
        if not request.full_url.startswith(("http://", "https://")):
            raise ValueError(f"not an HTTP URL: {request.full_url}")
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 -- scheme checked above
            return reply.read(MAX_REVOCATION_BYTES + 1)

    def ocsp(self, certificate: Certificate, issuer: Certificate) -> tuple[bytes, bytes]:
        url = self.ocsp_url or next(iter(certificate.ocsp_urls), None) or self.fallback_ocsp_url
        if url is None:
            raise ValueError("the certificate names no OCSP responder")
        nonce = os.urandom(16)
        request = urllib.request.Request(  # noqa: S310 -- scheme checked in _open
            url,
            data=build_ocsp_request(certificate, issuer, nonce),
            headers={"Content-Type": "application/ocsp-request"},
            method="POST",
        )
        return self._open(request), nonce

    def crl(self, url: str) -> bytes:
        return self._open(urllib.request.Request(url))  # noqa: S310 -- scheme checked in _open
