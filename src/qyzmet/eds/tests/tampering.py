"""Bad CMS variants made from real signatures, for the stricter acceptance rules (issue 9,
item 6) at every level: the verifier's own tests and the actions that take a signature
(sign-up, log-in, submission, the head's result).

Each variant starts from a signature a real key made (an NCA test key or a demo PKI key)
and changes it with asn1crypto; the parts a variant does not touch keep their received
bytes. ``bad_variant(code, ...)`` gives the variant refused with ``code``.
"""

from __future__ import annotations

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from qyzmet.eds import gost
from qyzmet.eds.pkcs12 import GostPrivateKey, load_pkcs12

from .conftest import gost2015_signer, nca_file

# The GOST 34.310-2004 certificate of a real NCA test key file (its key cannot sign here).
GOST2004_KEY_FILE = ("KEY_CEO_SIGN_REVOKED_2004.p12", "Qwerty12")


def altered_cms(signature: bytes, change) -> bytes:
    """A received CMS with its SignedData changed by ``change(signed_data)`` through
    asn1crypto: every part ``change`` does not touch keeps its received bytes, so a signer
    info left alone still carries a signature that verifies."""
    content_info = cms.ContentInfo.load(bytes(signature))
    change(content_info["content"])
    altered = content_info.dump()
    assert altered != bytes(signature)
    return altered


def raw_signer(p12: bytes, password: str):
    """``sign(message) -> signature value`` with the key file's own key, over ``message``
    itself (RSA PKCS#1 v1.5 SHA-256, or GOST 34.10-2015/512 in NCA's byte order)."""
    bundle = load_pkcs12(p12, password, require_key=True)
    if isinstance(bundle.private_key, rsa.RSAPrivateKey):
        key = bundle.private_key
        return lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    assert isinstance(bundle.private_key, GostPrivateKey)
    return gost2015_signer(bundle)


def without_signed_attributes(signature: bytes, data: bytes, sign) -> bytes:
    """The same signer, signing ``data`` itself with no signed attributes: a valid CMS of
    the RFC 5652 kind, but not CAdES-BES."""

    def strip(signed_data):
        info = signed_data["signer_infos"][0]
        info["signed_attrs"] = None
        info["signature"] = sign(bytes(data))

    return altered_cms(signature, strip)


def with_digest_algorithms(signature: bytes, names: list[str]) -> bytes:
    """``digestAlgorithms`` (outside the signature) rewritten to ``names``."""

    def rewrite(signed_data):
        signed_data["digest_algorithms"] = cms.DigestAlgorithms(
            [{"algorithm": name} for name in names]
        )

    return altered_cms(signature, rewrite)


def with_digest(signature: bytes, name: str) -> bytes:
    """The digest algorithm named in both places (signer info and digestAlgorithms) changed
    to ``name``: the verdict on the digest comes before any hashing or signature check.
    (For an RSA key the verifier's tests also sign with SHA-1 for real.)"""

    def rename(signed_data):
        signed_data["digest_algorithms"] = cms.DigestAlgorithms([{"algorithm": name}])
        signed_data["signer_infos"][0]["digest_algorithm"] = {"algorithm": name}

    return altered_cms(signature, rename)


def with_second_signer(signature: bytes, other: bytes) -> bytes:
    """``other``'s signer info and certificates added beside the first signer's."""
    second = cms.ContentInfo.load(bytes(other))["content"]

    def add(signed_data):
        signed_data["certificates"] = [*signed_data["certificates"], *second["certificates"]]
        signed_data["signer_infos"] = [*signed_data["signer_infos"], *second["signer_infos"]]

    return altered_cms(signature, add)


def gost2004_certificate() -> asn1_x509.Certificate:
    name, password = GOST2004_KEY_FILE
    return asn1_x509.Certificate.load(load_pkcs12(nca_file(name), password).certificate.der)


def as_gost2004(signature: bytes) -> bytes:
    """A real signature re-dressed as GOST-2004: the real GOST-2004 certificate of the NCA
    test files as signer, GOST 34.311-95 digest and GOST 34.310-2004 signature OIDs (no
    library here makes such signatures; the verdict comes before the signature check)."""
    certificate = gost2004_certificate()

    def redress(signed_data):
        signed_data["digest_algorithms"] = cms.DigestAlgorithms(
            [{"algorithm": gost.GOST34311_DIGEST}]
        )
        signed_data["certificates"] = [certificate]
        info = signed_data["signer_infos"][0]
        info["sid"] = cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value={"issuer": certificate.issuer, "serial_number": certificate.serial_number},
        )
        info["digest_algorithm"] = {"algorithm": gost.GOST34311_DIGEST}
        info["signature_algorithm"] = {"algorithm": gost.KZ_GOST2004_SIGNATURE}

    return altered_cms(signature, redress)


# code -> how the variant is made from (a real signature over data, data, the signer's
# raw signing function, another person's real signature over the same data)
BAD_VARIANTS = {
    "no_signed_attributes": lambda sig, data, sign, other: without_signed_attributes(
        sig, data, sign
    ),
    "digest_not_allowed": lambda sig, data, sign, other: with_digest(sig, "sha1"),
    "digest_algorithms_mismatch": lambda sig, data, sign, other: with_digest_algorithms(
        sig, ["sha1"]
    ),
    "multiple_signers": lambda sig, data, sign, other: with_second_signer(sig, other),
    "gost2004_retired": lambda sig, data, sign, other: as_gost2004(sig),
}
BAD_CODES = tuple(BAD_VARIANTS)


def bad_variant(
    code: str, demo_pki, person: str, data: bytes, *, other: str, key: str = "sign"
) -> bytes:
    """The ``code`` variant of ``person``'s real demo-PKI signature with ``key`` ("sign" or
    "auth") over ``data``; ``other`` is a second demo person for the two-signer variant."""
    signature = demo_pki.sign(person, data, key)
    sign = raw_signer(demo_pki.p12(person, key), demo_pki.person(person)["password"])
    return BAD_VARIANTS[code](signature, data, sign, demo_pki.sign(other, data, key))
