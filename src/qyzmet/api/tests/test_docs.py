"""The OpenAPI 3 schema and the documentation page (Swagger UI from the npm package, strict
CSP: no inline script, no CDN)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_every_flow():
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for expected in (
        "/api/v1/catalog/services/",
        "/api/v1/auth/challenges/",
        "/api/v1/auth/sign-up/",
        "/api/v1/auth/log-in/",
        "/api/v1/applications/",
        "/api/v1/applications/{public_id}/attachments/",
        "/api/v1/applications/{public_id}/request-to-sign/",
        "/api/v1/applications/{public_id}/submit/",
        "/api/v1/applications/{public_id}/result.pdf",
        "/api/v1/staff/inbox/",
        "/api/v1/staff/paper-applications/",
        "/api/v1/staff/applications/{public_id}/assign/",
        "/api/v1/staff/applications/{public_id}/check/",
        "/api/v1/staff/applications/{public_id}/prepare/",
        "/api/v1/staff/applications/{public_id}/sign/",
        "/api/v1/staff/intake-refusals/",
        "/api/v1/staff/applications/{public_id}/handover/",
    ):
        assert expected in paths, expected
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    submit = paths["/api/v1/applications/{public_id}/submit/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])


def test_docs_page_loads_swagger_ui_from_this_server_under_strict_csp():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(body.strip() == "" for _, body in scripts)  # no inline code
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert all(src.startswith("/") for src in sources)  # same origin, no CDN
    client = Client()
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200, src
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert len(body) > 100


def test_docs_assets_are_a_fixed_list():
    assert Client().get("/api/v1/docs/assets/swagger-ui.css").status_code == 200
    for name in ("package.json", "..%2F..%2Fpackage.json", "index.html"):
        response = Client().get(f"/api/v1/docs/assets/{name}")
        assert response.status_code == 404
