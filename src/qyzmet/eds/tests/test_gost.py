"""GOST 34.11-2012 (Streebog) and GOST 34.10-2012/2015 (signatures): the fast path
(OpenSSL's GOST provider + ecdsa/gmpy2) and the pure-Python reference (gostcrypto) agree
with the standards' own examples and with each other on the real NCA RK test files."""

from __future__ import annotations

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from gostcrypto import gostsignature

from qyzmet.eds import gost
from qyzmet.eds.certificate import Certificate
from qyzmet.eds.pkcs12 import load_pkcs12

from .conftest import gost2015_private_scalar, nca_file

# GOST R 34.11-2012 appendix A. The standard prints messages and hashes as numbers (most
# significant byte first); a hash function returns the bytes in the reverse order.
M1 = b"012345678901234567890123456789012345678901234567890123456789012"
M2 = bytes.fromhex(
    "d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2"
    "f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb"
)  # "Се ветри, Стрибожи внуци, ..." in CP1251
STANDARD_HASHES = {
    ("streebog512", M1): "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
    "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b",
    ("streebog256", M1): "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d",
    ("streebog512", M2): "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03"
    "7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e",
    ("streebog256", M2): "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d",
}

# GOST R 34.10-2012 appendix A.2: the 512-bit example (test curve, key, digest e, nonce k).
EXAMPLE_512 = gost.Curve(
    name="gost-34.10-2012-appendix-A.2",
    size=512,
    p=int(
        "36239861022290036359077887536838743060213209255346786050865461504508561666240024825"
        "88482022271496854025090823603058735163734263822371964987228582907372403"
    ),
    a=7,
    b=int(
        "15186550692108285345089500347140431549287475277402064361940188233528099824437937328"
        "29756914785974674866041605397883677596626326413990136959047435811826396"
    ),
    q=int(
        "36239861022290036359077887536838743060213209255346786050865461504508561666239691648"
        "98305032863068499961404079437936585455865192212970734808812618120619743"
    ),
    x=int(
        "19283569440670228493993094012431375989977866354595079743570754913077665926858354410"
        "65557681003184874819658004903212332884252335830250729527632383493573274"
    ),
    y=int(
        "22887286933719728599700121555294784163535623273295061803144974259311028603015728141"
        "41997072271708807066593850650334152381857347798885864807605098724013854"
    ),
)
EXAMPLE_D = int(
    "61008180413637309821953815323984758300684551906953156298238813535489060630178225538360"
    "8393423372379057665527595116827307025046458837440766121180466875860"
)
EXAMPLE_QX = int(
    "90954685300253659655669076866983031000692927254655628159637296537031249856318232043689"
    "2870052842808608262832456858223580713780290717986855863433431150561"
)
EXAMPLE_QY = int(
    "29214572033744256206324497342484154556407008235594887051648958375095391342973273973802"
    "87741428246088626609329139441895016863758984106326600572476822372076"
)
EXAMPLE_E = int(
    "28979638816828685755628272785538650491737451978718251995629474190413889509705366611095"
    "53499954248733088719748844538964641281654463513296973827706272045964"
)
EXAMPLE_K = int(
    "359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006"
    "011842286212273A6D14CF70EA3AF71BB1AE679F1",
    16,
)
EXAMPLE_R = int(
    "24892044770313492650728646430321477536674513192821314440274986373576110928102217951018"
    "71412928823716805959828708330284243653453085322004442442534151761462"
)
EXAMPLE_S = int(
    "86452322170766951903884929738293691707502373584843157991959879931338518056474887719563"
    "9672460179421760770893278030956807690115822709903853682831835159370"
)


def _le(value: int, size: int = 64) -> bytes:
    return value.to_bytes(size, "little")


@pytest.mark.parametrize(("name", "message"), list(STANDARD_HASHES))
def test_streebog_reference_gives_the_standards_hashes(name, message):
    expected = bytes.fromhex(STANDARD_HASHES[name, message])[::-1]
    assert gost.streebog_reference(name, message) == expected


@pytest.mark.skipif(not gost.FAST_STREEBOG, reason="libengine-gost-openssl not installed")
@pytest.mark.parametrize(("name", "message"), list(STANDARD_HASHES))
def test_streebog_fast_path_gives_the_standards_hashes(name, message):
    expected = bytes.fromhex(STANDARD_HASHES[name, message])[::-1]
    assert gost.streebog(name, message) == expected


def test_streebog_paths_agree_on_long_input():
    data = bytes(range(256)) * 40 + b"tail"
    for name in ("streebog256", "streebog512"):
        assert gost.streebog(name, data) == gost.streebog_reference(name, data)


def test_signature_of_the_standards_example_512():
    curve = EXAMPLE_512
    # Public key Q = dP.
    key = gost.GostSigningKey(EXAMPLE_D, curve)
    assert key.public_key == _le(EXAMPLE_QX) + _le(EXAMPLE_QY)
    # Signing with the example's nonce gives the example's (r, s).
    assert gost.signature_values(curve, EXAMPLE_D, EXAMPLE_E, EXAMPLE_K) == (EXAMPLE_R, EXAMPLE_S)
    # Both verifiers accept it and refuse it altered. NCA byte order: the digest whose
    # little-endian reading is e; r||s and X||Y little-endian.
    digest = _le(EXAMPLE_E)
    point = key.public_key
    signature = _le(EXAMPLE_R) + _le(EXAMPLE_S)
    assert gost._verify_point(curve, point, digest, signature)
    assert not gost._verify_point(curve, point, _le(EXAMPLE_E + 1), signature)
    assert not gost._verify_point(curve, point, digest, _le(EXAMPLE_R) + _le(EXAMPLE_S + 1))
    params = {"p": curve.p, "a": curve.a, "b": curve.b, "m": curve.q, "q": curve.q,
              "x": curve.x, "y": curve.y}  # fmt: skip
    reference = gostsignature.new(gostsignature.MODE_512, params)
    big_endian_key = EXAMPLE_QX.to_bytes(64, "big") + EXAMPLE_QY.to_bytes(64, "big")
    big_endian_sig = EXAMPLE_R.to_bytes(64, "big") + EXAMPLE_S.to_bytes(64, "big")
    assert reference.verify(big_endian_key, EXAMPLE_E.to_bytes(64, "big"), big_endian_sig)
    # A fresh signature (random nonce) over the same digest verifies both ways.
    fresh = key.sign_digest(digest)
    assert gost._verify_point(curve, point, digest, fresh)
    fresh_be = fresh[:64][::-1] + fresh[64:][::-1]
    assert reference.verify(big_endian_key, EXAMPLE_E.to_bytes(64, "big"), fresh_be)


def _real_signed_objects():
    """(name, signer certificate, signed bytes, signature) from the real GOST-2015 files:
    two leaves and the OCSP responder certificate signed by the GOST TEST 2022 CA, that
    CA's CRL, and the OCSP responses signed by the responder."""
    ca = Certificate.load(nca_file("ca__nca_gost2015_test.cer"))
    objects = []
    for name in ("KEY_INDIVIDUAL_VALID_2015.p12", "KEY_CEO_REVOKED_2015.p12"):
        leaf = load_pkcs12(nca_file(name), "Aa123456").certificate
        objects.append((name, ca, leaf.tbs_der, leaf.signature))
    crl = asn1_crl.CertificateList.load(nca_file("crl__nca_gost2022_test.crl"))
    objects.append(("crl", ca, crl["tbs_cert_list"].dump(), crl["signature"].native))
    for name in (
        "ocsp__ocsp_response_individual_2015.bin",
        "ocsp__ocsp_response_ceo_2015_revoked.bin",
    ):
        basic = asn1_ocsp.OCSPResponse.load(nca_file(name))["response_bytes"]["response"].parsed
        responder = Certificate.from_der(basic["certs"][0].dump())
        objects.append((name + " responder", ca, responder.tbs_der, responder.signature))
        objects.append(
            (name, responder, basic["tbs_response_data"].dump(), basic["signature"].native)
        )
    return objects


@pytest.mark.parametrize("case", _real_signed_objects(), ids=lambda case: case[0])
def test_fast_and_reference_paths_agree_on_real_nca_signatures(case):
    _name, signer, message, signature = case
    info = signer.public_key_info
    args = {"size": 512, "key_bytes": info.key_bytes, "parameter_oids": info.parameter_oids}
    assert info.parameter_oids[0] == gost.KZ_GOST2015_512_PARAMSET_A
    digest = gost.streebog("streebog512", message)
    assert digest == gost.streebog_reference("streebog512", message)
    gost.verify_gost2015(message=message, signature=signature, **args)  # raises if invalid
    assert gost.verify_gost2015_reference(digest=digest, signature=signature, **args)
    for _ in range(2):  # the second time through the precomputed-point cache
        gost.verify_gost2015(digest=digest, signature=signature, **args)
    tampered = signature[:10] + bytes([signature[10] ^ 1]) + signature[11:]
    with pytest.raises(gost.EdsError):
        gost.verify_gost2015(message=message, signature=tampered, **args)
    assert not gost.verify_gost2015_reference(digest=digest, signature=tampered, **args)
    with pytest.raises(gost.EdsError):
        gost.verify_gost2015(message=message + b"x", signature=signature, **args)


def test_real_nca_key_file_signs_and_both_paths_verify():
    bundle = load_pkcs12(nca_file("KEY_INDIVIDUAL_VALID_2015.p12"), "Aa123456", require_key=True)
    info = bundle.certificate.public_key_info
    key = gost.signing_key_from_pkcs8(
        info.algorithm_oid, info.parameter_oids, gost2015_private_scalar(bundle)
    )
    # The key file's scalar, read little-endian, gives the certificate's public key.
    assert gost.subject_public_key_info(key) == info.spki_der
    assert gost.private_key_pkcs8(key) == bundle.private_key.pkcs8_der
    message = "өтініш / заявление".encode()
    signature = key.sign(message)
    args = {"size": 512, "key_bytes": info.key_bytes, "parameter_oids": info.parameter_oids}
    gost.verify_gost2015(message=message, signature=signature, **args)
    digest = gost.streebog_reference("streebog512", message)
    assert gost.verify_gost2015_reference(digest=digest, signature=signature, **args)


def test_fallback_without_the_openssl_provider_verifies_the_same(monkeypatch):
    """Where libengine-gost-openssl is missing qyzmet hashes with gostcrypto: same verdicts."""
    monkeypatch.setattr(gost, "FAST_STREEBOG", False)
    _name, signer, message, signature = _real_signed_objects()[0]
    info = signer.public_key_info
    args = {"size": 512, "key_bytes": info.key_bytes, "parameter_oids": info.parameter_oids}
    gost.verify_gost2015(message=message, signature=signature, **args)
    with pytest.raises(gost.EdsError):
        gost.verify_gost2015(message=message + b"x", signature=signature, **args)
