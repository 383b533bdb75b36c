"""Every error of the API is JSON ``{"code", "message", "field"}`` with a stable code and the
message in the request's language (Accept-Language: ru, kk, en; Russian by default).

The DRF exception handler here maps refusals of the write layer (``Refused``), DRF's
validation, parse, media-type, authentication, permission and throttling errors, Django's
body limits and 404s. Bad input is always a 4xx with a code; only a fault of the server
itself is a 500, and that too is JSON without a traceback.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import (
    PermissionDenied as DjangoPermissionDenied,
)
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response

from qyzmet.core import untrusted as _untrusted  # noqa: F401  (registers malformed_json)
from qyzmet.core.refusals import Refused, register
from qyzmet.core.uploads import UploadTooLarge

logger = logging.getLogger(__name__)

register("malformed_request", gettext_lazy("Запрос не удалось разобрать: {detail}"))
register("body_too_large", gettext_lazy("Тело запроса слишком велико (не более {limit_kb} КБ)."))
register("too_many_fields", gettext_lazy("В запросе слишком много полей."))
register(
    "unsupported_media_type",
    gettext_lazy("Тип содержимого «{media_type}» не поддерживается; ожидается {expected}."),
)
register("not_acceptable", gettext_lazy("Ответ может быть только в формате JSON."))
register(
    "not_authenticated",
    gettext_lazy("Требуется вход: передайте токен в заголовке Authorization: Bearer <токен>."),
)
register("token_invalid", gettext_lazy("Токен недействителен, истёк или отозван. Войдите снова."))
register(
    "csrf_failed", gettext_lazy("Запрос с сессией браузера отклонён: нет или неверный CSRF-токен.")
)
register("method_not_allowed", gettext_lazy("Метод {method} не поддерживается для этого адреса."))
register("throttled", gettext_lazy("Слишком много запросов. Повторите через {seconds} с."))
register("field_required", gettext_lazy("Обязательное поле «{field}» не заполнено."))
register("invalid_value", gettext_lazy("Неверное значение поля «{field}»: {detail}"))
register(
    "idempotency_key_invalid",
    gettext_lazy(
        "Заголовок Idempotency-Key: от 8 до 64 символов (буквы, цифры, «-», «_», «.», «:»)."
    ),
)
register(
    "idempotency_key_required", gettext_lazy("Для этого запроса нужен заголовок Idempotency-Key.")
)
register(
    "idempotency_key_reused",
    gettext_lazy("Ключ Idempotency-Key уже использован для другого запроса."),
    status=422,
)
register(
    "result_not_available", gettext_lazy("Выходной документ по заявлению ещё не выдан."), status=404
)
register(
    "internal_error",
    gettext_lazy("Внутренняя ошибка сервера. Запрос не выполнен; попробуйте позже."),
)


def language() -> str:
    return (translation.get_language() or "ru")[:2]


def error_body(refused: Refused) -> dict[str, Any]:
    body = refused.as_dict(language())
    body.setdefault("field", None)
    return body


def refusal_response(refused: Refused, status: int | None = None) -> Response:
    return Response(error_body(refused), status=status or refused.status)


def _first_error(detail, path: str = "") -> tuple[str, exceptions.ErrorDetail | str]:
    """The first leaf of DRF's nested error detail and the dotted path to it."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = path if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            return _first_error(value, name)
    if isinstance(detail, list) and detail:
        first = detail[0]
        if isinstance(first, dict | list):
            index = next((i for i, item in enumerate(detail) if item), 0)
            return _first_error(detail[index], f"{path}.{index}" if path else str(index))
        return path, first
    return path, str(detail)


def _validation_refusal(exc: exceptions.ValidationError) -> Refused:
    field, error = _first_error(exc.detail)
    code = getattr(error, "code", "invalid")
    if code in {"required", "null", "blank"}:
        return Refused("field_required", {"field": field or "—"}, field_name=field or None)
    return Refused(
        "invalid_value", {"field": field or "—", "detail": str(error)}, field_name=field or None
    )


def _refusal_for(exc: Exception) -> tuple[Refused, int] | None:
    """The refusal and status for a known kind of error; None for a fault of the server."""
    from .parsing import UPLOAD_MEDIA_TYPE, describe_limit

    match exc:
        case Refused():
            return exc, exc.status
        case UploadTooLarge():
            return exc.refusal(), 413
        case RequestDataTooBig():
            return Refused("body_too_large", {"limit_kb": describe_limit(exc)}), 413
        case TooManyFieldsSent():
            return Refused("too_many_fields"), 400
        case exceptions.ParseError():
            if "JSON" in str(exc.detail):
                return Refused("malformed_json"), 400
            return Refused("malformed_request", {"detail": str(exc.detail)[:200]}), 400
        case exceptions.UnsupportedMediaType():
            expected = f"application/json {UPLOAD_MEDIA_TYPE}"
            return Refused(
                "unsupported_media_type",
                {"media_type": str(exc.args[0] if exc.args else "")[:100], "expected": expected},
            ), 415
        case exceptions.NotAcceptable():
            return Refused("not_acceptable"), 406
        case exceptions.NotAuthenticated():
            return Refused("not_authenticated"), 401
        case exceptions.AuthenticationFailed():
            return Refused("token_invalid"), 401
        case exceptions.PermissionDenied() if "CSRF" in str(exc.detail):
            return Refused("csrf_failed"), 403
        case exceptions.PermissionDenied() | DjangoPermissionDenied():
            return Refused("permission_denied"), 403
        case exceptions.NotFound() | Http404():
            return Refused("not_found"), 404
        case exceptions.MethodNotAllowed():
            method = str(exc.args[0] if exc.args else "")[:10]
            return Refused("method_not_allowed", {"method": method}), 405
        case exceptions.Throttled():
            return Refused("throttled", {"seconds": math.ceil(exc.wait or 1)}), 429
        case exceptions.ValidationError():
            return _validation_refusal(exc), 400
        case SuspiciousOperation():
            return Refused("malformed_request", {"detail": exc.__class__.__name__}), 400
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's ``EXCEPTION_HANDLER`` for every view of the API (set on the base view)."""
    found = _refusal_for(exc)
    if found is None:
        logger.exception("unexpected error in the API", exc_info=exc)
        return Response(error_body(Refused("internal_error")), status=500)
    refused, status = found
    response = Response(error_body(refused), status=status)
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(math.ceil(exc.wait))
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@csrf_exempt
def json_not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown addresses under /api/v1/ answer in JSON too (not the portal's HTML 404), with
    where the documentation is, for every method: exempt from the CSRF check, which would
    answer a POST, PUT or DELETE with the site's HTML 403 first (this view changes nothing)."""
    from django.urls import reverse

    body = {
        **error_body(Refused("not_found")),
        "docs": reverse("api:docs"),
        "schema": reverse("api:schema"),
    }
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
