"""Reads of the result documents, and the public verification (the page behind the QR code).

A verdict is computed by validating the stored signed PDF with pyHanko against the trust
anchors (not read from a flag in the database), so a file changed in storage is reported as
not authentic. The outcome is cached per document, keyed by the PDF's hash and the anchors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse

from . import conf, pades
from .models import DocumentState, ResultDocument

ISSUED_STATES = (DocumentState.ISSUED, DocumentState.REVOKED)


def document_for(application) -> ResultDocument | None:
    """The application's issued (or revoked) result document, the latest if several."""
    return (
        ResultDocument.objects.filter(application=application, state__in=ISSUED_STATES)
        .order_by("-issued_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class VerificationResult:
    """What the verification page shows. ``status``: ``authentic``, ``revoked`` (authentic
    but withdrawn by the provider), ``not_authentic``, or (uploads only) ``valid_signature``
    for a validly signed PDF that is not a document issued here; ``code`` says why (pades codes, plus
    ``document_replaced``, ``signer_mismatch``, ``not_issued`` and ``unreadable``)."""

    status: str
    code: str
    document: ResultDocument | None = None
    signer_name: str = ""
    signer_iin: str = ""
    signer_organization: str = ""
    signer_bin: str = ""
    signed_at: datetime | None = None
    revoked_at: datetime | None = None
    revocation_reason: str = ""
    # The signature time-stamp (PAdES B-T): the signature is "valid at the time of signing"
    # as of its genTime, by the TSA so named; said apart from what has happened since to
    # the signer's certificate (``certificate_expired_at``: its end, when that has passed).
    timestamped_at: datetime | None = None
    tsa_name: str = ""
    certificate_expired_at: datetime | None = None

    @property
    def authentic(self) -> bool:
        return self.status == "authentic"

    @property
    def revoked(self) -> bool:
        return self.status == "revoked"


# --- trust anchors -------------------------------------------------------------------------


def trust_roots() -> list[bytes]:
    """DER of the CA certificates the verification trusts: the results' own folder when set,
    else the EDS trust anchors folder (the same anchors the head's signature was checked
    against), with the EDS rule that NCA *test* CAs count only when test certificates are
    accepted."""
    from qyzmet.eds import conf as eds_conf

    directory = conf.get("TRUST_ANCHORS_DIR")
    if directory:
        return _anchors_in(Path(directory), accept_test=True)
    return _anchors_in(
        Path(eds_conf.get("TRUST_ANCHORS_DIR")),
        accept_test=bool(eds_conf.get("ACCEPT_TEST_CERTIFICATES")),
    )


def _anchors_in(directory: Path, *, accept_test: bool) -> list[bytes]:
    from qyzmet.eds.chain import TrustStore

    try:
        anchors = TrustStore.from_directory(directory).anchors
    except FileNotFoundError:
        return []  # no anchors: nothing is trusted, every verdict says so
    return [
        anchor.der
        for anchor in anchors
        if accept_test or "TEST" not in (anchor.subject_common_name or "").upper()
    ]


def _roots_key(roots: list[bytes]) -> str:
    return hashlib.sha256(b"".join(sorted(hashlib.sha256(r).digest() for r in roots))).hexdigest()


def _check(pdf: bytes, moment: datetime | None) -> pades.PdfCheck:
    # Cached per moment: a time-stamped signature is judged at its genTime anyway, and
    # "has the certificate expired since" is asked afresh by each verdict (_time_facts).
    roots = trust_roots()
    key = "results:check:{}:{}:{}".format(
        hashlib.sha256(pdf).hexdigest(),
        _roots_key(roots),
        moment.isoformat() if moment else "now",
    )
    found = cache.get(key)
    if found is not None:
        return found
    check = pades.validate(pdf, trust_roots=roots, moment=moment)
    if moment is not None:  # "now" verdicts change with time; do not keep them
        cache.set(key, check, int(conf.get("VERIFY_CACHE_SECONDS")))
    return check


def _read_pdf(document: ResultDocument) -> bytes | None:
    try:
        with document.pdf.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _same_signer(check: pades.PdfCheck, document: ResultDocument) -> bool:
    signer = check.signer
    return signer is not None and format(signer.serial_number, "x") == document.signer_serial


def _time_facts(check: pades.PdfCheck) -> dict:
    from django.utils import timezone

    expires = check.signer_not_after
    return {
        "timestamped_at": check.timestamped_at,
        "tsa_name": check.tsa_name,
        "certificate_expired_at": expires if expires and expires < timezone.now() else None,
    }


def _verdict(document: ResultDocument, check: pades.PdfCheck, pdf: bytes) -> VerificationResult:
    people = {
        "signer_name": document.signer_name,
        "signer_iin": document.signer_iin,
        "signer_organization": document.signer_organization,
        "signer_bin": document.signer_bin,
        "signed_at": document.signed_at,
        **_time_facts(check),
    }
    if not check.authentic:
        return VerificationResult("not_authentic", check.code, document)
    if not _same_signer(check, document):
        return VerificationResult("not_authentic", "signer_mismatch", document)
    if hashlib.sha256(pdf).hexdigest() != document.pdf_sha256:
        # Validly signed, but not the file that was issued under this number.
        return VerificationResult("not_authentic", "document_replaced", document)
    if document.state == DocumentState.REVOKED:
        return VerificationResult(
            "revoked",
            "revoked",
            document,
            revoked_at=document.revoked_at,
            revocation_reason=document.revocation_reason,
            **people,
        )
    return VerificationResult("authentic", "valid", document, **people)


def verify_document(document: ResultDocument) -> VerificationResult:
    if document.state not in ISSUED_STATES:
        return VerificationResult("not_authentic", "not_issued", document)
    pdf = _read_pdf(document)
    if pdf is None:
        return VerificationResult("not_authentic", "unreadable", document)
    return _verdict(document, _check(pdf, document.signed_at), pdf)


def restamp_cutoff(now: datetime | None = None) -> datetime:
    """Documents whose newest time-stamp's TSA certificate expires before this are due for
    a new document time-stamp (``QYZMET_RESULTS_RESTAMP_MARGIN_DAYS`` from now)."""
    from datetime import timedelta

    from django.utils import timezone

    return (now or timezone.now()) + timedelta(days=int(conf.get("RESTAMP_MARGIN_DAYS")))


def due_for_restamp(now: datetime | None = None):
    """The issued (or revoked: still verified) documents due for re-stamping, soonest first:
    their newest time-stamp's TSA certificate expires within the margin, or its expiry is
    not yet recorded (issued before results 0003)."""
    from django.db.models import F, Q

    return (
        ResultDocument.objects.filter(state__in=ISSUED_STATES)
        .filter(
            Q(timestamp_expires_at__lte=restamp_cutoff(now)) | Q(timestamp_expires_at__isnull=True)
        )
        .order_by(F("timestamp_expires_at").asc(nulls_first=True), "pk")
    )


def is_due_for_restamp(document: ResultDocument, now: datetime | None = None) -> bool:
    expires = document.timestamp_expires_at
    return document.state in ISSUED_STATES and (expires is None or expires <= restamp_cutoff(now))


def public_document(registration_number: str, token: str) -> ResultDocument | None:
    """The issued document the QR link names, or None. Looked up by the token alone, so a
    wrong token tells nothing about whether the registration number exists."""
    document = (
        ResultDocument.objects.select_related("application__service_version")
        .filter(token=token, state__in=ISSUED_STATES)
        .first()
    )
    if document is None or document.application.registration_number != registration_number:
        return None
    return document


def verify_public(registration_number: str, token: str) -> VerificationResult | None:
    """The verdict for the QR link, or None when the pair does not name an issued document
    (the page then answers 404 without saying whether the number exists)."""
    document = public_document(registration_number, token)
    return None if document is None else verify_document(document)


def verify_upload(pdf: bytes) -> VerificationResult:
    """Anyone's PDF: validated with pyHanko. When it is exactly a document issued here, the
    verdict is that document's (with its revocation); otherwise what the signature says,
    validated now."""
    document = (
        ResultDocument.objects.select_related("application__service_version")
        .filter(pdf_sha256=hashlib.sha256(pdf).hexdigest(), state__in=ISSUED_STATES)
        .first()
    )
    if document is not None:
        return _verdict(document, _check(pdf, document.signed_at), pdf)
    check = _check(pdf, None)
    if not check.authentic:
        return VerificationResult("not_authentic", check.code)
    earlier = _reissued_from(pdf, check)
    if earlier is not None:
        return verify_document(earlier)
    # A valid signature, but not a document issued here: say so rather than "authentic".
    return VerificationResult("valid_signature", "not_issued_here", None, **_signer_of(check))


def _reissued_from(pdf: bytes, check: pades.PdfCheck) -> ResultDocument | None:
    """The issued document ``pdf`` is an earlier copy of: downloaded before a re-stamp
    (``actions.restamp_document``), it is the stored PDF's beginning — same signed bytes,
    fewer incremental updates."""
    if not check.covered_sha256:
        return None
    for document in ResultDocument.objects.select_related("application__service_version").filter(
        covered_sha256=check.covered_sha256, state__in=ISSUED_STATES
    ):
        stored = _read_pdf(document)
        if stored is not None and len(stored) > len(pdf) and stored.startswith(pdf):
            return document
    return None


def document_view(document: ResultDocument):
    """The issued document as composed from its catalogue template (no photographs), for the
    HTML pages: the same blocks the PDF lays out, with the number, the signer, the signing
    date and the verification link of the issued document."""
    from .document import compose

    return compose(
        document.decision,
        number=document.number,
        verification_url=verification_url(document),
        signer=document.prepared_signer or {"name": document.signer_name},
        signed_on=document.prepared_on,
        photos=False,
    )


def decision_view(decision):
    """The decision's document as the office shows it: the draft (marked ЖОБА / ПРОЕКТ) while
    the head has yet to sign, the issued document afterwards; None before one is prepared."""
    from .document import compose

    document = ResultDocument.objects.filter(decision=decision).first()
    if document is None:
        return None
    if document.state != DocumentState.PREPARED:
        return document_view(document)
    return compose(
        decision,
        number=document.number,
        verification_url=verification_url(document),
        signer=document.prepared_signer,
        signed_on=document.prepared_on,
        draft=True,
        photos=False,
    )


def document_title(document: ResultDocument, language: str) -> str:
    from .document import template_for

    title = template_for(document.decision)["title"]
    return title.get(language) or title["ru"]


def expected_head(application):
    """The head the document is prepared for when the executor prepares it (before a head
    opens the sign page): the head who assigned the case, or the only active head; None when
    neither is known. The head who opens the sign page has it prepared for themselves
    (``actions.prepare_for_head``)."""
    from django.contrib.auth import get_user_model

    task = (
        application.tasks.filter(step="assign", completed_by__isnull=False)
        .select_related("completed_by")
        .order_by("-completed_at")
        .first()
    )
    if task is not None:
        return task.completed_by
    heads = list(get_user_model().objects.filter(role="head", is_active=True)[:2])
    return heads[0] if len(heads) == 1 else None


def signer_block(head) -> dict:
    """What the signature block prints for ``head`` (None: nobody named): name and position
    by language (empty: the template's wording)."""
    if head is None:
        return {}
    return {"name": head.display_name, "position": head.position}


def certificate_signer(certificate_der: bytes) -> dict | None:
    """Who a signing certificate names (name, IIN, organisation, BIN, serial), as stored with
    an issued document and shown on the verification page; None when it cannot be read."""
    from qyzmet.eds.certificate import Certificate
    from qyzmet.eds.errors import EdsError
    from qyzmet.eds.profile import profile_of

    try:
        profile = profile_of(Certificate.from_der(certificate_der))
    except (EdsError, TypeError):
        return None
    name = " ".join(p for p in (profile.surname, profile.given_name, profile.patronymic) if p)
    return {
        "signer_name": name or profile.common_name or "",
        "signer_iin": profile.iin or "",
        "signer_organization": profile.organization or "",
        "signer_bin": profile.bin or "",
        "signer_serial": profile.serial,
    }


def _signer_of(check: pades.PdfCheck) -> dict:
    signer = certificate_signer(check.signer_der) or {}
    signer.pop("signer_serial", None)
    return {
        **signer,
        "signed_at": check.timestamped_at or check.signer_reported_at,
        **_time_facts(check),
    }


def verification_url(document: ResultDocument) -> str:
    path = reverse(
        "results:verify",
        kwargs={
            "registration_number": document.application.registration_number,
            "token": document.token,
        },
    )
    return conf.public_base_url() + path
