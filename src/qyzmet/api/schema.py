"""OpenAPI 3 details drf-spectacular cannot infer: the bearer token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "qyzmet.api.authentication.ExpiringTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token from POST /api/v1/auth/log-in/ (or sign-up, log-in/eds, "
            "staff/log-in); expires, revocable with POST /api/v1/auth/log-out/.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "qyzmet.api.authentication.CsrfSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


SPECTACULAR_SETTINGS = {
    "TITLE": "qyzmet API",
    "DESCRIPTION": (
        "Public services of akimat resolution No. 2/339 of 11.05.2014 (Almaty, culture "
        "department): catalogue, the applicant's portal route and the provider's staff flow. "
        'Errors are JSON {"code", "message", "field"}; the message follows Accept-Language '
        "(ru, kk, en)."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicantKindEnum": ["individual", "legal_entity"],
        "DecisionKindEnum": ["approval", "refusal"],
    },
}


# --- error responses: every operation documents the errors it can answer -----------------

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_DESCRIPTIONS = {
    400: "Refused: bad input or a refusal of the write layer (code, message, field)",
    401: "not_authenticated / token_invalid",
    403: "permission_denied / csrf_failed",
    404: "not_found (also for another applicant's application)",
    409: "The case is not in a state for this (not_a_draft, wrong_step, case_finished, …)",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "idempotency_key_reused",
    429: "throttled / login_rate_limited (Retry-After)",
}
UNSAFE = {"post", "put", "patch", "delete"}
# Public operations that change nothing a 409 could be about.
NO_CONFLICT = ("/auth/challenges/", "/auth/log-in/", "/auth/staff/log-in/", "/auth/log-out/")


def _error_statuses(path: str, method: str, operation: dict) -> set[int]:
    statuses = {400, 429}
    authenticated = any(requirement for requirement in operation.get("security", [{}]))
    if authenticated:
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {413, 415}
    # A case's state: a change in the wrong one, or reading what it does not have yet (the
    # bytes to sign of a registered application, the decision of a case not at signing).
    of_a_case = "/applications/{" in path
    if (method in UNSAFE or of_a_case) and not any(path.endswith(end) for end in NO_CONFLICT):
        statuses.add(409)
    headers = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "header"}
    if "Idempotency-Key" in headers:
        statuses.add(422)
    return statuses


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the ``Error`` component, and on every operation
    each error status it can answer (``errors.api_exception_handler`` and the refusals'
    registered statuses), all with the ``Error`` body."""
    from .responses import ErrorOut

    properties = {
        name: {"type": "string", "nullable": name == "field"} for name in ErrorOut().fields
    }
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
    }
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_error_statuses(path, method, operation)):
                responses[str(status)] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
    return result


SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "qyzmet.api.schema.add_error_responses",
]
