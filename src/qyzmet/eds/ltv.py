"""Validation material for long-term signatures: the certificates of a signer's path and the
revocation evidence (CRLs, OCSP answers) for each of them, as PAdES B-LT embeds it in the
PDF's Document Security Store (ETSI EN 319 142-1 §5.4; ``results/pades.py``).

For every certificate of the path up to the self-signed root the evidence is, in order: an
OCSP answer asked for now (end-entity certificates: the signer's, the TSA's), the issuer's
CRL from the CRL files the verifier reads (``QYZMET_EDS_CRL_FILES``; demo mode: the demo
CAs'), or one downloaded from the certificate's distribution points. What cannot be had is listed in ``missing``: the caller decides (the
results refuse nothing for it — the signature was checked live when it was made — but an
independent validator will then find the document B-T, not B-LT).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp

from .certificate import Certificate
from .errors import EdsError

logger = logging.getLogger(__name__)


@dataclass
class Material:
    certificates: list[bytes] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def _add(self, bucket: list[bytes], der: bytes) -> None:
        if der not in bucket:
            bucket.append(der)


def _crl_issuer(data: bytes) -> tuple[bytes, datetime | None] | None:
    try:
        parsed = asn1_crl.CertificateList.load(data)
        tbs = parsed["tbs_cert_list"]
        next_update = tbs["next_update"].native
        return tbs["issuer"].dump(), next_update
    except Exception:  # noqa: BLE001  (an unreadable file offers nothing)
        return None


def material_for(
    chains: list[tuple[bytes, list[bytes]]], *, now: datetime | None = None
) -> Material:
    """The paths of each (end certificate, certificates offered with it) to a trust anchor
    of the EDS verifier, and revocation evidence for every non-anchor certificate."""
    from .service import verifier

    service = verifier()
    moment = now or datetime.now(UTC)
    material = Material()
    local_crls = [(data, _crl_issuer(data)) for data in service.crls]
    for end, offered in chains:
        try:
            path = service.trust.build_path(
                Certificate.from_der(end), [Certificate.from_der(der) for der in offered]
            )
        except EdsError as error:
            material.missing.append(f"path: {error.code}")
            continue
        path = _up_to_the_root(path, service.trust.anchors)
        for position, certificate in enumerate(path):
            material._add(material.certificates, certificate.der)
            if position + 1 >= len(path):
                break  # the self-signed root: trusted as it is
            issuer = path[position + 1]
            # An OCSP answer made now — after the signature time-stamp — is what a validator
            # years later accepts as evidence for the signing time (ETSI EN 319 102-1: the
            # revocation information must be issued after the best-signature-time); a CRL
            # issued before it is the fallback.
            answer = _ask_ocsp(service, certificate, issuer)
            if answer is not None:
                material._add(material.ocsps, answer)
                continue
            found = next(
                (
                    data
                    for data, about in local_crls
                    if about is not None
                    and about[0] == issuer.subject_der
                    and (about[1] is None or about[1] >= moment)
                ),
                None,
            )
            if found is None:
                found = _download_crl(service, certificate)
            if found is not None:
                material._add(material.crls, found)
            else:
                material.missing.append(repr(certificate))
    return material


def _up_to_the_root(path: list[Certificate], anchors: list[Certificate]) -> list[Certificate]:
    """The verifier trusts every certificate in its anchors folder (an intermediate CA too),
    but another validator trusts only the root: the path goes on through the anchors up to a
    self-issued certificate, so the intermediates' revocation evidence is embedded too."""
    path = list(path)
    while not path[-1].is_self_issued:
        issuer = next(
            (
                anchor
                for anchor in anchors
                if anchor.subject_der == path[-1].issuer_der and anchor not in path
            ),
            None,
        )
        if issuer is None:
            break
        path.append(issuer)
    return path


def _download_crl(service, certificate: Certificate) -> bytes | None:
    if service.fetcher is None:
        return None
    for url in certificate.crl_urls:
        try:
            data = service.fetcher.crl(url)
        except Exception:  # noqa: BLE001  (unreachable: try the next source)
            logger.info("CRL %s not reachable for the DSS", url, exc_info=True)
            continue
        if _crl_issuer(data) is not None:
            return data
    return None


def _ask_ocsp(service, certificate: Certificate, issuer: Certificate) -> bytes | None:
    if service.fetcher is None or certificate.is_ca:
        return None  # a CA's own status is in its issuer's CRL (NCA runs no OCSP for CAs)
    try:
        answer, _nonce = service.fetcher.ocsp(certificate, issuer)
        parsed = asn1_ocsp.OCSPResponse.load(answer)
        if parsed["response_status"].native != "successful":
            return None
        single = parsed.basic_ocsp_response["tbs_response_data"]["responses"][0]
        if single["cert_status"].name != "good":
            return None
    except Exception:  # noqa: BLE001  (unreachable or garbage: fall back to the CRL)
        logger.info("OCSP not usable for %r", certificate, exc_info=True)
        return None
    return answer
