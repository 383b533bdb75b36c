"""A service version: one catalogue file (regulation as data), loaded into the database.

An application keeps a foreign key to the version in force when it was submitted, so a
version's content never changes once something refers to it (see ``loader.load_catalog``).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .definitions import Channel, Document, Localized, RefusalReason, Step, pick_language

_WEEKDAY_NUMBERS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class ServiceVersion(models.Model):
    service_code = models.CharField(_("код услуги"), max_length=64)
    version = models.CharField(_("версия"), max_length=64)
    effective_from = models.DateField(_("действует с"))
    # Exclusive: the first day on which the version is no longer in force; null = open.
    effective_until = models.DateField(_("действует до (не включая)"), null=True, blank=True)
    is_demo = models.BooleanField(_("демонстрационная"), default=False)
    title_ru = models.TextField(_("название (ru)"))
    title_kk = models.TextField(_("название (kk)"))
    title_en = models.TextField(_("название (en)"))
    definition = models.JSONField(_("определение"))
    form_schema = models.JSONField(_("схема формы заявления"))
    source_path = models.CharField(_("файл"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256 источника"), max_length=64)
    loaded_at = models.DateTimeField(_("загружена"))

    class Meta:
        verbose_name = _("версия услуги")
        verbose_name_plural = _("версии услуг")
        ordering = ("service_code", "effective_from")
        constraints = [
            models.UniqueConstraint(
                fields=("service_code", "version"), name="catalog_unique_service_version"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gt=models.F("effective_from")),
                name="catalog_effective_until_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=("service_code", "effective_from"), name="catalog_sv_code_from"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.version}"

    # --- Texts and dates.
    def title(self, language: str | None = None) -> str:
        return pick_language(
            {"ru": self.title_ru, "kk": self.title_kk, "en": self.title_en}, language
        )

    def is_in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )

    def is_repealed_on(self, day: dt.date) -> bool:
        """True when ``day`` is on or after the first day this version no longer applies."""
        return self.effective_until is not None and day >= self.effective_until

    # --- Process.
    @cached_property
    def steps(self) -> list[Step]:
        return [Step.of(raw) for raw in self.definition["process"]["steps"]]

    def step(self, code: str, channel: str | None = None) -> Step:
        """The step ``code`` for ``channel``. Without a channel, a step that differs per
        channel (``register``: system on the portal, clerk at the office) is returned with
        the role and norm of its first entry and the union of their channels."""
        matches = [s for s in self.steps if s.code == code]
        if channel is not None:
            matches = [s for s in matches if channel in s.channels]
        if not matches:
            raise KeyError(
                f"{self}: no step {code!r}" + (f" for channel {channel!r}" if channel else "")
            )
        if len(matches) == 1:
            return matches[0]
        channels = tuple(dict.fromkeys(c for s in matches for c in s.channels))
        first = matches[0]
        return Step(
            code=first.code,
            role=first.role,
            norm_kind=first.norm_kind,
            norm_value=first.norm_value,
            norm_from=first.norm_from,
            channels=channels,
            basis=first.basis,
            name=first.name,
            assumed=first.assumed,
        )

    def steps_for(self, channel: str) -> list[Step]:
        """The steps of one channel, in process order."""
        return [s for s in self.steps if channel in s.channels]

    @cached_property
    def refusal_reasons(self) -> dict[str, RefusalReason]:
        return {raw["code"]: RefusalReason.of(raw) for raw in self.definition["refusal_reasons"]}

    # --- Channels, documents, schedule, result.
    @cached_property
    def channels(self) -> tuple[str, ...]:
        return tuple(raw["code"] for raw in self.definition["channels"])

    def channel(self, code: str) -> Channel:
        for raw in self.definition["channels"]:
            if raw["code"] == code:
                return Channel.of(raw)
        raise KeyError(f"{self}: no channel {code!r}")

    def documents(self, channel: str | None = None) -> list[Document]:
        docs = [Document.of(raw) for raw in self.definition["documents"]]
        return docs if channel is None else [d for d in docs if channel in d.channels]

    def documents_to_hand_in(self, channel: str) -> list[Document]:
        """Required documents of the channel that the applicant hands in besides the request
        itself: files on the portal, paper at the office (Standard item 9)."""
        return [d for d in self.documents(channel) if d.to_hand_in(channel)]

    @cached_property
    def schedule(self):
        """The provider's schedule as ``qyzmet.calendar.working_time.Schedule`` (frozen, so
        one per instance serves every deadline computed for this version)."""
        from qyzmet.calendar.working_time import Schedule

        raw = self.definition["schedule"]
        return Schedule(
            start=dt.time.fromisoformat(raw["start"]),
            end=dt.time.fromisoformat(raw["end"]),
            lunch_start=dt.time.fromisoformat(raw["lunch_start"]),
            lunch_end=dt.time.fromisoformat(raw["lunch_end"]),
            working_weekdays=frozenset(_WEEKDAY_NUMBERS[d] for d in raw["workdays"]),
        )

    @property
    def result_kind(self) -> str:
        return self.definition["result"]["kind"]

    @property
    def refusal_kind(self) -> str:
        return self.definition["result"]["refusal_kind"]

    @property
    def result_name(self) -> Localized:
        return Localized.of(self.definition["result"]["name"])

    @property
    def term_working_days(self) -> int:
        return int(self.definition["term"]["result"]["value"])

    @property
    def provider_name(self) -> Localized:
        return Localized.of(self.definition["provider"]["name"])

    @property
    def helpline(self) -> str:
        return self.definition["helpline"]["phone"]

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(self.definition["recipients"]["kinds"])

    @property
    def legal_basis(self) -> list[dict[str, Any]]:
        return list(self.definition["legal_basis"])

    def validate_form(self, data: Any):
        """Issues of ``data`` against the form schema (empty list: valid)."""
        from .validation import validate_form_data

        return validate_form_data(self.form_schema, data)
