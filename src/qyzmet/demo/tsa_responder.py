"""The demo PKI's time-stamping authority (RFC 3161), as NCA's TSP service answers.

``application/timestamp-query`` in, ``application/timestamp-reply`` out, over HTTP POST
(``views.demo_tsa``, mounted at ``/eds/demo/tsa/`` in demo mode):

* the request's messageImprint is stamped as it is; its digest chooses the TSA unit: a
  SHA-2 imprint gets a token signed with RSA (SHA-256) by the RSA chain's TSA certificate,
  a Streebog imprint (NCA's OIDs) a token signed with GOST 34.10-2015/512 (Streebog-512) by
  the GOST chain's — both signed with qyzmet's own CMS signer (``signing.py``);
* TSTInfo: policy ``NCA_TSA_POLICY`` (a request naming another policy is refused with
  ``unacceptedPolicy``), a random 63-bit serial number, genTime = now (whole seconds,
  accuracy 1 s), the nonce echoed;
* certReq true → the token carries the TSA certificate and its chain, false → none;
* garbage → ``rejection`` / ``badDataFormat``; an unknown digest → ``badAlg``.

Signed attributes: contentType id-ct-TSTInfo, signingTime, messageDigest and ESS
signingCertificateV2 (RFC 5816).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import tsp
from cryptography import x509

from qyzmet.eds.algorithms import DIGESTS
from qyzmet.eds.der import tlv
from qyzmet.eds.signing import sign_with_key
from qyzmet.eds.tsa import NCA_TSA_POLICY, OID_TST_INFO

MAX_REQUEST_BYTES = 16 * 1024
_DIGEST_LENGTHS = {"sha256": 32, "sha384": 48, "sha512": 64, "streebog256": 32, "streebog512": 64}


@dataclass
class TsaUnit:
    certificate: x509.Certificate
    key: object
    chain: list[x509.Certificate]
    gost: bool


def _failure(info: str) -> bytes:
    """TimeStampResp { status rejection, failInfo } without a token (asn1crypto's
    TimeStampResp insists on one, so the SEQUENCE is written here)."""
    status = tsp.PKIStatusInfo({"status": "rejection", "fail_info": tsp.PKIFailureInfo({info})})
    return tlv(0x30, status.dump())


@dataclass
class TsaResponder:
    """The RSA and the GOST unit of the demo TSA."""

    rsa: TsaUnit
    gost: TsaUnit | None = None
    policy: str = NCA_TSA_POLICY

    def respond(self, request_der: bytes, *, now: datetime | None = None) -> bytes:
        """A DER TimeStampResp for a DER TimeStampReq; never raises for bad input."""
        if not request_der or len(request_der) > MAX_REQUEST_BYTES:
            return _failure("bad_data_format")
        try:
            request = tsp.TimeStampReq.load(bytes(request_der), strict=True)
            imprint = request["message_imprint"]
            algorithm = imprint["hash_algorithm"]["algorithm"].dotted
            hashed = imprint["hashed_message"].native
            nonce = request["nonce"].native
            cert_req = bool(request["cert_req"].native)
            policy = request["req_policy"].dotted if request["req_policy"].native else None
        except Exception:  # noqa: BLE001  (garbage)
            return _failure("bad_data_format")
        name = DIGESTS.get(algorithm)
        if name not in _DIGEST_LENGTHS:
            return _failure("bad_alg")
        if len(hashed) != _DIGEST_LENGTHS[name]:
            return _failure("bad_data_format")
        if policy is not None and policy != self.policy:
            return _failure("unaccepted_policy")
        unit = self.gost if name.startswith("streebog") and self.gost is not None else self.rsa
        moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        info = {
            "version": "v1",
            "policy": self.policy,
            "message_imprint": imprint,
            "serial_number": secrets.randbits(63),
            "gen_time": moment,
            "accuracy": {"seconds": 1},
        }
        if nonce is not None:
            info["nonce"] = nonce
        token = sign_with_key(
            tsp.TSTInfo(info).dump(),
            unit.key,
            unit.certificate,
            unit.chain,
            detached=False,
            signing_time=moment,
            content_type=OID_TST_INFO,
            include_certificates=cert_req,
        )
        return tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": tsp.ContentInfo.load(token)}
        ).dump()
