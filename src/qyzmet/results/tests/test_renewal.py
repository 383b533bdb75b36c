"""PAdES B-LTA: the document time-stamp of an issued result, from the TSA of the head's
algorithm, and its renewal before that TSA's certificate expires (issue 10, item 3).

A document time-stamp is only as good as its TSA certificate: before it expires the
scheduled job (``results/tasks.py``) adds the revocation evidence of that TSA's path to the
DSS and a new document time-stamp over everything, so a validator years later follows the
chain of time-stamps back to the signature."""

import asyncio
from datetime import timedelta

import pytest
from django.utils import timezone
from pyhanko.sign.ades.report import AdESPassed

from qyzmet.audit.models import AuditRecord
from qyzmet.demo.http_server import OCSP_TYPES
from qyzmet.demo.tsa_responder import TsaResponder
from qyzmet.eds import tsa
from qyzmet.results import actions, pades, queries
from qyzmet.results.models import ResultDocument
from qyzmet.results.tasks import restamp_results

from .signing import (
    check,
    closed_port_url,
    demo_roots,
    head_signature,
    issue,
    poppler,
    sign_in_python_rsa,
    stored_pdf,
    upload,
)

pytestmark = pytest.mark.django_db

GOST_KEY = "1.2.398.3.10.1.1.2"  # GOST 34.10-2015 public keys (…2.2: 512 bits)


def pyhanko_lta_as_of(pdf: bytes, roots, moment):
    """pyHanko's PAdES long-term validation (ETSI EN 319 102-1 §5.6.3, the chain of document
    time-stamps as the evidence record) really run as of ``moment``, from what the PDF
    carries only (no fetching; no proof of existence granted, unlike pyHanko's
    ``simulate_future_ades_lta_validation``). The one thing a validator then would ask
    online, the newest time-stamp's TSA certificate being unrevoked at ``moment``, is
    asserted."""
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        LocalKnowledge,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
    from pyhanko_certvalidator.policy_decl import (
        REQUIRE_REVINFO,
        CertRevTrustPolicy,
        NonRevokedStatusAssertion,
    )
    from pyhanko_certvalidator.registry import SimpleTrustManager

    reader, embedded = head_signature(pdf)
    newest = reader.embedded_timestamp_signatures[-1]
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=roots),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(
                nonrevoked_assertions=[
                    NonRevokedStatusAssertion(newest.signer_cert.sha256, at=moment)
                ]
            ),
        )
    )
    timing = ValidationTimingInfo(
        validation_time=moment, best_signature_time=moment, point_in_time_validation=True
    )
    return asyncio.run(ades_lta_validation(embedded, spec, timing_info=timing))


def tamper_token(pdf: bytes, token: bytes) -> bytes:
    """The PDF with one byte of ``token`` (embedded as hex) flipped, same length."""
    flipped = token[:-5] + bytes([token[-5] ^ 1]) + token[-4:]
    at = pdf.lower().index(token.hex().encode())
    return pdf[:at] + flipped.hex().encode() + pdf[at + 2 * len(token) :]


# --- 1. the document time-stamp of a GOST result is GOST-signed ----------------------------


def test_gost_result_document_timestamp_is_gost_signed_and_checked(certificate_decision, demo_pki):
    document, *_ = issue(certificate_decision, demo_pki)  # the GOST-2015/512 head
    pdf = stored_pdf(document)
    (archive,) = pades.document_timestamps(pdf)
    assert archive.hash_algorithm == tsa.STREEBOG512
    assert archive.signer_certificate.public_key_info.algorithm_oid.startswith(GOST_KEY)
    assert document.timestamp_expires_at == archive.signer_certificate.not_after

    verdict = check(pdf)  # qyzmet's verifier checks the document time-stamp too
    assert verdict.code == "valid"
    (stamp,) = verdict.archive_stamps
    assert stamp.gen_time == archive.gen_time and stamp.hash_algorithm == tsa.STREEBOG512
    assert stamp.tsa_key_algorithm.startswith(GOST_KEY) and "GOST" in stamp.tsa_name

    # checked, not just found: one flipped byte of its signature → not valid
    assert check(tamper_token(pdf, archive.der)).code == "bad_timestamp"


def test_gost_stamps_come_from_the_gost_tsa_setting(
    certificate_decision, demo_pki, settings, demo_tsa_url
):
    """QYZMET_TSA_URL_GOST is the TSA of a GOST result's stamps: with QYZMET_TSA_URL down,
    a GOST head still signs, both stamps from the GOST TSA."""
    settings.QYZMET_TSA_URL = closed_port_url()
    settings.QYZMET_TSA_URL_GOST = demo_tsa_url
    document, *_ = issue(certificate_decision, demo_pki)
    pdf = stored_pdf(document)
    verdict = check(pdf)
    assert verdict.code == "valid" and "GOST" in verdict.tsa_name
    assert [s.tsa_key_algorithm[: len(GOST_KEY)] for s in verdict.archive_stamps] == [GOST_KEY]


def test_rsa_result_document_timestamp_stays_rsa(certificate_decision, demo_pki):
    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    (archive,) = pades.document_timestamps(stored_pdf(document))
    assert archive.hash_algorithm == tsa.SHA256
    assert archive.signer_certificate.public_key_info.algorithm_oid == "1.2.840.113549.1.1.1"


# --- 2. the renewal ------------------------------------------------------------------------


@pytest.fixture
def short_tsa(demo_pki, settings, tsa_server):
    """The demo TSA with an RSA unit whose certificate expires in 30 days (the GOST unit as
    usual), and an OCSP responder that knows that certificate."""
    from qyzmet.demo.pki import load_demo_pki

    pki = load_demo_pki(demo_pki.directory)
    unit = pki.short_lived_tsa_unit(timedelta(days=30))
    settings.QYZMET_EDS_OCSP_URL = tsa_server(
        pki.ocsp_responder(also=(unit.certificate,)), OCSP_TYPES
    )
    usual = pki.tsa_responder()
    return unit, tsa_server(TsaResponder(rsa=unit, gost=usual.gost)), usual


def test_the_job_restamps_before_the_tsa_certificate_expires(
    certificate_decision, demo_pki, settings, short_tsa, demo_tsa_url, client, tmp_path
):
    unit, short_url, usual = short_tsa
    settings.QYZMET_TSA_URL = short_url
    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    first = stored_pdf(document)
    short_end = unit.certificate.not_valid_after_utc
    assert document.timestamp_expires_at == short_end  # within the 180 days' margin
    assert list(queries.due_for_restamp()) == [document]

    # two years on, past the head's and the short-lived TSA's certificates, as issued:
    # the newest time-stamp's TSA certificate has expired, so the chain is broken
    moment = document.signed_at + timedelta(days=2 * 365)
    before = pyhanko_lta_as_of(first, demo_roots(demo_pki), moment)
    assert before.ades_subindic != AdESPassed.OK

    settings.QYZMET_TSA_URL = demo_tsa_url  # the TSA's next certificate (six years)
    outcome = restamp_results.call()
    assert outcome == {"restamped": 1, "failed": [], "retry_at": None}

    document.refresh_from_db()
    renewed = stored_pdf(document)
    assert renewed.startswith(first) and len(renewed) > len(first)  # incremental updates
    usual_end = usual.rsa.certificate.not_valid_after_utc
    assert document.timestamp_expires_at == usual_end
    assert not queries.due_for_restamp().exists()
    stamps = pades.document_timestamps(renewed)
    assert [s.signer_certificate.not_after for s in stamps] == [short_end, usual_end]
    # the DSS now carries the revocation evidence of the short-lived TSA certificate
    reader, _ = head_signature(renewed)
    in_dss = {ref.get_object().data for ref in reader.root["/DSS"]["/Certs"]}
    assert unit.certificate.public_bytes(_der()) in in_dss

    # pyHanko, as of two years after signing: valid and time-stamped through the LTA chain
    result = pyhanko_lta_as_of(renewed, demo_roots(demo_pki), moment)
    assert moment > short_end > document.signed_at
    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    # time-stamped: the best signature time is the signature time-stamp's, not the
    # validation time; the chain of document time-stamps reaches back to the signing
    assert abs(result.oldest_evidence_record_timestamp - document.signed_at) < timedelta(minutes=1)
    assert abs(result.best_signature_time - document.signed_at) < timedelta(minutes=1)

    report = poppler(renewed, tmp_path, demo_pki)
    assert "Signature Validation: Signature is Valid." in report, report

    verdict = check(renewed)
    assert verdict.code == "valid" and len(verdict.archive_stamps) == 2

    record = AuditRecord.objects.get(action="results.restamp")
    assert record.object_id == str(document.pk) and record.actor is None
    assert record.after["pdf_sha256"] == document.pdf_sha256 != record.before["pdf_sha256"]

    # the verification page and the download serve the re-stamped PDF
    assert queries.verify_document(document).authentic
    application = document.application
    args = (application.registration_number, document.token)
    from django.urls import reverse

    answer = client.get(reverse("results:download", args=args))
    assert b"".join(answer.streaming_content) == renewed
    assert client.get(reverse("results:verify", args=args)).status_code == 200

    # a copy downloaded before the re-stamp is still recognised as this document
    earlier = queries.verify_upload(first)
    assert earlier.authentic and earlier.document == document
    body = upload(client, first).content.decode()
    assert "Документ подлинный" in body and application.registration_number in body

    # idempotent: not due any more, a second run changes nothing
    assert restamp_results.call() == {"restamped": 0, "failed": [], "retry_at": None}
    assert actions.restamp_document(document.pk) is None
    document.refresh_from_db()
    assert stored_pdf(document) == renewed
    assert AuditRecord.objects.filter(action="results.restamp").count() == 1


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_a_gost_result_is_restamped_by_the_gost_tsa(certificate_decision, demo_pki, settings):
    document, *_ = issue(certificate_decision, demo_pki)  # GOST head, six-year TSA
    settings.QYZMET_RESULTS_RESTAMP_MARGIN_DAYS = 10 * 365  # so it is due now
    assert restamp_results.call()["restamped"] == 1
    document.refresh_from_db()
    renewed = stored_pdf(document)
    verdict = check(renewed)
    assert verdict.code == "valid"
    assert [s.hash_algorithm for s in verdict.archive_stamps] == [tsa.STREEBOG512] * 2
    assert all(s.tsa_key_algorithm.startswith(GOST_KEY) for s in verdict.archive_stamps)


def test_tsa_down_leaves_the_document_unchanged_and_the_job_retries(
    certificate_decision, demo_pki, settings, demo_tsa_url
):
    from django_tasks_db.models import DBTaskResult

    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    settings.QYZMET_RESULTS_RESTAMP_MARGIN_DAYS = 10 * 365  # so it is due now
    before = (document.pdf.name, document.pdf_sha256, document.timestamp_expires_at)
    pdf = stored_pdf(document)

    settings.QYZMET_TSA_URL = closed_port_url()
    started = timezone.now()
    outcome = restamp_results.call()
    assert outcome["restamped"] == 0 and outcome["failed"] == [document.pk]
    document.refresh_from_db()
    assert (document.pdf.name, document.pdf_sha256, document.timestamp_expires_at) == before
    assert stored_pdf(document) == pdf
    assert not AuditRecord.objects.filter(action="results.restamp").exists()

    # the task queued itself again, an hour later (QYZMET_RESULTS_RESTAMP_RETRY_SECONDS)
    (retry,) = DBTaskResult.objects.filter(task_path=restamp_results.module_path)
    assert retry.args_kwargs["args"] == [1]
    assert retry.run_after >= started + timedelta(seconds=3600)

    settings.QYZMET_TSA_URL = demo_tsa_url  # the TSA is back: the retry re-stamps
    assert restamp_results.call(*retry.args_kwargs["args"])["restamped"] == 1
    document.refresh_from_db()
    assert document.pdf_sha256 != before[1]
    assert check(stored_pdf(document)).code == "valid"


def test_retries_are_bounded(certificate_decision, demo_pki, settings):
    from django_tasks_db.models import DBTaskResult

    issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    settings.QYZMET_RESULTS_RESTAMP_MARGIN_DAYS = 10 * 365
    settings.QYZMET_TSA_URL = closed_port_url()
    assert restamp_results.call(5)["retry_at"] is None  # the fifth retry was the last
    assert not DBTaskResult.objects.filter(task_path=restamp_results.module_path).exists()


def test_the_scheduler_queues_the_renewal_when_a_document_is_due(certificate_decision, demo_pki):
    """The scheduler's daily job (its loop is the audit checkpoint's, tested there)."""
    from django_tasks_db.models import DBTaskResult

    from qyzmet.workflow.management.commands.scheduler import Command

    def queued() -> int:
        return DBTaskResult.objects.filter(task_path=restamp_results.module_path).count()

    document, *_ = issue(certificate_decision, demo_pki, sign=sign_in_python_rsa)
    Command()._restamp()  # the six-year TSA certificate: nothing due
    assert queued() == 0
    ResultDocument.objects.filter(pk=document.pk).update(
        timestamp_expires_at=timezone.now() + timedelta(days=100)
    )
    Command()._restamp()
    assert queued() == 1
