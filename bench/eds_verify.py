"""Full EDS verification per second on one core: RSA and GOST-2015/512 (issue 9), and
qyzmet.eds vs pyhanko-certvalidator for RSA.

Same run, same inputs: detached CMS signatures (RSA-2048, SHA-256) made with the real NCA
test key KEY_INDIVIDUAL_VALID_SIGN_2004.p12, the real test CA chain as trust roots, the
real RSA test CRL given up front, a fixed moment inside the certificate's period.

* qyzmet: ``verify_cms`` — signature over the signed attributes, messageDigest, chain,
  period, purpose, revocation by the CRL (trust store and CRL parsed once and cached, as
  in the running app).
* pyhanko: ``validate_sig_integrity`` (signature + messageDigest) and a
  ``CertificateValidator`` with the same roots, CRL and moment, key usage checked.

Both must give the same verdict (valid) on every signature, and both must refuse a
tampered one, or the run aborts.

GOST 34.10-2015/512, in the same run: detached CAdES-BES signatures made with qyzmet's
signer and the real NCA test key KEY_INDIVIDUAL_VALID_2015.p12 (Streebog-512, NCA's OIDs),
the real GOST TEST 2022 CA as trust anchor, its real CRL, a moment inside the key's period;
``verify_cms`` exactly as for RSA (the submission path), with:

* warm — one trust store for the run, as in the running app (each chain link's signature
  verified once per process);
* cold — a new trust store for every verification, so the CA's signature on the signer's
  certificate is verified every time too (two GOST verifications per signature);
* fallback — warm, with Streebog in pure Python (gostcrypto), what runs where Debian's
  libengine-gost-openssl is not installed.

Every signature must verify and a tampered document must be refused, or the run aborts.
Run:  taskset -c 0 .venv/bin/python bench/eds_verify.py [seconds]
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")

import django  # noqa: E402

django.setup()

from asn1crypto import cms as asn1_cms  # noqa: E402
from asn1crypto import pem, x509  # noqa: E402
from cryptography import x509 as c_x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs7  # noqa: E402
from pyhanko.sign.validation.generic_cms import validate_sig_integrity  # noqa: E402
from pyhanko_certvalidator import CertificateValidator, ValidationContext  # noqa: E402
from pyhanko_certvalidator.policy_decl import (  # noqa: E402
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from qyzmet.eds import gost  # noqa: E402
from qyzmet.eds.chain import TrustStore  # noqa: E402
from qyzmet.eds.cms import verify_cms  # noqa: E402
from qyzmet.eds.pkcs12 import load_pkcs12  # noqa: E402
from qyzmet.eds.revocation import RevocationCache, RevocationSources  # noqa: E402
from qyzmet.eds.signing import sign_detached  # noqa: E402

NCA = Path(os.environ.get("QYZMET_NCA_TEST_DIR", "/work/shared/pki/nca-test"))
MOMENT = datetime(2021, 6, 1, tzinfo=UTC)
GOST_MOMENT = datetime(2022, 9, 1, tzinfo=UTC)  # inside KEY_INDIVIDUAL_VALID_2015's period
SIGNATURES = 50


def _der(name: str) -> bytes:
    data = (NCA / name).read_bytes()
    return pem.unarmor(data)[2] if pem.detect(data) else data


def make_signatures(count: int) -> list[tuple[bytes, bytes]]:
    bundle = load_pkcs12((NCA / "KEY_INDIVIDUAL_VALID_SIGN_2004.p12").read_bytes(), "Qwerty12")
    cert = c_x509.load_der_x509_certificate(bundle.certificate.der)
    pairs = []
    for index in range(count):
        data = f"application {index}".encode() * 20
        signature = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(data)
            .add_signer(cert, bundle.private_key, hashes.SHA256())
            .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        )
        pairs.append((signature, data))
    return pairs


def make_gost_signatures(count: int) -> list[tuple[bytes, bytes]]:
    p12 = (NCA / "KEY_INDIVIDUAL_VALID_2015.p12").read_bytes()
    pairs = []
    for index in range(count):
        data = f"application {index}".encode() * 20
        pairs.append((sign_detached(data, p12, "Aa123456"), data))
    return pairs


def gost_rates(seconds: float) -> dict[str, float]:
    pairs = make_gost_signatures(SIGNATURES)
    anchors = [_der("ca__nca_gost2015_test.cer")]
    crl = (NCA / "crl__nca_gost2022_test.crl").read_bytes()
    trust = TrustStore.from_certificates(anchors)
    sources = RevocationSources(crls=[crl], cache=RevocationCache())

    def warm(signature: bytes, data: bytes) -> bool:
        return verify_cms(signature, data, trust=trust, at=GOST_MOMENT, revocation=sources).valid

    def cold(signature: bytes, data: bytes) -> bool:
        fresh = TrustStore.from_certificates(anchors)
        return verify_cms(signature, data, trust=fresh, at=GOST_MOMENT, revocation=sources).valid

    for signature, data in pairs[:5]:
        assert warm(signature, data) and cold(signature, data), "valid GOST signature refused"
        assert not warm(signature, data + b"x") and not cold(signature, data + b"x")
    rates = {"warm": run_for(seconds, warm, pairs), "cold": run_for(seconds, cold, pairs)}
    fast, gost.FAST_STREEBOG = gost.FAST_STREEBOG, False
    try:
        assert warm(*pairs[0]) and not warm(pairs[0][0], pairs[0][1] + b"x")
        rates["fallback"] = run_for(seconds, warm, pairs)
    finally:
        gost.FAST_STREEBOG = fast
    return rates


def run_for(seconds: float, verify, pairs) -> float:
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for signature, data in pairs:
            verify(signature, data)
        done += len(pairs)
    return done / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    pairs = make_signatures(SIGNATURES)
    crl = (NCA / "crl__nca_rsa_test.crl").read_bytes()

    trust = TrustStore.from_certificates([_der("root_rsa_test.pem"), _der("NCA_2004_RSA_CERT.pem")])
    sources = RevocationSources(crls=[crl], cache=RevocationCache())

    def ours(signature: bytes, data: bytes) -> bool:
        verdict = verify_cms(signature, data, trust=trust, at=MOMENT, revocation=sources)
        return verdict.valid

    root = x509.Certificate.load(_der("root_rsa_test.pem"))
    intermediate = x509.Certificate.load(_der("NCA_2004_RSA_CERT.pem"))

    def theirs(signature: bytes, data: bytes) -> bool:
        signed_data = asn1_cms.ContentInfo.load(signature)["content"]
        signer_info = signed_data["signer_infos"][0]
        signer = signed_data["certificates"][0].chosen
        integrity = validate_sig_integrity(
            signer_info, signer, "data", hashlib.sha256(data).digest()
        )
        if not (integrity[0] and integrity[1]):
            return False
        context = ValidationContext(
            trust_roots=[root],
            other_certs=[intermediate],
            crls=[crl],
            moment=MOMENT,
            retroactive_revinfo=True,
            # Same policy as ours: the end certificate's revocation by CRL is required,
            # the CAs' is not checked (no root CRL among the real files).
            revinfo_policy=CertRevTrustPolicy(
                RevocationCheckingPolicy(
                    ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED,
                    intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
                ),
                # The real CRL was issued after the key's period, like ours accepts it.
                retroactive_revinfo=True,
            ),
        )
        validator = CertificateValidator(signer, [intermediate], validation_context=context)
        try:
            asyncio.run(validator.async_validate_usage({"digital_signature"}))
        except Exception:
            return False
        return True

    # Same verdicts on the same inputs, and both refuse a tampered document.
    for signature, data in pairs[:5]:
        assert ours(signature, data) and theirs(signature, data), "valid signature refused"
        assert not ours(signature, data + b"x") and not theirs(signature, data + b"x")

    ours_rate = run_for(seconds, ours, pairs)
    theirs_rate = run_for(seconds, theirs, pairs)
    gost_rate = gost_rates(seconds)
    print(
        f"EDS verification, CMS + chain + CRL, one core (Streebog from OpenSSL: {gost.FAST_STREEBOG})"
    )
    print(f"{'verifier':<52}{'verifications/s':>18}")
    print(f"{'RSA-2048  qyzmet.eds verify_cms':<52}{ours_rate:>18.0f}")
    print(f"{'RSA-2048  pyhanko-certvalidator':<52}{theirs_rate:>18.0f}")
    print(f"{'RSA-2048  ratio':<52}{ours_rate / theirs_rate:>17.1f}x")
    print(f"{'GOST-2015/512  verify_cms, warm (as the app runs)':<52}{gost_rate['warm']:>18.0f}")
    print(
        f"{'GOST-2015/512  verify_cms, cold (chain link each time)':<52}{gost_rate['cold']:>18.0f}"
    )
    print(
        f"{'GOST-2015/512  fallback (pure-Python Streebog), warm':<52}{gost_rate['fallback']:>18.1f}"
    )


if __name__ == "__main__":
    main()
