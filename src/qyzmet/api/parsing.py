"""Request parsers with hard body limits.

DRF reads a JSON body straight from the WSGI stream, past Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` check (which guards only ``request.body``), so the limit is
enforced here: the declared length is checked before anything is read, and the read itself
stops one byte past the limit (a body without an honest Content-Length is cut off too).
The JSON itself is parsed by ``qyzmet.core.untrusted.loads``, the one parser of untrusted JSON.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from qyzmet.core import untrusted

from . import conf

UPLOAD_MEDIA_TYPE = "multipart/form-data"


class BodyTooLarge(RequestDataTooBig):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")
        self.limit = limit


def describe_limit(exc: Exception) -> int:
    from django.conf import settings

    limit = getattr(exc, "limit", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return max(1, int(limit) // 1024)


def _declared_length(parser_context) -> int:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise ParseError("invalid Content-Length") from exc


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = int(conf.get("MAX_JSON_BYTES"))
        if _declared_length(parser_context) > limit:
            raise BodyTooLarge(limit)
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise BodyTooLarge(limit)
        # Not JSON: malformed_json; NULs, lone surrogates, too deep: their own codes (400).
        return untrusted.loads(raw)


class LimitedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = int(conf.get("MAX_UPLOAD_BYTES"))
        if _declared_length(parser_context) > limit:
            raise BodyTooLarge(limit)
        return super().parse(stream, media_type, parser_context)
