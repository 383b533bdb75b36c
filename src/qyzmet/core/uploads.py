"""Upload limits on every path: a body too large is refused by its declared length before a
byte of it is read, and a file too large stops the reading at the limit (issue 12,
finding 9: 200 MiB were read into a temporary file before the page said "more than 20 MB").

Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only for ``request.body`` and the non-file
fields of a form; a file of any size is streamed to a temporary file first. Here:

- :class:`UploadLimitMiddleware` answers 413 ``upload_exceeds_limit`` (JSON under ``/api/`` or
  when JSON is asked for, a short page otherwise) when the Content-Length of a form body is
  over the view's request limit; otherwise it installs :class:`FileSizeLimitHandler`,
  which stops the parsing as soon as one file passes the view's file limit (also for DRF's
  multipart parser, which uses the same upload handlers), and parses the form itself so
  that a refusal is answered here. The body is never read past the declared length (Django
  reads at most Content-Length bytes; a body without one is read as empty).
- :func:`upload_limits` sets a view's own limits; the defaults are the settings below.

Settings (each with a default):

- ``QYZMET_UPLOAD_MAX_REQUEST_BYTES`` (101 MiB): the largest form body of any page (the desk
  registers a paper package with all its scans at once).
- ``QYZMET_ATTACHMENT_MAX_BYTES`` (20 MiB): the largest single file (also checked, with its
  type, by ``cases.attachments.check_upload``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy

from .refusals import Refused, register
from .responses import API_PREFIX, refusal_response

MIB = 1024 * 1024

register(
    "upload_exceeds_limit",
    gettext_lazy("Загружаемые данные слишком велики (не более {limit_mb} МБ)."),
    status=413,
)
register(
    "upload_malformed",
    gettext_lazy("Не удалось прочитать отправленную форму или файл. Повторите отправку."),
)
register("upload_too_many_files", gettext_lazy("В запросе слишком много файлов или полей."))


def default_request_limit() -> int:
    return int(getattr(settings, "QYZMET_UPLOAD_MAX_REQUEST_BYTES", 101 * MIB))


def default_file_limit() -> int:
    return int(getattr(settings, "QYZMET_ATTACHMENT_MAX_BYTES", 20 * MIB))


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload larger than {limit} bytes")
        self.limit = limit

    def refusal(self) -> Refused:
        return Refused("upload_exceeds_limit", {"limit_mb": max(1, self.limit // MIB)})


class FileSizeLimitHandler(FileUploadHandler):
    """First in the chain of upload handlers: passes each chunk on, and stops the upload
    (nothing more is read) once one file is over ``limit`` bytes."""

    def __init__(self, request=None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = default_file_limit() if limit is None else int(limit)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_limits(*, request_bytes=None, file_bytes=None):
    """A view's own limits (callables returning bytes, read per request, so settings
    overridden in tests apply); ``None`` keeps the default."""

    def decorate(view):
        view.upload_limits = (request_bytes, file_bytes)
        return view

    return decorate


def _limits_of(request) -> tuple[int, int]:
    request_bytes = file_bytes = None
    try:
        func = resolve(request.path_info).func
    except Resolver404:
        func = None
    limits = getattr(func, "upload_limits", None) or getattr(
        getattr(func, "view_class", None), "upload_limits", None
    )
    if limits:
        request_bytes, file_bytes = limits
    return (
        int(request_bytes()) if request_bytes else default_request_limit(),
        int(file_bytes()) if file_bytes else default_file_limit(),
    )


class UploadLimitMiddleware:
    """See the module. Placed before the CSRF middleware, which reads the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request):
        request_limit, file_limit = _limits_of(request)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > request_limit:
            return refusal_response(request, UploadTooLarge(request_limit).refusal(), 413)
        request.upload_handlers.insert(0, FileSizeLimitHandler(request, file_limit))
        if request.path.startswith(API_PREFIX):
            return None  # DRF parses the body itself, with these upload handlers
        try:
            request.POST  # noqa: B018  (parsed here, so that a refusal is answered here)
        except UploadTooLarge as too_large:
            return refusal_response(request, too_large.refusal(), 413)
        except RequestDataTooBig:
            limit = int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 0) or 0)
            return refusal_response(request, UploadTooLarge(limit).refusal(), 413)
        except (TooManyFieldsSent, TooManyFilesSent):
            return refusal_response(request, Refused("upload_too_many_files"), 400)
        except MultiPartParserError:
            return refusal_response(request, Refused("upload_malformed"), 400)
        return None
