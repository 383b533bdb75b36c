"""Long-term validity of the issued results (issue 10, item 3: PAdES baseline).

The head's signature carries an RFC 3161 signature time-stamp from the TSA, the PDF a
Document Security Store with the certificates and revocation evidence (B-LT) and a document
time-stamp (B-LTA), so an independent validator can tell years later — after the head's
one-year NCA certificate expired — that the document was valid when it was signed. The TSA
failing leaves nothing half-issued and the head can sign again."""

import asyncio
from datetime import timedelta

import pytest
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation.ades import simulate_future_ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from qyzmet.cases.models import DecisionState
from qyzmet.core.refusals import Refused
from qyzmet.demo.pki import load_demo_pki
from qyzmet.eds import tsa
from qyzmet.results import pades, queries
from qyzmet.results.models import DocumentState, ResultDocument

from .signing import (
    check,
    closed_port_url,
    demo_roots,
    head_signature,
    issue,
    poppler,
    sign_in_python_rsa,
    stored_pdf,
)

pytestmark = pytest.mark.django_db


def pyhanko_as_of(pdf: bytes, roots, years_later: int = 2):
    """pyHanko's AdES long-term validation (ETSI EN 319 102-1 §5.6.3) run as of
    ``years_later`` after signing, from what the PDF carries only (no fetching)."""
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=roots),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            )
        )
    )
    _, embedded = head_signature(pdf)
    moment = embedded.self_reported_timestamp + timedelta(days=365 * years_later)
    return moment, asyncio.run(
        simulate_future_ades_lta_validation(embedded, spec, future_validation_time=moment)
    )


def test_pyhanko_validates_the_result_two_years_after_signing(
    certificate_decision, demo_pki, tmp_path
):
    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    pdf = stored_pdf(document)
    moment, result = pyhanko_as_of(pdf, demo_roots(demo_pki))

    head = result.api_status.signing_cert
    assert head.not_valid_after < moment  # the head's certificate has long expired
    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    # valid as of the signature time-stamp: the best signature time is its genTime
    assert result.signature_timestamp_status.ades_subindic == AdESPassed.OK
    assert abs(result.best_signature_time - document.signed_at) < timedelta(minutes=1)
    assert result.best_signature_time < head.not_valid_after

    # B-LT: the DSS holds the head's and the TSA's certificates and fresh OCSP answers
    reader, _ = head_signature(pdf)
    dss = reader.root["/DSS"]
    in_dss = {ref.get_object().data for ref in dss["/Certs"]}
    assert head.dump() in in_dss
    assert len(dss["/OCSPs"]) >= 2  # the head's certificate and the TSA's
    assert len(dss["/CRLs"]) >= 1  # the roots' CRLs, for the intermediates

    # and poppler still says the head's signature is valid and trusted
    report = poppler(pdf, tmp_path, demo_pki)
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Certificate Validation: Certificate is Trusted." in report, report


def test_without_the_time_stamp_pyhanko_fails_two_years_later(certificate_decision, demo_pki):
    """The check can fail: the same validator on a PDF whose signature carries no time-stamp
    (B-B, as issued before issue 10) finds the head's certificate expired."""
    from qyzmet.results import actions

    covered = actions.prepare_document(certificate_decision)
    document = ResultDocument.objects.get(decision=certificate_decision)
    prepared = pades.PreparedPdf(
        bytes(document.prepared_pdf), document.region_start, document.region_end
    )
    pdf = pades.embed(prepared, sign_in_python_rsa(demo_pki, covered))
    _, result = pyhanko_as_of(pdf, demo_roots(demo_pki))
    assert result.ades_subindic != AdESPassed.OK


def test_gost_result_is_verified_with_its_time_stamp_by_qyzmet(certificate_decision, demo_pki):
    document, *_ = issue(certificate_decision, demo_pki)  # GOST-2015/512 head
    pdf = stored_pdf(document)
    _, embedded = head_signature(pdf)
    token = tsa.parse_token(pades._unsigned_token(embedded.signed_data["signer_infos"][0]))
    assert token.hash_algorithm == tsa.STREEBOG512  # the GOST unit stamped it
    assert token.signer_certificate.public_key_info.algorithm_oid.startswith("1.2.398.3.10.1.1.2")

    verdict = check(pdf)
    assert verdict.code == "valid" and verdict.long_term
    assert verdict.timestamped_at == token.gen_time and "GOST" in verdict.tsa_name
    # years later, past the head's certificate: still valid at the time of signing
    assert check(pdf, moment=verdict.signer_not_after + timedelta(days=400)).code == "valid"


def test_a_forged_time_stamp_makes_the_result_not_authentic(certificate_decision, demo_pki):
    """The token is checked, not just found: one flipped byte of its signature → not valid."""
    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    pdf = stored_pdf(document)
    _, embedded = head_signature(pdf)
    token = pades._unsigned_token(embedded.signed_data["signer_infos"][0])
    tampered_token = token[:-5] + bytes([token[-5] ^ 1]) + token[-4:]
    at = pdf.lower().index(token.hex().encode())
    tampered = pdf[:at] + tampered_token.hex().encode() + pdf[at + 2 * len(token) :]
    assert len(tampered) == len(pdf)
    assert check(tampered).code == "bad_timestamp"
    from qyzmet.results.texts import code_text

    assert all(code_text("bad_timestamp", language) for language in ("ru", "kk", "en"))


# --- the TSA failing ----------------------------------------------------------------------


class Garbage:
    def respond(self, request: bytes) -> bytes:
        return b"<html>502 Bad Gateway</html>"


class OtherImprint:
    """A TSA that stamps something else: a valid token whose imprint is not the request's."""

    def __init__(self, responder):
        self.responder = responder

    def respond(self, request: bytes) -> bytes:
        from asn1crypto import tsp

        parsed = tsp.TimeStampReq.load(request)
        hashed = parsed["message_imprint"]["hashed_message"].native
        parsed["message_imprint"]["hashed_message"] = bytes(b ^ 0xFF for b in hashed)
        return self.responder.respond(parsed.dump())


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("down", "tsa_unreachable"),
        ("garbage", "tsa_bad_response"),
        ("imprint", "tsa_imprint_mismatch"),
    ],
)
def test_tsa_failure_leaves_nothing_issued_and_the_head_signs_again(
    catalog, staff, demo_pki, sign_as_head, settings, tsa_server, answer, code
):
    from .conftest import approval_decision

    decision = approval_decision(staff, "temporary-export")
    application = decision.application
    working = settings.QYZMET_TSA_URL
    settings.QYZMET_TSA_URL = {
        "down": closed_port_url,
        "garbage": lambda: tsa_server(Garbage()),
        "imprint": lambda: tsa_server(
            OtherImprint(load_demo_pki(demo_pki.directory).tsa_responder())
        ),
    }[answer]()

    with pytest.raises(Refused) as refused:
        sign_as_head(staff["head"], application, decision)
    assert refused.value.code == code
    assert (
        refused.value.message("ru") and refused.value.message("kk") and refused.value.message("en")
    )
    decision.refresh_from_db()
    assert decision.state == DecisionState.AWAITING_SIGNATURE
    document = ResultDocument.objects.get(decision=decision)
    assert document.state == DocumentState.PREPARED and not document.pdf
    assert queries.document_for(application) is None

    settings.QYZMET_TSA_URL = working  # the TSA is back: the head signs again
    sign_as_head(staff["head"], application, decision)
    document.refresh_from_db()
    assert document.state == DocumentState.ISSUED
    assert check(stored_pdf(document)).timestamped_at is not None
