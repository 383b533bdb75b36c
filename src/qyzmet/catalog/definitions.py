"""Typed, read-only views of a catalogue definition (the parsed TOML), for other apps.

The definition has been validated on load, so these constructors index it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

LANGUAGES = ("ru", "kk", "en")


def pick_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), falling back to Russian."""
    language = (language or translation.get_language() or "ru")[:2]
    return texts.get(language) or texts["ru"]


def localized_text(value) -> str:
    """A catalogue text ({"ru":…, "kk":…, "en":…} or a ``Localized``) in the active language;
    the ``loc`` template filter of the portal and the office."""
    if value is None:
        return ""
    if hasattr(value, "text"):
        return value.text(translation.get_language())
    if isinstance(value, dict):
        return pick_language(value)
    return str(value)


@dataclass(frozen=True)
class Localized:
    ru: str
    kk: str
    en: str

    @classmethod
    def of(cls, texts: dict[str, str]) -> Localized:
        return cls(texts["ru"], texts["kk"], texts["en"])

    def text(self, language: str | None = None) -> str:
        return pick_language({"ru": self.ru, "kk": self.kk, "en": self.en}, language)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Step:
    """One step of the process (regulation p.5, p.8). ``norm_value`` is None for
    ``same_working_day``; ``norm_from`` is ``step_start`` or ``registration``."""

    code: str
    role: str
    norm_kind: str
    norm_value: int | None
    norm_from: str
    channels: tuple[str, ...]
    basis: str
    name: Localized
    assumed: bool = False

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Step:
        norm = raw["norm"]
        return cls(
            code=raw["code"],
            role=raw["role"],
            norm_kind=norm["kind"],
            norm_value=norm.get("value"),
            norm_from=norm["from"],
            channels=tuple(raw["channels"]),
            basis=raw["basis"],
            name=Localized.of(raw["name"]),
            assumed=bool(raw.get("assumed") or norm.get("assumed")),
        )

    def applies_to(self, channel: str) -> bool:
        return channel in self.channels


@dataclass(frozen=True)
class RefusalReason:
    code: str
    stages: tuple[str, ...]
    basis: str
    texts: Localized
    assumed: bool = False

    @classmethod
    def of(cls, raw: dict[str, Any]) -> RefusalReason:
        return cls(
            code=raw["code"],
            stages=tuple(raw["stages"]),
            basis=raw["basis"],
            texts=Localized.of(raw["text"]),
            assumed=bool(raw.get("assumed", False)),
        )

    def text(self, language: str | None = None) -> str:
        return self.texts.text(language)


@dataclass(frozen=True)
class Document:
    code: str
    name: Localized
    channels: tuple[str, ...]
    required: bool
    form: dict[str, str]
    basis: str
    assumed: bool = False

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Document:
        return cls(
            code=raw["code"],
            name=Localized.of(raw["name"]),
            channels=tuple(raw["channels"]),
            required=bool(raw["required"]),
            form=dict(raw.get("form", {})),
            basis=raw["basis"],
            assumed=bool(raw.get("assumed", False)),
        )

    def title(self, language: str | None = None) -> str:
        return self.name.text(language)

    def in_request(self, channel: str) -> bool:
        """The document is part of the signed e-request itself on this channel (the
        application, the list of valuables filled in the form), so no file is uploaded."""
        return self.form.get(channel) == "e_request"

    def to_hand_in(self, channel: str) -> bool:
        """Required, and not carried by the request itself."""
        return self.required and not self.in_request(channel)


@dataclass(frozen=True)
class Channel:
    code: str
    name: Localized
    form_of_service: Localized
    result_forms: tuple[str, ...]
    around_the_clock: bool

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Channel:
        return cls(
            code=raw["code"],
            name=Localized.of(raw["name"]),
            form_of_service=Localized.of(raw["form_of_service"]),
            result_forms=tuple(raw["result_forms"]),
            around_the_clock=bool(raw.get("around_the_clock", False)),
        )
