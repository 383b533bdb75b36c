"""Untrusted input that no database can store and no code can walk, refused at one place.

Three things pass every parser yet break what comes after it (issue 12, finding 10):

- a NUL character (``\\u0000`` in JSON, ``%00`` in a query string or a form field):
  PostgreSQL stores no NUL in text or jsonb, so the write failed with a 500;
- a lone surrogate (``"\\ud800"`` in JSON): not a character, it cannot be encoded as UTF-8
  (for the database, the audit chain's hash, the canonical request), on every database;
- JSON nested deeper than Python's recursion limit (``[[[[…]]]]``): ``RecursionError``
  in the parser itself, or later in whatever walks the value.

:func:`loads` is the JSON parser of every JSON request body (the API's parser, eGov mobile's
PUT); :func:`check` walks a parsed value; :class:`UntrustedInputMiddleware` applies the same
text check to every query string and form field. Each refuses with a code (400), before any
action runs, so nothing is stored.

Setting: ``QYZMET_INPUT_MAX_JSON_DEPTH`` (64): the deepest nesting of arrays and objects a
JSON body may have (a form's data is a few levels deep).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext_lazy, ngettext_lazy

from .refusals import Refused, register
from .responses import API_PREFIX, refusal_response

DEFAULT_MAX_DEPTH = 64

register(
    "input_nul_character",
    gettext_lazy("Введённые данные содержат недопустимый символ NUL (\\u0000)."),
)
register(
    "input_invalid_unicode",
    gettext_lazy("Введённые данные содержат недопустимый символ (одиночный суррогат Unicode)."),
)
register(
    "input_too_deep",
    ngettext_lazy(
        "Данные JSON вложены слишком глубоко (не более {limit} уровня).",
        "Данные JSON вложены слишком глубоко (не более {limit} уровней).",
        "limit",
    ),
)
register("malformed_json", gettext_lazy("Тело запроса не является корректным JSON."))


def max_depth() -> int:
    return int(getattr(settings, "QYZMET_INPUT_MAX_JSON_DEPTH", DEFAULT_MAX_DEPTH))


def check_text(text: str) -> str:
    """``text`` if a database can store it; otherwise the refusal."""
    if "\x00" in text:
        raise Refused("input_nul_character")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise Refused("input_invalid_unicode") from exc
    return text


def check(value, limit: int | None = None):
    """``value`` (parsed JSON) if every string in it, keys included, passes
    :func:`check_text` and it is nested at most ``limit`` levels; walked without recursion."""
    limit = max_depth() if limit is None else limit
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth >= limit:
                raise Refused("input_too_deep", {"limit": limit})
            if isinstance(item, dict):
                for key, child in item.items():
                    check_text(str(key))
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
    return value


def _reject_constant(name: str):
    # NaN and Infinity are not JSON (RFC 8259); Python's json would accept them.
    raise ValueError(f"{name} is not valid JSON")


def loads(raw: bytes | str):
    """Parse a JSON document from an untrusted client: ``malformed_json`` when it is not
    JSON (UTF-8, no NaN/Infinity), then :func:`check`."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise Refused("input_too_deep", {"limit": max_depth()}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused("malformed_json") from exc
    return check(value)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UntrustedInputMiddleware:
    """Every query string and form field goes through :func:`check_text` before a view sees
    it: ``?q=%00`` or a NUL typed into a form is a 400 with the code, not a 500 from the
    database. JSON bodies are checked by their parser (:func:`loads`); the API's multipart
    bodies by DRF's own parser (their fields are checked by the API's serializers), so
    ``/api/`` requests have only their query string checked here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self._check(request)
        except Refused as refused:
            return refusal_response(request, refused, refused.status)
        return self.get_response(request)

    def _check(self, request) -> None:
        fields = [request.GET]
        if (
            request.method == "POST"
            and request.content_type in _FORM_TYPES
            and not request.path.startswith(API_PREFIX)
        ):
            fields.append(request.POST)
        for query in fields:
            for key, values in query.lists():
                check_text(key)
                for value in values:
                    check_text(value)
        check_text(request.path)
