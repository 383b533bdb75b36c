"""Generic words of the process diagrams, appendices and handbook in ru/kk/en.

Nothing here is about a particular service: names of steps, procedures, roles and
participants come from the catalogue; these are the words around them.
"""

from __future__ import annotations

from .definitions import Localized, Step

TEXTS: dict[str, Localized] = {
    "start": Localized("Начало", "Басталуы", "Start"),
    "end": Localized("Конец", "Аяқталуы", "End"),
    "refusal_end": Localized("Отказ", "Бас тарту", "Refusal"),
    "message": Localized("Сообщение", "Хабарлама", "Message"),
    "yes": Localized("да", "иә", "yes"),
    "no": Localized("нет", "жоқ", "no"),
    "norm": Localized("Норматив", "Норматив", "Norm"),
    "basis": Localized("Основание", "Негіздеме", "Basis"),
    "role": Localized("Исполнитель", "Орындаушы", "Performer"),
    "norm_same_working_day": Localized(
        "в день поступления (в тот же рабочий день)",
        "түскен күні (сол жұмыс күні)",
        "on the day of receipt (the same working day)",
    ),
    "norm_working_minutes": Localized(
        "{n} рабочих минут", "{n} жұмыс минуты", "{n} working minutes"
    ),
    "norm_working_days": Localized("{n} рабочих дней", "{n} жұмыс күні", "{n} working days"),
    "norm_from_registration": Localized(
        "с момента регистрации заявления",
        "өтініш тіркелген сәттен бастап",
        "from the registration of the application",
    ),
    "norm_from_step_start": Localized(
        "с начала процедуры", "рәсім басталған сәттен бастап", "from the start of the procedure"
    ),
    "channel_portal": Localized("через портал", "портал арқылы", "via the portal"),
    "channel_office": Localized(
        "через услугодателя", "көрсетілетін қызметті беруші арқылы", "via the provider"
    ),
}


def text(key: str, language: str | None = None) -> str:
    return TEXTS[key].text(language)


def norm_text(step: Step, language: str | None = None) -> str:
    """A step's norm (p.8) in words: "10 рабочих дней с момента регистрации заявления"."""
    if step.norm_kind == "same_working_day":
        return text("norm_same_working_day", language)
    amount = text(f"norm_{step.norm_kind}", language).format(n=step.norm_value)
    return f"{amount} {text(f'norm_from_{step.norm_from}', language)}"
