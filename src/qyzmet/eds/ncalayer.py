"""NCALayer in the signing pages: the settings a page needs and its texts (ru/kk/en).

The page's module is ``static/qyzmet/eds/ncalayer.js``; the template tag
``{% ncalayer_choice purpose iin bin %}`` (library ``qyzmet_eds``) renders the choice inside
a signing form. Settings: ``QYZMET_NCALAYER_URL`` (``wss://127.0.0.1:13579/``, the address
NCALayer listens at; the CSP's connect-src allows exactly it) and
``QYZMET_NCALAYER_TIMEOUT_MS`` (5000: how long the page waits for NCALayer's greeting).
"""

from __future__ import annotations

from django.conf import settings

from qyzmet.core.i18n import translate

DOWNLOAD_URL = "https://pki.gov.kz/ncalayer/"

TEXTS = {
    "or": ("или", "немесе", "or"),
    "button": ("Подписать через NCALayer", "NCALayer арқылы қол қою", "Sign with NCALayer"),
    "hint": (
        "Ключ выбирается в окне NCALayer — программы НУЦ РК, которая должна быть установлена "
        "и запущена на этом компьютере.",
        "Кілт NCALayer терезесінде таңдалады — бұл ҰКО бағдарламасы, ол осы компьютерде "
        "орнатылып, іске қосылған болуы керек.",
        "The key is chosen in NCALayer's window — the NCA's program, which must be installed "
        "and running on this computer.",
    ),
    "download": ("Скачать NCALayer", "NCALayer жүктеу", "Download NCALayer"),
    "working": (
        "Ожидаем подпись в окне NCALayer…",
        "NCALayer терезесінде қолтаңба күтілуде…",
        "Waiting for the signature in NCALayer's window…",
    ),
    "absent": (
        "NCALayer не отвечает. Установите NCALayer с сайта pki.gov.kz, запустите его и "
        "повторите (или подпишите файлом ключа).",
        "NCALayer жауап бермейді. NCALayer бағдарламасын pki.gov.kz сайтынан орнатып, іске "
        "қосыңыз да, қайталаңыз (немесе кілт файлымен қол қойыңыз).",
        "NCALayer does not answer. Install NCALayer from pki.gov.kz, start it and try again "
        "(or sign with the key file).",
    ),
    "cancelled": (
        "Подписание в NCALayer отменено. Ничего не отправлено.",
        "NCALayer-де қол қою тоқтатылды. Ештеңе жіберілген жоқ.",
        "Signing in NCALayer was cancelled. Nothing was sent.",
    ),
    "error": (
        "NCALayer сообщил об ошибке",
        "NCALayer қате туралы хабарлады",
        "NCALayer reported an error",
    ),
}


def text(key: str, language: str | None = None) -> str:
    return translate(TEXTS[key], language)


def url() -> str:
    return settings.QYZMET_NCALAYER_URL


def timeout_ms() -> int:
    return int(settings.QYZMET_NCALAYER_TIMEOUT_MS)
