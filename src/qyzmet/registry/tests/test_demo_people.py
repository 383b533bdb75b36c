"""The demo registry agrees with the demo people (issue 13, item 2): a GBD FL/UL look-up,
through the gateway protocol against the simulator process, of the IIN or BIN in any demo key
holder's certificate answers the same person or organisation the certificate names; the
sample cases of ``make run`` are in the names of those people."""

from __future__ import annotations

import pytest
from cryptography.x509.oid import NameOID

from qyzmet.demo.pki import PEOPLE, person
from qyzmet.eds.tests.demo_pki import certificate_of, shared_demo_pki, subject_value

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_demo_key_holder_is_found_in_the_registry_under_the_certificates_names(
    make_client,
):
    directory = shared_demo_pki()
    client = make_client()
    for holder in PEOPLE:
        certificate = certificate_of(directory, person(directory, holder.id)["sign_p12"])
        iin = subject_value(certificate, NameOID.SERIAL_NUMBER).removeprefix("IIN")
        found = client.lookup_person(iin)
        assert found is not None, holder.id
        # NCA writes CN "SURNAME NAME" and G (the patronymic) in capitals; GBD FL in title case.
        assert f"{found.surname} {found.name}".upper() == subject_value(
            certificate, NameOID.COMMON_NAME
        ), holder.id
        assert found.patronymic.upper() == subject_value(certificate, NameOID.GIVEN_NAME)
        organization_unit = subject_value(certificate, NameOID.ORGANIZATIONAL_UNIT_NAME)
        if organization_unit is None:
            continue
        bin_ = organization_unit.removeprefix("BIN")
        organization = client.lookup_organization(bin_)
        assert organization is not None, holder.id
        assert organization.name.upper() == subject_value(certificate, NameOID.ORGANIZATION_NAME), (
            holder.id
        )
        if "first_head" in holder.roles:
            assert organization.head_iin == iin, holder.id
