"""Issue 12, finding 12, on the API's paper intake (the desk's action, so the desk too):
IIN 000000000000 was registered, a valid IIN was accepted as a BIN, and the contractor's
number in the restoration form was checked by a pattern only."""

import pytest

from qyzmet.cases.models import Application
from qyzmet.testing import documents_for, form_for

pytestmark = pytest.mark.django_db


def paper(office, service, applicant, form_data, key):
    payload = {
        "service": service,
        "applicant": {**applicant, "manual_reason": "test: entered by hand"},
        "form_data": form_data,
        "paper_documents": documents_for(service, "office"),
    }
    return office["clerk"].post("/staff/paper-applications/", payload, {"Idempotency-Key": key})


def test_all_zero_iin_and_an_iin_as_a_bin_are_refused(office):
    person = {"kind": "individual", "name": "Никто", "iin": "000000000000"}
    response = paper(office, "temporary-export", person, form_for("temporary-export"), "zero-iin-1")
    assert response.status_code == 400 and response.json()["code"] == "invalid_iin"
    entity = {"kind": "legal_entity", "name": "ТОО «Ошибка»", "bin": "900101300007"}
    response = paper(office, "temporary-export", entity, form_for("temporary-export"), "iin-bin-1")
    assert response.status_code == 400 and response.json()["code"] == "invalid_bin"
    assert not Application.objects.exists()


def test_the_contractors_number_is_checked_by_x_format(office):
    form = form_for("restoration-approval")
    form["contractor"]["bin"] = "000000000000"
    entity = {"kind": "legal_entity", "name": "ТОО «Реставратор»", "bin": "150340000109"}
    response = paper(office, "restoration-approval", entity, form, "contractor-zero-1")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "form_invalid" and body["field"] == "/contractor/bin"
    assert not Application.objects.exists()
    form["contractor"]["bin"] = "900101300007"  # an individual entrepreneur: an IIN is right
    response = paper(office, "restoration-approval", entity, form, "contractor-iin-1")
    assert response.status_code == 201, response.content
