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

from django.utils.translation import gettext_lazy

from .i18n import translate


@dataclass(frozen=True)
class Message:
    """A refusal's text: a Russian msgid marked with ``gettext_lazy`` (its Kazakh and English
    in the catalogues, docs/i18n.md), or the older ``(ru, kk, en)`` triple that
    ``scripts/i18n-convert.py`` converts."""

    code: str
    message: Any  # a lazy gettext string, or a (ru, kk, en) tuple until converted
    status: int = 400  # the HTTP status of the API's answer

    def text(self, language: str | None = None, **params: Any) -> str:
        return translate(self.message, language, **params)

    @property
    def ru(self) -> str:
        return self.text("ru")

    @property
    def kk(self) -> str:
        return self.text("kk")

    @property
    def en(self) -> str:
        return self.text("en")


_REGISTRY: dict[str, Message] = {}


def register(
    code: str,
    message: Any = None,
    *,
    ru: str | None = None,
    kk: str | None = None,
    en: str | None = None,
    status: int = 400,
) -> Message:
    """Register ``code`` with its text: ``register(code, gettext_lazy("…"), status=…)``; the
    older ``ru=, kk=, en=`` keywords still work until ``scripts/i18n-convert.py`` converts them."""
    if not 400 <= status < 500:
        raise ValueError(f"refusal code {code!r}: a refusal's HTTP status is a 4xx, not {status}")
    if message is None:
        if None in (ru, kk, en):
            raise TypeError(f"refusal code {code!r}: give its text (gettext_lazy) or ru, kk, en")
        message = (ru, kk, en)
    existing = _REGISTRY.get(code)
    new = Message(code, message, status)
    if existing is not None and (
        _source(existing.message) != _source(message) or existing.status != status
    ):
        raise ValueError(f"refusal code {code!r} registered twice with different texts")
    _REGISTRY[code] = new
    return new


def _source(message: Any) -> Any:
    """What identifies a text: its msgid (and context), not its translation."""
    return getattr(message, "_args", None) or message


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
register("permission_denied", gettext_lazy("Действие недоступно для вашей роли."), status=403)
register(
    "invalid_iin",
    gettext_lazy(
        "ИИН указан неверно: 12 цифр с верным контрольным разрядом, 7-я цифра (век и пол) от 1 до 6."
    ),
)
register(
    "invalid_bin",
    gettext_lazy(
        "БИН указан неверно: 12 цифр с верным контрольным разрядом, 5-я цифра (вид юридического лица) 4, 5 или 6."
    ),
)
register("not_found", gettext_lazy("Запись не найдена."), status=404)
