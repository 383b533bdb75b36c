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
}
