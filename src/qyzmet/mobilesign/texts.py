"""Interface texts of the eGov mobile signing panel (portal and desk pages), by key: Russian
msgids marked for gettext, like the portal's and the desk's own texts (docs/i18n.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import Text, translate

TEXTS: dict[str, Text] = {
    "title": gettext_lazy("Подписать в eGov mobile"),
    "lead": gettext_lazy(
        "Откройте приложение eGov mobile или eGov Business, выберите сканирование QR-кода и наведите камеру на код. Подпись ставится ключом в приложении; ключ не покидает телефон."
    ),
    "show_qr": gettext_lazy("Показать QR-код"),
    "new_qr": gettext_lazy("Новый QR-код"),
    "qr_alt": gettext_lazy("QR-код для подписания в eGov mobile"),
    "qr_text": gettext_lazy("Текст QR-кода"),
    "on_phone": gettext_lazy("На этом телефоне:"),
    "working": gettext_lazy("Готовим QR-код…"),
    "waiting": gettext_lazy("Ожидаем подпись с телефона…"),
    "scanned": gettext_lazy("QR-код отсканирован, ожидаем подпись…"),
    "signed": gettext_lazy("Подпись принята."),
    "network": gettext_lazy("Нет связи с сервером. Проверьте подключение и попробуйте снова."),
}


def text(key: str) -> str:
    return translate(TEXTS[key])
