"""Generic words of the process diagrams, appendices and handbook (gettext, docs/i18n.md).

Nothing here is about a particular service: names of steps, procedures, roles and
participants come from the catalogue; these are the words around them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext_lazy

from qyzmet.core.i18n import Text, translate

from .definitions import LANGUAGES, Localized, Step

TEXTS: dict[str, Text] = {
    "start": gettext_lazy("Начало"),
    "end": gettext_lazy("Конец"),
    "refusal_end": gettext_lazy("Отказ"),
    "message": gettext_lazy("Сообщение"),
    "yes": gettext_lazy("да"),
    "no": gettext_lazy("нет"),
    "norm": gettext_lazy("Норматив"),
    "basis": gettext_lazy("Основание"),
    "role": gettext_lazy("Исполнитель"),
    "norm_same_working_day": gettext_lazy("в день поступления (в тот же рабочий день)"),
    "norm_working_minutes": ngettext_lazy("{n} рабочая минута", "{n} рабочих минут", "n"),
    "norm_working_days": ngettext_lazy("{n} рабочий день", "{n} рабочих дней", "n"),
    "norm_from_registration": gettext_lazy("с момента регистрации заявления"),
    "norm_from_step_start": gettext_lazy("с начала процедуры"),
    "legend_start": gettext_lazy("Начало процесса"),
    "legend_task": gettext_lazy("Процедура (действие) — процесс или шаг"),
    "legend_gateway": gettext_lazy("Условие (выбор варианта)"),
    "legend_message_event": gettext_lazy("Сообщение другому участнику"),
    "legend_end": gettext_lazy("Завершение процесса"),
    "legend_refusal_end": gettext_lazy("Завершение отказом"),
    "legend_sequence_flow": gettext_lazy("Переход к следующей процедуре"),
    "legend_message_flow": gettext_lazy(
        "Обмен сообщениями между участниками (информационными системами)"
    ),
    "form_of_service_h": gettext_lazy("Форма оказания государственной услуги"),
    "appendix": gettext_lazy("Приложение {n}"),
    "appendix1_h": gettext_lazy(
        "Описание последовательности процедур (действий) между структурными подразделениями (работниками) услугодателя"
    ),
    "appendix2_h": gettext_lazy(
        "Диаграмма функционального взаимодействия информационных систем, задействованных в оказании государственной услуги через портал"
    ),
    "handbook_h": gettext_lazy("Справочник бизнес-процессов оказания государственной услуги"),
    "process_h": gettext_lazy("Процесс оказания государственной услуги"),
    "col_no": Localized("№", "№", "No."),
    "col_procedure": gettext_lazy("Процедура (действие)"),
    "col_role": gettext_lazy("Структурное подразделение (работник)"),
    "col_duration": gettext_lazy("Длительность"),
    "col_result": gettext_lazy("Результат"),
    "col_from": gettext_lazy("Отправитель"),
    "col_to": gettext_lazy("Получатель"),
    "col_abbr": gettext_lazy("Обозначение"),
    "col_name": gettext_lazy("Наименование"),
    "participants_h": gettext_lazy("Участники и информационные системы"),
    "interactions_h": gettext_lazy("Взаимодействие"),
    "legend_h": gettext_lazy("Условные обозначения"),
    "diagram_region": gettext_lazy("Диаграмма процесса {channel} (прокручивается)"),
    "conditions_h": gettext_lazy("Условия и отказы"),
    "refusal_reasons_h": gettext_lazy("Основания для отказа"),
    "legal_basis_h": gettext_lazy("Правовые основания"),
    "handbook_download": gettext_lazy("Справочник бизнес-процессов (PDF, на казахском и русском)"),
    "channel_portal": gettext_lazy("через портал"),
    "channel_office": gettext_lazy("через услугодателя"),
}


def text(key: str, language: str | None = None, **params) -> str:
    return translate(TEXTS[key], language, **params)


def localized(key: str) -> Localized:
    """A generic word as a Localized, where the diagrams carry catalogue names and words alike."""
    return Localized(*(translate(TEXTS[key], language) for language in LANGUAGES))


def norm_text(step: Step, language: str | None = None) -> str:
    """A step's norm (p.8) in words: "10 рабочих дней с момента регистрации заявления"."""
    if step.norm_kind == "same_working_day":
        return text("norm_same_working_day", language)
    amount = text(f"norm_{step.norm_kind}", language, n=int(step.norm_value))
    return f"{amount} {text(f'norm_from_{step.norm_from}', language)}"
