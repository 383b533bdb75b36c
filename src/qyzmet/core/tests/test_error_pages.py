"""The error pages with DEBUG off (issue 13, item 7): a wrong QR token, an unknown service or
application, an unknown desk address → 404 in the portal's or the desk's frame, in the page's
language, with the helpline; GET on a POST-only address → 405 the same way (Allow kept);
403 and 500 too; ``/api/v1/`` answers JSON naming the documentation and the schema."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, RequestFactory

from qyzmet import errors

pytestmark = pytest.mark.django_db

PORTAL_FRAME = 'href="/applications/"'  # noqa: S105 -- not a secret: a marker of the frame
PORTAL_MASTHEAD = '<header class="masthead">'


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False


def portal_page(response) -> str:
    page = response.content.decode()
    assert PORTAL_MASTHEAD in page and "portal/portal.css" in page, page[:300]
    assert "data-helpline>1414<" in page
    return page


def desk_page(response) -> str:
    page = response.content.decode()
    assert "office/office.css" in page and "рабочее место" in page or "жұмыс орны" in page
    assert "data-helpline>1414<" in page
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/results/verify/CULT-2026-000001/not-a-token/",  # a wrong QR token
        "/services/no-such-service/",
        "/no/such/page/",
    ],
)
def test_not_found_is_the_portals_page_in_the_pages_language(catalog, path):
    response = Client().get(path)
    assert response.status_code == 404
    page = portal_page(response)
    assert '<html lang="ru">' in page and "Страница не найдена" in page
    assert "Not Found" not in page
    kazakh = portal_page(Client().get(path, HTTP_ACCEPT_LANGUAGE="kk"))
    assert '<html lang="kk">' in kazakh and "Бет табылмады" in kazakh


def test_an_unknown_application_of_a_logged_in_applicant(catalog, applicant):
    client = Client()
    client.force_login(applicant)
    response = client.get(f"/applications/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "Страница не найдена" in portal_page(response)


def test_desk_errors_are_in_the_desks_frame(catalog, staff):
    client = Client()
    client.force_login(staff["head"])
    response = client.get("/office/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in desk_page(response)
    response = client.get(f"/office/cases/{uuid.uuid4()}/assign/")  # only takes POST
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = desk_page(response)
    assert "Действие недоступно" in page and 'data-error="405"' in page
    english = client.get(f"/office/cases/{uuid.uuid4()}/assign/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Action not available" in english.content.decode()


def test_get_on_a_portal_post_only_address_is_a_page_not_an_empty_405(catalog):
    response = Client().get("/challenge/sign-up/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Действие недоступно" in portal_page(response)


def test_forbidden_and_server_error_pages(catalog):
    request = RequestFactory().get("/applications/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    forbidden = errors.permission_denied(request)
    assert forbidden.status_code == 403 and "Доступ запрещён" in portal_page(forbidden)
    failed = errors.server_error(request)
    assert failed.status_code == 500 and "Ошибка на сервере" in portal_page(failed)


def test_the_api_root_and_unknown_api_addresses_name_the_docs(catalog):
    root = Client().get("/api/v1/")
    assert root.status_code == 200
    assert root.json() == {
        "name": "qyzmet API",
        "version": "v1",
        "docs": "/api/v1/docs/",
        "schema": "/api/v1/schema/",
    }
    missing = Client().get("/api/v1/no-such/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert missing.json()["docs"] == "/api/v1/docs/"
    assert missing.json()["schema"] == "/api/v1/schema/"
