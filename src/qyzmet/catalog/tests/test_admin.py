"""The admin shows service versions read-only: they come from the catalogue files."""

import pytest

from qyzmet.catalog.loader import load_catalog
from qyzmet.catalog.models import ServiceVersion


@pytest.fixture
def admin_client_with_catalog(admin_client, real_catalog):
    load_catalog(real_catalog, include_demo=True)
    return admin_client


def test_list_and_view_but_no_changes(admin_client_with_catalog):
    client = admin_client_with_catalog
    version = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    listing = client.get("/admin/catalog/serviceversion/")
    assert listing.status_code == 200
    assert "2014-06" in listing.content.decode()
    detail = client.get(f"/admin/catalog/serviceversion/{version.pk}/change/")
    assert detail.status_code == 200
    assert client.get("/admin/catalog/serviceversion/add/").status_code == 403
    assert (
        client.post(
            f"/admin/catalog/serviceversion/{version.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        f"/admin/catalog/serviceversion/{version.pk}/change/", {"version": "hacked"}
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.version == "2014-06"
