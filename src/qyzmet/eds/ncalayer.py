"""NCALayer in the signing pages: the settings a page needs and its texts (ru/kk/en).

The page's module is ``static/qyzmet/eds/ncalayer.js``; the template tag
``{% ncalayer_choice purpose iin bin %}`` (library ``qyzmet_eds``) renders the choice inside
a signing form. Settings: ``QYZMET_NCALAYER_URL`` (``wss://127.0.0.1:13579/``, the address
NCALayer listens at; the CSP's connect-src allows exactly it) and
``QYZMET_NCALAYER_TIMEOUT_MS`` (5000: how long the page waits for NCALayer's greeting).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import translate

DOWNLOAD_URL = "https://pki.gov.kz/ncalayer/"

TEXTS = {
    "or": gettext_lazy("или"),
    "button": gettext_lazy("Подписать через NCALayer"),
    "hint": gettext_lazy(
        "Ключ выбирается в окне NCALayer — программы НУЦ РК, которая должна быть установлена и запущена на этом компьютере."
    ),
    "download": gettext_lazy("Скачать NCALayer"),
    "working": gettext_lazy("Ожидаем подпись в окне NCALayer…"),
    "absent": gettext_lazy(
        "NCALayer не отвечает. Установите NCALayer с сайта pki.gov.kz, запустите его и повторите (или подпишите файлом ключа)."
    ),
    "cancelled": gettext_lazy("Подписание в NCALayer отменено. Ничего не отправлено."),
    "error": gettext_lazy("NCALayer сообщил об ошибке"),
}


def text(key: str, language: str | None = None) -> str:
    return translate(TEXTS[key], language)


def url() -> str:
    return settings.QYZMET_NCALAYER_URL


def timeout_ms() -> int:
    return int(settings.QYZMET_NCALAYER_TIMEOUT_MS)
