"""The head's PAdES signature (regulation p.5.5, p.10 процесс 9; issue 4 "Done means"): the
server prepares the byte range, the browser signs it as a detached CMS, the server embeds it.
Independent validators — pyHanko's and poppler's pdfsig — must report the issued PDF valid and
signed by the head, and invalid once one signed byte changes."""

import hashlib
import json
import re

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.results import actions, pades, queries
from qyzmet.results.models import DocumentState, ResultDocument

from .pki import HEAD_IIN, sign_detached, sign_with_node_forge
from .tools import flip_byte, pdfsig

pytestmark = pytest.mark.django_db


def issue(decision, pki, signer=None, sign=sign_detached):
    covered = actions.prepare_document(decision)
    cms = sign(covered, signer or pki.head)
    return actions.finalize_document(decision, cms), covered, cms


def stored_pdf(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def check(pdf: bytes, pki):
    return pades.validate(pdf, trust_roots=[pki.ca.der])


@pytest.mark.parametrize("sign", [sign_detached, sign_with_node_forge], ids=["python", "forge"])
def test_issued_pdf_is_valid_and_signed_by_the_head(certificate_decision, pki, tmp_path, sign):
    document, covered, cms = issue(certificate_decision, pki, sign=sign)
    pdf = stored_pdf(document)

    verdict = check(pdf, pki)
    assert verdict.code == "valid"
    assert verdict.subfilter == "/adbe.pkcs7.detached"
    assert verdict.signer.subject.native["serial_number"] == f"IIN{HEAD_IIN}"

    report = pdfsig(pdf, tmp_path, roots=[pki.ca.pem])
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert "Signer Certificate Common Name: ЖҰМАБАЕВ ЕРЛАН\n" in report
    assert "Total document signed" in report
    assert "Signature Type: adbe.pkcs7.detached" in report


def test_the_signature_covers_exactly_the_returned_bytes(certificate_decision, pki):
    document, covered, _ = issue(certificate_decision, pki)
    pdf = stored_pdf(document)
    byte_range = [int(n) for n in re.search(rb"/ByteRange \[([\d ]+)\]", pdf).group(1).split()]
    start, first, second, rest = byte_range
    assert start == 0 and second + rest == len(pdf)
    assert pdf[start:first] + pdf[second : second + rest] == covered
    assert (first, second) == (document.region_start, document.region_end)


def test_issuing_stores_pdf_signed_data_and_cms_side_by_side(certificate_decision, pki):
    document, covered, cms = issue(certificate_decision, pki)
    pdf = stored_pdf(document)
    assert document.state == DocumentState.ISSUED
    assert document.prepared_pdf is None
    assert document.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.signer_iin == HEAD_IIN
    assert document.signer_bin == "150340000109"
    assert document.signer_name == "ЖҰМАБАЕВ ЕРЛАН МАРАТҰЛЫ"
    with document.signature.open("rb") as handle:
        assert handle.read() == cms
    with document.data.open("rb") as handle:
        data = json.loads(handle.read())
    assert data["registration_number"] == certificate_decision.application.registration_number
    assert data["kind"] == "certificate"
    assert data["pdf"]["sha256"] == document.pdf_sha256
    assert data["pdf"]["covered_sha256"] == hashlib.sha256(covered).hexdigest()
    assert data["signer"]["iin"] == HEAD_IIN
    assert len(data["fields"]["items"]) == 3
    assert document.pdf.name.endswith(".pdf") and document.data.name.endswith(".json")
    issued = AuditRecord.objects.get(action="results.issue")
    assert issued.after["state"] == "issued"


def test_one_changed_byte_makes_the_signature_invalid(certificate_decision, pki, tmp_path):
    document, *_ = issue(certificate_decision, pki)
    pdf = stored_pdf(document)
    assert pdf.index(b"(qyzmet)") < document.region_start  # inside the signed range
    tampered = flip_byte(pdf, b"(qyzmet)")
    assert len(tampered) == len(pdf)

    assert check(tampered, pki).code == "modified"
    report = pdfsig(tampered, tmp_path, roots=[pki.ca.pem])
    assert "Signature is Valid" not in report
    assert "Digest Mismatch" in report


def test_bytes_added_after_signing_are_noticed(certificate_decision, pki):
    document, *_ = issue(certificate_decision, pki)
    appended = stored_pdf(document) + b"\n% appended after signing\n"
    assert check(appended, pki).code == "not_whole_file"


def test_a_signer_outside_the_trust_anchors_is_untrusted(certificate_decision, pki, tmp_path):
    document, *_ = issue(certificate_decision, pki, signer=pki.stranger)
    assert check(stored_pdf(document), pki).code == "untrusted"
    assert queries.verify_document(document).code == "untrusted"
    # poppler agrees: the digest is intact, but the chain does not end at the trusted CA.
    report = pdfsig(stored_pdf(document), tmp_path, roots=[pki.ca.pem])
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." not in report


def test_garbage_is_a_verdict_not_a_crash(pki):
    assert check(b"%PDF-1.7\nnot really", pki).code in {"unreadable", "not_signed"}
    assert check(b"", pki).code == "unreadable"
    from qyzmet.testing import pdf_bytes

    assert check(pdf_bytes(), pki).code == "not_signed"


def test_a_cms_over_other_bytes_is_refused_and_nothing_is_stored(certificate_decision, pki):
    covered = actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_detached(covered + b"x", pki.head))
    assert refused.value.code == "result_signature_mismatch"
    document = ResultDocument.objects.get(decision=certificate_decision)
    assert document.state == DocumentState.PREPARED
    assert not document.pdf and document.prepared_pdf is not None


@pytest.mark.parametrize("cms", [b"", b"garbage", b"\x30\x03\x02\x01\x01"])
def test_a_malformed_cms_is_refused(certificate_decision, cms):
    actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, cms)
    assert refused.value.code == "result_signature_malformed"


def test_a_cms_larger_than_the_placeholder_is_refused(certificate_decision, pki, settings):
    settings.QYZMET_RESULTS_SIGNATURE_BYTES = 1024  # 512 bytes of DER: too small for any CMS
    covered = actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_detached(covered, pki.head))
    assert refused.value.code == "result_signature_too_large"


def test_issue_once(certificate_decision, pki):
    _, covered, cms = issue(certificate_decision, pki)
    with pytest.raises(Refused) as again:
        actions.finalize_document(certificate_decision, cms)
    assert again.value.code == "result_already_issued"
    with pytest.raises(Refused) as reprepare:
        actions.prepare_document(certificate_decision)
    assert reprepare.value.code == "result_already_issued"


def test_finalize_without_prepare_is_refused(certificate_decision, pki):
    # The workflow prepares at decision time; remove that to test the unprepared case.
    from qyzmet.results.models import ResultDocument

    ResultDocument.objects.filter(decision=certificate_decision).delete()
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_detached(b"x", pki.head))
    assert refused.value.code == "result_not_prepared"


@pytest.mark.parametrize("fixture", ["letter_decision", "refusal"])
def test_letter_and_refusal_validate_too(request, fixture, pki, tmp_path):
    decision = request.getfixturevalue(fixture)
    document, *_ = issue(decision, pki)
    assert check(stored_pdf(document), pki).code == "valid"
    report = pdfsig(stored_pdf(document), tmp_path, roots=[pki.ca.pem])
    assert "Signature is Valid." in report and "Certificate is Trusted." in report
    assert queries.document_for(decision.application) == document


def test_validity_is_judged_at_the_recorded_signing_time(certificate_decision, pki):
    """The page judges the head's certificate at the moment the server accepted the
    signature, so a document stays authentic after the certificate expires; judged at a
    moment after expiry, the same PDF is not valid (the moment is really used)."""
    from datetime import timedelta

    document, *_ = issue(certificate_decision, pki)
    pdf = stored_pdf(document)
    roots = [pki.ca.der]
    assert pades.validate(pdf, trust_roots=roots, moment=document.signed_at).code == "valid"
    after_expiry = pki.head.certificate.not_valid_after_utc + timedelta(days=1)
    assert pades.validate(pdf, trust_roots=roots, moment=after_expiry).code != "valid"
