"""The error pages (issue 13, item 7): 400, 403, 404, 405 and 500 in the frame of the part of
the site that was asked — the desk's under /office/, the portal's elsewhere — in the page's
language, with the helpline; under /api/ a JSON body with the documentation's addresses.

Django calls the ``handler*`` views named in ``qyzmet.urls``; a 405 (a GET on an address that
only takes POST) is no exception but an empty ``HttpResponseNotAllowed``, which
:class:`ErrorPageMiddleware` fills with the same page (the Allow header kept)."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

STATUSES = (400, 403, 404, 405, 500)
DEFAULT_HELPLINE = "1414"  # the e-government contact centre (every service's passport)

# The page's words per status, ru / kk / en (the lead moves them to the gettext catalogues).
TEXTS: dict[str, tuple[str, str, str]] = {
    "title_400": ("Неверный запрос", "Сұрау қате", "Bad request"),
    "text_400": (
        "Запрос не удалось понять. Вернитесь на предыдущую страницу и попробуйте ещё раз.",
        "Сұрауды түсіну мүмкін болмады. Алдыңғы бетке оралып, қайталап көріңіз.",
        "The request could not be understood. Go back and try again.",
    ),
    "title_403": ("Доступ запрещён", "Кіруге тыйым салынған", "Access denied"),
    "text_403": (
        "У вас нет права открыть эту страницу.",
        "Бұл бетті ашуға құқығыңыз жоқ.",
        "You may not open this page.",
    ),
    "title_404": ("Страница не найдена", "Бет табылмады", "Page not found"),
    "text_404": (
        "Такой страницы нет: адрес набран с ошибкой, ссылка устарела или документ, услуга или "
        "заявление не существует.",
        "Мұндай бет жоқ: мекенжай қате терілген, сілтеме ескірген немесе құжат, қызмет не "
        "өтініш жоқ.",
        "There is no such page: the address is mistyped, the link is out of date, or the "
        "document, service or application does not exist.",
    ),
    "title_405": ("Действие недоступно", "Әрекет қолжетімсіз", "Action not available"),
    "text_405": (
        "Эта страница принимает только отправку формы. Откройте дело или раздел и выполните "
        "действие кнопкой на странице.",
        "Бұл бет тек форманы жіберуді қабылдайды. Істі немесе бөлімді ашып, әрекетті беттегі "
        "батырмамен орындаңыз.",
        "This address only takes a submitted form. Open the case or section and use the "
        "button on its page.",
    ),
    "title_500": ("Ошибка на сервере", "Сервердегі қате", "Server error"),
    "text_500": (
        "Что-то пошло не так на нашей стороне. Ничего из отправленного не потеряно; попробуйте "
        "ещё раз через несколько минут.",
        "Біздің тарапта қате орын алды. Жіберілгеннің ештеңесі жоғалған жоқ; бірнеше минуттан "
        "кейін қайталап көріңіз.",
        "Something went wrong on our side. Nothing you sent is lost; try again in a few minutes.",
    ),
    "code": ("Код ошибки", "Қате коды", "Error code"),
    "helpline": (
        "Единый контакт-центр по вопросам оказания государственных услуг",
        "Мемлекеттік қызметтер көрсету мәселелері бойынша бірыңғай байланыс орталығы",
        "Unified contact centre for public services",
    ),
    "home_portal": ("На главную", "Басты бетке", "To the home page"),
    "home_office": ("К задачам", "Тапсырмаларға", "To my tasks"),
}
_INDEX = {"ru": 0, "kk": 1, "en": 2}


def text(key: str) -> str:
    return TEXTS[key][_INDEX.get((translation.get_language() or "ru")[:2], 0)]


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
            f"<h1>{TEXTS['title_500'][0]} / {TEXTS['title_500'][1]}</h1>"
            f"<p>{TEXTS['text_500'][0]}</p><p>{TEXTS['text_500'][1]}</p>"
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
