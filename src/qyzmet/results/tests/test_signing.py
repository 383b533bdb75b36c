"""The head's PAdES signature (regulation p.5.5, p.10 процесс 9; issue 4 "Done means"): the
server prepares the byte range, the browser signs it as a detached CMS, the server embeds it.
Independent validators — pyHanko's and poppler's pdfsig — must report the issued PDF valid and
signed by the head, and invalid once one signed byte changes."""

import hashlib
import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.eds.signing import load_signing_key, sign_with_key
from qyzmet.eds.tests.module_runner import run_module
from qyzmet.results import actions, pades, queries
from qyzmet.results.models import DocumentState, ResultDocument

from .signing import (
    HEAD,
    LEGACY_HEAD,
    check,
    issue,
    poppler,
    sign_in_python,
    sign_in_python_rsa,
    stored_pdf,
)
from .tools import flip_byte

pytestmark = pytest.mark.django_db


def _browser_module(pki, data: bytes, person_id: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        person = pki.person(person_id)
        path = pki.p12_path(person_id)
        return run_module(path, person["password"], data, Path(folder))["signature"]


def sign_in_browser_module(pki, data: bytes) -> bytes:
    """The office sign page's module (eds-sign.js ``signDetached``) under Node, with the
    head's GOST-2015/512 key."""
    return _browser_module(pki, data, HEAD)


def sign_in_browser_module_rsa(pki, data: bytes) -> bytes:
    """The same module with the head's legacy RSA kit (node-forge signs)."""
    return _browser_module(pki, data, LEGACY_HEAD)


GOST_SIGNERS = (sign_in_python, sign_in_browser_module)


def head_certificate(pki) -> x509.Certificate:
    _, certificate, _ = load_signing_key(pki.p12(HEAD), pki.person(HEAD)["password"])
    return certificate


def full_name(person: dict) -> str:
    return f"{person['surname']} {person['given_name']} {person['patronymic']}"


@pytest.mark.parametrize(
    "sign",
    [sign_in_python, sign_in_python_rsa, sign_in_browser_module, sign_in_browser_module_rsa],
    ids=["python-gost", "python-rsa", "browser-module-gost", "browser-module-rsa"],
)
def test_issued_pdf_is_valid_and_signed_by_the_head(certificate_decision, demo_pki, tmp_path, sign):
    document, covered, cms = issue(certificate_decision, demo_pki, sign=sign)
    pdf = stored_pdf(document)
    head = demo_pki.person(HEAD if sign in GOST_SIGNERS else LEGACY_HEAD)

    verdict = check(pdf)  # pyHanko (RSA) or qyzmet's EDS verifier (GOST)
    assert verdict.code == "valid"
    assert verdict.subfilter == "/ETSI.CAdES.detached"
    assert verdict.timestamped_at is not None and verdict.long_term
    assert verdict.signer.subject.native["serial_number"] == f"IIN{head['iin']}"
    signer_key = verdict.signer["tbs_certificate"]["subject_public_key_info"]["algorithm"]
    assert (signer_key["algorithm"].dotted == "1.2.398.3.10.1.1.2.2") == (sign in GOST_SIGNERS)
    assert verdict.signer_reported_at is not None
    if sign not in GOST_SIGNERS:  # poppler knows no GOST
        report = poppler(pdf, tmp_path, demo_pki)
        assert "Signature Validation: Signature is Valid." in report, report
        assert "Certificate Validation: Certificate is Trusted." in report, report
        assert f"Signer Certificate Common Name: {head['common_name']}\n" in report, report
        assert "Signature Type: ETSI.CAdES.detached" in report


def test_the_signature_covers_exactly_the_returned_bytes(certificate_decision, demo_pki):
    document, covered, _ = issue(certificate_decision, demo_pki)
    pdf = stored_pdf(document)
    byte_range = [int(n) for n in re.search(rb"/ByteRange \[([\d ]+)\]", pdf).group(1).split()]
    start, first, second, rest = byte_range
    # the signed revision, then one incremental update: the DSS (PAdES B-LT)
    assert start == 0 and second + rest < len(pdf)
    assert b"/DSS" in pdf[second + rest :] and b"/DSS" not in pdf[: second + rest]
    assert pdf[start:first] + pdf[second : second + rest] == covered
    assert (first, second) == (document.region_start, document.region_end)


def test_issuing_stores_pdf_signed_data_and_cms_side_by_side(certificate_decision, demo_pki):
    document, covered, cms = issue(certificate_decision, demo_pki)
    pdf = stored_pdf(document)
    head = demo_pki.person(HEAD)
    assert document.state == DocumentState.ISSUED
    assert document.prepared_pdf is None
    assert document.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.signer_iin == head["iin"]
    assert document.signer_bin == head["bin"]
    assert document.signer_name == full_name(head)
    with document.signature.open("rb") as handle:
        stored = asn1_cms.ContentInfo.load(handle.read())["content"]["signer_infos"][0]
    received = asn1_cms.ContentInfo.load(cms)["content"]["signer_infos"][0]
    # the head's signed attributes and signature as received, the TSA's token added
    assert stored["signed_attrs"].dump() == received["signed_attrs"].dump()
    assert stored["signature"].native == received["signature"].native
    assert [a["type"].dotted for a in stored["unsigned_attrs"]] == ["1.2.840.113549.1.9.16.2.14"]
    with document.data.open("rb") as handle:
        data = json.loads(handle.read())
    assert data["registration_number"] == certificate_decision.application.registration_number
    assert data["kind"] == "certificate"
    assert data["pdf"]["sha256"] == document.pdf_sha256
    assert data["pdf"]["covered_sha256"] == hashlib.sha256(covered).hexdigest()
    assert data["signer"]["iin"] == head["iin"]
    assert data["pdf"]["subfilter"] == "/ETSI.CAdES.detached"
    assert data["timestamp"]["policy"] == "1.2.398.3.3.2.6.1" and data["timestamp"]["tsa"]
    assert len(data["fields"]["items"]) == 3
    assert document.pdf.name.endswith(".pdf") and document.data.name.endswith(".json")
    issued = AuditRecord.objects.get(action="results.issue")
    assert issued.after["state"] == "issued"


@pytest.mark.parametrize("sign", [sign_in_python, sign_in_python_rsa], ids=["gost", "rsa"])
def test_one_changed_byte_makes_the_signature_invalid(
    certificate_decision, demo_pki, tmp_path, sign
):
    document, *_ = issue(certificate_decision, demo_pki, sign=sign)
    pdf = stored_pdf(document)
    assert pdf.index(b"(qyzmet)") < document.region_start  # inside the signed range
    tampered = flip_byte(pdf, b"(qyzmet)")
    assert len(tampered) == len(pdf)

    assert check(tampered).code == "modified"
    if sign is sign_in_python:
        return  # poppler knows no GOST
    report = poppler(tampered, tmp_path, demo_pki)
    assert "Signature is Valid" not in report
    assert "Digest Mismatch" in report


def test_a_change_added_after_signing_is_noticed(certificate_decision, demo_pki):
    """An incremental update after the signature is allowed only when it adds long-term
    validation data (the DSS, as issuing does: pyHanko's LTA_UPDATES); one that changes a
    page is not."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    document, *_ = issue(certificate_decision, demo_pki)
    writer = IncrementalPdfFileWriter(io.BytesIO(stored_pdf(document)))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    changed = io.BytesIO()
    writer.write(changed)
    assert check(changed.getvalue()).code == "not_whole_file"


def sign_outside_the_trust_anchors(pki, data: bytes) -> bytes:
    """Signed with a key whose self-signed certificate carries the demo head's name: every
    certificate of the demo PKI chains to a trusted anchor, so the outsider is made here."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = head_certificate(pki).subject
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return sign_with_key(data, key, certificate)


def test_a_signer_outside_the_trust_anchors_is_untrusted(certificate_decision, demo_pki, tmp_path):
    document, *_ = issue(certificate_decision, demo_pki, sign=sign_outside_the_trust_anchors)
    assert check(stored_pdf(document)).code == "untrusted"
    assert queries.verify_document(document).code == "untrusted"
    # poppler agrees: the digest is intact, but the chain does not end at the trusted CA.
    report = poppler(stored_pdf(document), tmp_path, demo_pki)
    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." not in report, report


def test_garbage_is_a_verdict_not_a_crash():
    assert check(b"%PDF-1.7\nnot really").code in {"unreadable", "not_signed"}
    assert check(b"").code == "unreadable"
    from qyzmet.testing import pdf_bytes

    assert check(pdf_bytes()).code == "not_signed"


def test_a_cms_over_other_bytes_is_refused_and_nothing_is_stored(certificate_decision, demo_pki):
    covered = actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_in_python(demo_pki, covered + b"x"))
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


def test_a_cms_larger_than_the_placeholder_is_refused(certificate_decision, demo_pki, settings):
    settings.QYZMET_RESULTS_SIGNATURE_BYTES = 1024  # 512 bytes of DER: too small for any CMS
    covered = actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_in_python(demo_pki, covered))
    assert refused.value.code == "result_signature_too_large"


def test_issue_once(certificate_decision, demo_pki):
    _, covered, cms = issue(certificate_decision, demo_pki)
    with pytest.raises(Refused) as again:
        actions.finalize_document(certificate_decision, cms)
    assert again.value.code == "result_already_issued"
    with pytest.raises(Refused) as reprepare:
        actions.prepare_document(certificate_decision)
    assert reprepare.value.code == "result_already_issued"


def test_preparing_again_reads_neither_the_old_pdf_nor_the_application(certificate_decision):
    """Preparing again replaces the prepared PDF (megabytes with photos): the old one is not
    read back, and the decision's application gives the verification URL its number."""
    actions.prepare_document(certificate_decision)
    token = ResultDocument.objects.get(decision=certificate_decision).token
    with CaptureQueriesContext(connection) as captured:
        covered = actions.prepare_document(certificate_decision)
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    document_reads = [sql for sql in reads if 'FROM "results_resultdocument"' in sql]
    assert len(document_reads) == 1 and "prepared_pdf" not in document_reads[0]
    assert not [sql for sql in reads if 'FROM "cases_application"' in sql]
    document = ResultDocument.objects.get(decision=certificate_decision)
    assert document.token == token  # the same verification link
    stored = pades.PreparedPdf(
        bytes(document.prepared_pdf), document.region_start, document.region_end
    )
    assert stored.covered == covered  # the new PDF was written


def test_finalize_without_prepare_is_refused(certificate_decision, demo_pki):
    # The workflow prepares at decision time; remove that to test the unprepared case.
    ResultDocument.objects.filter(decision=certificate_decision).delete()
    with pytest.raises(Refused) as refused:
        actions.finalize_document(certificate_decision, sign_in_python(demo_pki, b"x"))
    assert refused.value.code == "result_not_prepared"


@pytest.mark.parametrize("fixture", ["letter_decision", "refusal"])
def test_letter_and_refusal_validate_too(request, fixture, demo_pki, tmp_path):
    decision = request.getfixturevalue(fixture)
    document, *_ = issue(decision, demo_pki, sign=sign_in_python_rsa)  # for pdfsig
    assert check(stored_pdf(document)).code == "valid"
    report = poppler(stored_pdf(document), tmp_path, demo_pki)
    assert "Signature is Valid." in report and "Certificate is Trusted." in report, report
    assert queries.document_for(decision.application) == document


def test_validity_is_judged_at_the_time_stamp(certificate_decision, demo_pki):
    """With a signature time-stamp the head's certificate is judged at its genTime, whatever
    moment the caller gives: the document stays authentic after the certificate expires."""
    document, *_ = issue(certificate_decision, demo_pki)
    pdf = stored_pdf(document)
    verdict = check(pdf, moment=document.signed_at)
    assert verdict.code == "valid"
    assert abs(verdict.timestamped_at - document.signed_at) < timedelta(minutes=1)
    after_expiry = head_certificate(demo_pki).not_valid_after_utc + timedelta(days=1)
    assert check(pdf, moment=after_expiry).code == "valid"
