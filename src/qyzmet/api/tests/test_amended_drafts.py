"""The API's request to sign of a draft begun before an amendment: the draft moves to the
version in force, and the bytes to sign name it (issue 11 item 5)."""

import base64
import json

import pytest
from django.utils import timezone

from qyzmet.cases.models import Application
from qyzmet.catalog.queries import version_in_force
from qyzmet.testing import version_replaced_by_current

from .conftest import new_draft

SERVICE = "temporary-export"


@pytest.mark.django_db
def test_request_to_sign_is_that_of_the_version_in_force(individual):
    draft = new_draft(individual, SERVICE)
    current = version_in_force(SERVICE, timezone.localdate())
    earlier = version_replaced_by_current(SERVICE)
    Application.objects.filter(public_id=draft["id"]).update(service_version=earlier)
    response = individual.get(f"/applications/{draft['id']}/request-to-sign/")
    assert response.status_code == 200, response.content
    content = json.loads(base64.b64decode(response.json()["content"]))
    assert content["service_version"] == current.version
    assert Application.objects.get(public_id=draft["id"]).service_version == current
