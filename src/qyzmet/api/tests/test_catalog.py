"""The catalogue through the API: services in force, passports (p.12), form schemas."""

import pytest

from .conftest import Api

pytestmark = pytest.mark.django_db


def test_services_in_force(catalog):
    services = Api().get("/catalog/services/").json()["services"]
    assert {"temporary-export", "restoration-approval"} <= {s["service"] for s in services}
    assert all(s["in_force"] and not s["repealed"] for s in services)


def test_passport_has_what_the_regulation_lists(catalog):
    passport = Api().get("/catalog/services/temporary-export/").json()
    for key in ("recipients", "fee", "term", "schedule", "documents", "result", "legal_basis"):
        assert passport[key], key
    assert passport["helpline"]["phone"] == "1414"
    assert passport["accepts_applications"] is True
    assert len(passport["versions"]) >= 2


def test_repealed_version_says_so(catalog):
    passport = Api().get("/catalog/services/temporary-export/versions/2014-06/").json()
    assert passport["repealed"] is True and passport["accepts_applications"] is False
    assert passport["effective_until"]


def test_form_schema(catalog):
    schema = Api().get("/catalog/services/temporary-export/versions/demo-2026/form-schema/").json()
    assert schema["type"] == "object" and "items" in schema["properties"]


def test_titles_follow_accept_language(catalog):
    english = Api(language="en").get("/catalog/services/temporary-export/").json()
    kazakh = Api(language="kk").get("/catalog/services/temporary-export/").json()
    assert english["title"].startswith("Issue of a certificate")
    assert kazakh["title"].startswith("Мәдени құндылықтарды")


def test_unknown_service_or_version_is_404(catalog):
    for path in ("/catalog/services/nothing/", "/catalog/services/temporary-export/versions/x/"):
        response = Api().get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
