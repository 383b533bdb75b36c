"""The register's own actions (cases/actions.py): the applicant's drafts and their files, the
signed submission (p.10 условие 2, процесс 6–7), the paper registration and the intake
refusal (p.10 процесс 1–5), and the case builder the other suites use, which drives them."""

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, Attachment, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.core.refusals import Refused
from qyzmet.testing import (
    TRAITS,
    documents_for,
    form_for,
    pdf_bytes,
    reload,
    upload,
)
from qyzmet.workflow.models import Task, TaskState

pytestmark = pytest.mark.django_db

SERVICE = "temporary-export"


def open_steps(application) -> list[str]:
    return sorted(
        Task.objects.filter(application=application, state=TaskState.OPEN).values_list(
            "step", flat=True
        )
    )


def scan(code: str):
    return cases.AttachmentInput(code, upload(f"{code}.pdf", pdf_bytes(code)))


def refusal_code(call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value.code


# --- the builder: each trait is the state the real actions leave the case in -------------

EXPECTED = {
    # trait: (status, open steps) on the paper route (p.10 процессы 1–10, p.6)
    "registered": (Status.REGISTERED, ["assign"]),
    "assigned": (Status.CHECKING, ["check"]),
    "checked": (Status.PREPARING, ["prepare"]),
    "prepared": (Status.SIGNING, ["sign"]),
    "signed": (Status.AWAITING_HANDOVER, ["handover"]),
    "issued": (Status.ISSUED, []),
    "refused": (Status.REFUSED, []),
}


def test_every_trait_is_described():
    assert set(EXPECTED) == set(TRAITS)


@pytest.mark.parametrize("trait", TRAITS)
def test_the_builder_leaves_a_paper_case_at_its_trait(cases_builder, trait):
    application = cases_builder.make(trait, service=SERVICE)
    status, steps = EXPECTED[trait]
    assert (application.status, open_steps(application)) == (status, steps)
    assert application.channel == "office" and application.registration_number


@pytest.mark.parametrize("applicant", ["individual", "legal_entity"])
@pytest.mark.parametrize("channel", ["office", "portal"])
def test_the_builder_issues_on_each_channel_for_each_applicant(cases_builder, channel, applicant):
    service = "restoration-approval" if applicant == "legal_entity" else SERVICE
    application = cases_builder.make(
        "issued", service=service, channel=channel, applicant=applicant
    )
    assert (application.channel, application.applicant_kind) == (channel, applicant)
    assert application.status == Status.ISSUED and open_steps(application) == []
    if applicant == "legal_entity":
        assert application.applicant_bin and application.representative_iin


def test_the_builder_refuses_an_unknown_trait(cases_builder):
    with pytest.raises(ValueError, match="unknown trait"):
        cases_builder.make("approved")


# --- drafts -------------------------------------------------------------------------------


@pytest.fixture
def abenova(cases_builder):
    return cases_builder.account("abenova")


@pytest.fixture
def nurlanov(cases_builder):
    return cases_builder.account("nurlanov")


def test_a_draft_is_saved_half_filled_and_updated_in_place(abenova):
    draft = cases.save_draft(abenova, service_code=SERVICE, form_data={"purpose": "exhibition"})
    assert draft.status == Status.DRAFT and not draft.registration_number
    again = cases.save_draft(abenova, form_data=form_for(SERVICE), draft=draft)
    assert again.pk == draft.pk and again.revision == draft.revision + 1
    assert reload(draft).form_data == form_for(SERVICE)
    actions = AuditRecord.objects.filter(case_id=draft.pk).values_list("action", flat=True)
    assert list(actions.order_by("id")) == ["cases.create_draft", "cases.save_draft"]


def test_someone_elses_draft_is_not_found_and_unchanged(abenova, nurlanov):
    draft = cases.save_draft(abenova, service_code=SERVICE, form_data={})
    assert refusal_code(cases.save_draft, nurlanov, form_data={"x": 1}, draft=draft) == "not_found"
    assert refusal_code(cases.add_draft_attachment, nurlanov, draft, scan("photos")) == "not_found"
    assert reload(draft).form_data == {} and not Attachment.objects.exists()


def test_a_draft_attachment_is_added_and_removed(abenova):
    draft = cases.save_draft(abenova, service_code=SERVICE, form_data={})
    attachment = cases.add_draft_attachment(abenova, draft, scan("purpose_document"))
    assert attachment.sha256 and draft.attachments.count() == 1
    cases.remove_draft_attachment(abenova, draft, attachment.pk)
    assert draft.attachments.count() == 0
    assert refusal_code(cases.remove_draft_attachment, abenova, draft, attachment.pk) == (
        "not_found"
    )


def test_staff_cannot_keep_drafts(staff):
    assert refusal_code(cases.save_draft, staff["clerk"], service_code=SERVICE, form_data={})


# --- the signed submission ----------------------------------------------------------------


def ready_draft(user):
    draft = cases.save_draft(user, service_code=SERVICE, form_data=form_for(SERVICE))
    for code in ("photos", "purpose_document"):
        cases.add_draft_attachment(user, draft, scan(code))
    return reload(draft)


def test_a_submission_is_registered_once(cases_builder, abenova):
    draft = ready_draft(abenova)
    signature = cases_builder.pki.sign("abenova", canonical_request(draft))
    application = cases.submit_draft(abenova, draft, signature=signature)
    assert application.status == Status.REGISTERED and application.registration_number
    assert application.signed_request.content == canonical_request(application)
    # Idempotent: the same signed draft again is the same case, not a second one.
    again = cases.submit_draft(abenova, reload(draft), signature=signature)
    assert again.registration_number == application.registration_number
    assert Application.objects.exclude(status=Status.DRAFT).count() == 1


def test_a_request_signed_by_someone_else_registers_nothing(cases_builder, abenova):
    draft = ready_draft(abenova)
    signature = cases_builder.pki.sign("nurlanov", canonical_request(draft))
    assert refusal_code(cases.submit_draft, abenova, draft, signature=signature) == "iin_mismatch"
    assert reload(draft).status == Status.DRAFT and not reload(draft).registration_number


def test_a_request_without_its_documents_registers_nothing(cases_builder, abenova):
    draft = cases.save_draft(abenova, service_code=SERVICE, form_data=form_for(SERVICE))
    signature = cases_builder.pki.sign("abenova", canonical_request(draft))
    assert (
        refusal_code(cases.submit_draft, abenova, draft, signature=signature)
        == "documents_incomplete"
    )
    assert reload(draft).status == Status.DRAFT


# --- the paper route ----------------------------------------------------------------------


def test_registration_numbers_follow_one_another(cases_builder):
    first, second = cases_builder.paper(SERVICE), cases_builder.paper(SERVICE)
    number = int(first.registration_number.rsplit("-", 1)[1])
    assert second.registration_number.endswith(f"-{number + 1:06d}")


def test_a_paper_registration_is_idempotent(cases_builder):
    first = cases_builder.paper(SERVICE, key="same")
    second = cases_builder.paper(SERVICE, key="same")
    assert first.pk == second.pk
    assert AuditRecord.objects.filter(action="cases.register_paper").count() == 1


def test_an_incomplete_paper_package_is_a_registered_intake_refusal(cases_builder, staff):
    required = documents_for(SERVICE, "office")
    applicant = cases_builder.applicant_input("individual")
    application = cases.refuse_paper_intake(
        staff["clerk"],
        service_code=SERVICE,
        applicant=applicant,
        paper_documents=required[:1],
        idempotency_key="intake-1",
    )
    assert application.status == Status.INTAKE_REFUSED and application.registration_number
    assert application.form_data["missing_documents"] == required[1:]
    assert not Task.objects.filter(application=application).exists()


def test_only_the_desk_registers_paper(cases_builder, staff):
    assert refusal_code(cases_builder.paper, SERVICE, actor=staff["executor"])
    assert not Application.objects.exists()
