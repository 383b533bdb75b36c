"""The error pages (issue 13, item 7): 400, 403, 404, 405 and 500 in the frame of the part of
the site that was asked — the desk's under /office/, the portal's elsewhere — in the page's
language, with the helpline; under /api/ a JSON body with the documentation's addresses.

Django calls the ``handler*`` views named in ``qyzmet.urls``; a 405 (a GET on an address that
only takes POST) is no exception but an empty ``HttpResponseNotAllowed``, which
:class:`ErrorPageMiddleware` fills with the same page (the Allow header kept)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from qyzmet.core.i18n import translate

logger = logging.getLogger(__name__)

STATUSES = (400, 403, 404, 405, 500)
DEFAULT_HELPLINE = "1414"  # the e-government contact centre (every service's passport)

# The page's words per status (gettext: Russian source, kk/en catalogues).
TEXTS: dict[str, Any] = {
    "title_400": gettext_lazy("Неверный запрос"),
    "text_400": gettext_lazy(
        "Запрос не удалось понять. Вернитесь на предыдущую страницу и попробуйте ещё раз."
    ),
    "title_403": gettext_lazy("Доступ запрещён"),
    "text_403": gettext_lazy("У вас нет права открыть эту страницу."),
    "title_404": gettext_lazy("Страница не найдена"),
    "text_404": gettext_lazy(
        "Такой страницы нет: адрес набран с ошибкой, ссылка устарела или документ, услуга или заявление не существует."
    ),
    "title_405": gettext_lazy("Действие недоступно"),
    "text_405": gettext_lazy(
        "Эта страница принимает только отправку формы. Откройте дело или раздел и выполните действие кнопкой на странице."
    ),
    "title_500": gettext_lazy("Ошибка на сервере"),
    "text_500": gettext_lazy(
        "Что-то пошло не так на нашей стороне. Ничего из отправленного не потеряно; попробуйте ещё раз через несколько минут."
    ),
    "code": gettext_lazy("Код ошибки"),
    "helpline": pgettext_lazy(
        "errors.py.helpline", "Единый контакт-центр по вопросам оказания государственных услуг"
    ),
    "home_portal": gettext_lazy("На главную"),
    "home_office": pgettext_lazy("errors.py.home_office", "К задачам"),
}


def text(key: str, language: str | None = None) -> str:
    return translate(TEXTS[key], language)


def _frame(request) -> str:
    path = request.path_info
    if path.startswith("/api/"):
        return "api"
    return "office" if path.startswith("/office/") else "portal"


def _helpline() -> str:
    try:
        from qyzmet.catalog.queries import helpline

        return helpline() or DEFAULT_HELPLINE
    except Exception:  # noqa: BLE001 -- an error page must render even without the database
        return DEFAULT_HELPLINE


def api_error(status: int) -> JsonResponse:
    """An API address that answers nothing: the error in JSON and where the docs are."""
    return JsonResponse(
        {
            "status": status,
            "title": text(f"title_{status}"),
            "detail": text(f"text_{status}"),
            "docs": reverse("api:docs"),
            "schema": reverse("api:schema"),
        },
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def error_page(request, status: int) -> HttpResponse:
    frame = _frame(request)
    if frame == "api":
        return api_error(status)
    context = {
        "status": status,
        "title": text(f"title_{status}"),
        "message": text(f"text_{status}"),
        "code_label": text("code"),
        "helpline": _helpline(),
        "helpline_label": text("helpline"),
        "home_label": text(f"home_{frame}"),
        # The language switch leads home: the page repeats nothing of the address asked (a
        # public verification's number and token included).
        "lang_next": reverse("office:inbox" if frame == "office" else "portal:home"),
    }
    return render(request, f"{frame}/error.html", context, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    try:
        return error_page(request, 500)
    except Exception:  # the frame itself failed (database down…): a page without it
        logger.exception("the 500 page could not be rendered in its frame")
        body = (
            '<!DOCTYPE html><html lang="ru"><meta charset="utf-8"><title>500</title>'
            f"<h1>{text('title_500', 'ru')} / {text('title_500', 'kk')}</h1>"
            f"<p>{text('text_500', 'ru')}</p><p>{text('text_500', 'kk')}</p>"
            f"<p>{DEFAULT_HELPLINE}</p></html>"
        )
        return HttpResponse(body, status=500)


class ErrorPageMiddleware:
    """An empty 405 (``require_POST``, ``require_http_methods``) becomes the error page of its
    frame, with its Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not response.streaming:
            page = error_page(request, 405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
