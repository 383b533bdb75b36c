"""The whole signing route with the EDS demo PKI (the keys `make run` uses): the head's demo key
signs the prepared bytes through the Python signer, the EDS verifier accepts the CMS as the
workflow will (chain, CRL, purpose, the head's IIN), the document is issued, and the public
page — trusting the demo CA folder — says authentic and names the demo head."""

import pytest
from django.urls import reverse

from qyzmet.results import actions, pades
from qyzmet.workflow.signatures import verify_head_signature

from .conftest import approval_decision

pytestmark = pytest.mark.django_db


def test_demo_head_signs_and_the_page_says_authentic(catalog, staff, demo_pki, client):
    head_person = demo_pki.person("zhumabaev")
    decision = approval_decision(staff, "restoration-approval", key="demo")
    covered = actions.prepare_document(decision)
    cms = demo_pki.sign("zhumabaev", covered)

    signer = verify_head_signature(staff["head"], covered, cms)  # what sign_decision checks
    assert signer["subject"]["iin"] == head_person["iin"]

    document = actions.finalize_document(decision, cms)
    with document.pdf.open("rb") as handle:
        pdf = handle.read()
    roots = [p.read_bytes() for p in sorted((demo_pki.directory / "ca").iterdir())]
    from qyzmet.eds.certificate import pem_or_der

    verdict = pades.validate(pdf, trust_roots=[d for r in roots for d in pem_or_der(r)])
    assert verdict.code == "valid"

    page = client.get(
        reverse("results:verify", args=[decision.application.registration_number, document.token])
    )
    body = page.content.decode()
    assert "Документ подлинный" in body
    assert head_person["iin"] in body
