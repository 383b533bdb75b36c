"""Drafts across an amendment (issue 11 item 5, p.9): a draft begun under a version that an
amendment has since replaced is processed under the version in force on the submission day,
its data re-validated against that version's form; where they no longer fit, the applicant
is told which fields to fix and nothing entered is lost."""

import json

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.queries import version_in_force
from qyzmet.core.refusals import Refused
from qyzmet.testing import (
    PORTAL_UPLOADS,
    form_for,
    pdf_bytes,
    upload,
    version_replaced_by_current,
)

SERVICE = next(iter(PORTAL_UPLOADS))
NEW_FIELD = "amendment_reference"


@pytest.fixture
def old_draft(individual):
    """A complete draft of the service, begun under a version that is no longer in force
    (the version before the one in force today)."""
    earlier = version_replaced_by_current(SERVICE)
    draft = cases.save_draft(individual, service_code=SERVICE, form_data=form_for(SERVICE))
    for code in PORTAL_UPLOADS[SERVICE]:
        cases.add_draft_attachment(
            individual, draft, cases.AttachmentInput(code, upload(f"{code}.pdf", pdf_bytes(code)))
        )
    Application.objects.filter(pk=draft.pk).update(service_version=earlier)
    draft.refresh_from_db()
    return draft


def amend_form_of(version: ServiceVersion) -> None:
    """The amendment's form asks for one more field (as a new form schema file would)."""
    schema = json.loads(json.dumps(version.form_schema))
    schema["properties"][NEW_FIELD] = {
        "type": "string",
        "minLength": 1,
        "title": "Реквизиты изменения",
        "x-title-kk": "Өзгерістің деректемелері",
        "x-title-en": "Amendment reference",
    }
    schema["required"] = [*schema.get("required", []), NEW_FIELD]
    version.form_schema = schema
    version.source_sha256 = "a" * 64
    version.save(update_fields=["form_schema", "source_sha256"])


@pytest.mark.django_db
def test_a_draft_signed_as_the_old_version_is_moved_and_signed_again(individual, pki, old_draft):
    old_version = old_draft.service_version
    before = (
        dict(old_draft.form_data),
        sorted(old_draft.attachments.values_list("sha256", flat=True)),
    )
    with pytest.raises(Refused) as refused:
        cases.submit_draft(
            individual, old_draft, signature=pki.sign("abenova", canonical_request(old_draft))
        )
    assert refused.value.code == "draft_moved_to_version"
    new_version = version_in_force(SERVICE, old_draft.created_at)
    assert new_version.version in refused.value.message("ru")

    moved = cases.bring_draft_into_force(individual, old_draft)
    assert moved is not None and moved.service_version == new_version
    assert (
        dict(moved.form_data),
        sorted(moved.attachments.values_list("sha256", flat=True)),
    ) == before
    assert cases.bring_draft_into_force(individual, moved) is None  # once
    record = AuditRecord.objects.get(action="cases.move_draft_version")
    assert record.before == {"service_version": old_version.version}
    assert record.after == {"service_version": new_version.version}

    registered = cases.submit_draft(
        individual, moved, signature=pki.sign("abenova", canonical_request(moved))
    )
    assert registered.status != Status.DRAFT and registered.registration_number
    assert registered.service_version == new_version
    assert registered.form_data == before[0]


@pytest.mark.django_db
def test_submitted_after_an_amendment_the_draft_is_revalidated_against_the_new_form(
    individual, pki, old_draft
):
    new_version = version_in_force(SERVICE, old_draft.created_at)
    amend_form_of(new_version)
    moved = cases.bring_draft_into_force(individual, old_draft)
    with pytest.raises(Refused) as refused:
        cases.submit_draft(
            individual, moved, signature=pki.sign("abenova", canonical_request(moved))
        )
    assert refused.value.code == "form_invalid"
    assert refused.value.field_name == f"/{NEW_FIELD}" or NEW_FIELD in refused.value.message("en")
    moved.refresh_from_db()
    assert moved.status == Status.DRAFT and moved.form_data == form_for(SERVICE)


@pytest.mark.django_db
def test_the_portal_names_the_fields_to_fix_and_keeps_what_was_entered(
    individual_client, old_draft
):
    new_version = version_in_force(SERVICE, old_draft.created_at)
    amend_form_of(new_version)
    review = individual_client.get(f"/applications/{old_draft.public_id}/review/")
    assert review.status_code == 302 and review.url.endswith("/edit/?amended=1")
    page = individual_client.get(review.url).content.decode()
    assert "data-amended" in page and new_version.version in page
    assert "Реквизиты изменения" in page
    # The new field is marked as the one to fill in ...
    marked = page[page.index(f'name="{NEW_FIELD}"') - 600 : page.index(f'name="{NEW_FIELD}"') + 600]
    assert "aria-invalid" in marked or "error" in marked
    # ... and everything entered before is still in the form.
    for value in _leaves(form_for(SERVICE)):
        assert str(value) in page, value
    old_draft.refresh_from_db()
    assert old_draft.service_version == new_version
    assert old_draft.form_data == form_for(SERVICE)


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str) and value:
        yield value


@pytest.mark.django_db
def test_with_no_version_in_force_the_draft_stays_and_is_refused(
    individual, individual_client, pki, old_draft, settings
):
    settings.QYZMET_CATALOG_DEMO = False  # a real installation after the repeal
    review = individual_client.get(f"/applications/{old_draft.public_id}/review/")
    assert review.status_code == 200
    with pytest.raises(Refused) as refused:
        cases.submit_draft(
            individual, old_draft, signature=pki.sign("abenova", canonical_request(old_draft))
        )
    assert refused.value.code == "service_not_in_force"
    before = old_draft.service_version
    old_draft.refresh_from_db()
    assert old_draft.service_version == before and old_draft.status == Status.DRAFT
