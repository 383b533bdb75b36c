"""Refusals: every "no" the system says has a stable code and a message in ru/kk/en.

A refusal is raised as :class:`Refused` from the write layer (``actions.py``) or from a
validator; views and the API turn it into a message in the user's language, and nothing
has been changed when it is raised (actions run in a transaction that it rolls back).

Codes are registered once, in the module that owns them, with :func:`register`, together with
the HTTP status the API answers them with (400, "your input is wrong", unless the code is
another kind of answer: 403, 404, 409, 422, 429); the regulation's own refusal reasons (p.10,
condition 3) come from the catalogue instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

LANGUAGES = ("ru", "kk", "en")


@dataclass(frozen=True)
class Message:
    code: str
    ru: str
    kk: str
    en: str
    status: int = 400  # the HTTP status of the API's answer

    def text(self, language: str | None = None, **params: Any) -> str:
        language = (language or translation.get_language() or "ru")[:2]
        template = getattr(self, language if language in LANGUAGES else "ru")
        return template.format(**params) if params else template


_REGISTRY: dict[str, Message] = {}


def register(code: str, *, ru: str, kk: str, en: str, status: int = 400) -> Message:
    if not 400 <= status < 500:
        raise ValueError(f"refusal code {code!r}: a refusal's HTTP status is a 4xx, not {status}")
    existing = _REGISTRY.get(code)
    message = Message(code, ru, kk, en, status)
    if existing is not None and existing != message:
        raise ValueError(f"refusal code {code!r} registered twice with different texts")
    _REGISTRY[code] = message
    return message


def message_for(code: str) -> Message:
    return _REGISTRY[code]


def registered_codes() -> dict[str, Message]:
    return dict(_REGISTRY)


@dataclass
class Refused(Exception):
    """A refusal with a stable code; ``params`` fill the message's placeholders."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    field_name: str | None = None

    def __post_init__(self) -> None:
        if self.code not in _REGISTRY:
            raise KeyError(f"unregistered refusal code {self.code!r}")
        super().__init__(self.code)

    def message(self, language: str | None = None) -> str:
        return _REGISTRY[self.code].text(language, **self.params)

    @property
    def status(self) -> int:
        """The HTTP status the API answers this refusal with (registered with the code)."""
        return _REGISTRY[self.code].status

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {"code": self.code, "message": self.message(language)}
        if self.field_name:
            payload["field"] = self.field_name
        return payload

    def __str__(self) -> str:
        return f"{self.code}: {self.message('en')}"


# --- Codes shared by every app.
register(
    "permission_denied",
    ru="Действие недоступно для вашей роли.",
    kk="Бұл әрекет сіздің рөліңізге қолжетімсіз.",
    en="This action is not available to your role.",
    status=403,
)
register(
    "invalid_iin",
    ru="ИИН указан неверно: 12 цифр с верным контрольным разрядом, 7-я цифра (век и пол) "
    "от 1 до 6.",
    kk="ЖСН қате көрсетілген: бақылау разряды дұрыс 12 цифр, 7-цифрі (ғасыр мен жыныс) "
    "1-ден 6-ға дейін.",
    en="The IIN is invalid: it must be 12 digits with a correct check digit, the 7th digit "
    "(century and sex) from 1 to 6.",
)
register(
    "invalid_bin",
    ru="БИН указан неверно: 12 цифр с верным контрольным разрядом, 5-я цифра (вид "
    "юридического лица) 4, 5 или 6.",
    kk="БСН қате көрсетілген: бақылау разряды дұрыс 12 цифр, 5-цифрі (заңды тұлға түрі) "
    "4, 5 немесе 6.",
    en="The BIN is invalid: it must be 12 digits with a correct check digit, the 5th digit "
    "(kind of entity) 4, 5 or 6.",
)
register(
    "not_found",
    ru="Запись не найдена.",
    kk="Жазба табылмады.",
    en="Not found.",
    status=404,
)
