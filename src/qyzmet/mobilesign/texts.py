"""Interface texts of the eGov mobile signing panel (portal and desk pages) in ru/kk/en; kept as
data beside the panel like the portal's and the desk's own texts."""

from __future__ import annotations

from qyzmet.core.i18n import translate

TEXTS: dict[str, tuple[str, str, str]] = {
    "title": ("Подписать в eGov mobile", "eGov mobile арқылы қол қою", "Sign with eGov mobile"),
    "lead": (
        "Откройте приложение eGov mobile или eGov Business, выберите сканирование QR-кода и "
        "наведите камеру на код. Подпись ставится ключом в приложении; ключ не покидает телефон.",
        "eGov mobile немесе eGov Business қосымшасын ашып, QR-кодты сканерлеуді таңдаңыз да, "
        "камераны кодқа бағыттаңыз. Қолтаңба қосымшадағы кілтпен қойылады; кілт телефоннан шықпайды.",
        "Open the eGov mobile or eGov Business app, choose QR scanning and point the camera at "
        "the code. The app signs with its own key; the key never leaves the phone.",
    ),
    "show_qr": ("Показать QR-код", "QR-кодты көрсету", "Show the QR code"),
    "new_qr": ("Новый QR-код", "Жаңа QR-код", "New QR code"),
    "qr_alt": (
        "QR-код для подписания в eGov mobile",
        "eGov mobile арқылы қол қоюға арналған QR-код",
        "QR code to sign with eGov mobile",
    ),
    "qr_text": ("Текст QR-кода", "QR-код мәтіні", "The QR code's text"),
    "on_phone": (
        "На этом телефоне:",
        "Осы телефонда:",
        "On this phone:",
    ),
    "working": ("Готовим QR-код…", "QR-код дайындалуда…", "Preparing the QR code…"),
    "waiting": (
        "Ожидаем подпись с телефона…",
        "Телефоннан қолтаңба күтілуде…",
        "Waiting for the signature from the phone…",
    ),
    "scanned": (
        "QR-код отсканирован, ожидаем подпись…",
        "QR-код сканерленді, қолтаңба күтілуде…",
        "The QR code was scanned; waiting for the signature…",
    ),
    "seconds_left": ("Осталось, с:", "Қалды, с:", "Seconds left:"),
    "signed": ("Подпись принята.", "Қолтаңба қабылданды.", "The signature is accepted."),
    "network": (
        "Нет связи с сервером. Проверьте подключение и попробуйте снова.",
        "Сервермен байланыс жоқ. Қосылымды тексеріп, қайталап көріңіз.",
        "No connection to the server. Check the connection and try again.",
    ),
}


def text(key: str) -> str:
    return translate(TEXTS[key])
