"""Generic words of the process diagrams, appendices and handbook in ru/kk/en.

Nothing here is about a particular service: names of steps, procedures, roles and
participants come from the catalogue; these are the words around them.
"""

from __future__ import annotations

from qyzmet.core.i18n import translate

from .definitions import LANGUAGES, Localized, Step

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
    "legend_start": Localized("Начало процесса", "Процестің басталуы", "Start of the process"),
    "legend_task": Localized(
        "Процедура (действие) — процесс или шаг",
        "Рәсім (әрекет) — процесс немесе қадам",
        "Procedure (action) — a process or step",
    ),
    "legend_gateway": Localized(
        "Условие (выбор варианта)", "Шарт (нұсқаны таңдау)", "Condition (choice of the way on)"
    ),
    "legend_message_event": Localized(
        "Сообщение другому участнику",
        "Басқа қатысушыға хабарлама",
        "Message to another participant",
    ),
    "legend_end": Localized("Завершение процесса", "Процестің аяқталуы", "End of the process"),
    "legend_refusal_end": Localized(
        "Завершение отказом", "Бас тартумен аяқталу", "End with a refusal"
    ),
    "legend_sequence_flow": Localized(
        "Переход к следующей процедуре", "Келесі рәсімге өту", "Transition to the next procedure"
    ),
    "legend_message_flow": Localized(
        "Обмен сообщениями между участниками (информационными системами)",
        "Қатысушылар (ақпараттық жүйелер) арасындағы хабарлама алмасу",
        "Messages between participants (information systems)",
    ),
    "form_of_service_h": Localized(
        "Форма оказания государственной услуги",
        "Мемлекеттік қызметті көрсету нысаны",
        "Form of the public service",
    ),
    "appendix": Localized("Приложение {n}", "{n}-қосымша", "Appendix {n}"),
    "appendix1_h": Localized(
        "Описание последовательности процедур (действий) между структурными подразделениями "
        "(работниками) услугодателя",
        "Көрсетілетін қызметті берушінің құрылымдық бөлімшелері (қызметкерлері) арасындағы "
        "рәсімдер (іс-қимылдар) реттілігінің сипаттамасы",
        "Sequence of the procedures (actions) between the provider's units (employees)",
    ),
    "appendix2_h": Localized(
        "Диаграмма функционального взаимодействия информационных систем, задействованных в "
        "оказании государственной услуги через портал",
        "Портал арқылы мемлекеттік қызмет көрсетуге қатысатын ақпараттық жүйелердің "
        "функционалдық өзара іс-қимылының диаграммасы",
        "Functional interaction of the information systems involved in rendering the service "
        "via the portal",
    ),
    "handbook_h": Localized(
        "Справочник бизнес-процессов оказания государственной услуги",
        "Мемлекеттік қызмет көрсетудің бизнес-процестерінің анықтамалығы",
        "Business-process handbook of the public service",
    ),
    "process_h": Localized(
        "Процесс оказания государственной услуги",
        "Мемлекеттік қызмет көрсету процесі",
        "The process of the public service",
    ),
    "col_no": Localized("№", "№", "No."),
    "col_procedure": Localized("Процедура (действие)", "Рәсім (іс-қимыл)", "Procedure (action)"),
    "col_role": Localized(
        "Структурное подразделение (работник)",
        "Құрылымдық бөлімше (қызметкер)",
        "Unit (employee)",
    ),
    "col_duration": Localized("Длительность", "Ұзақтығы", "Duration"),
    "col_result": Localized("Результат", "Нәтижесі", "Result"),
    "col_from": Localized("Отправитель", "Жіберуші", "From"),
    "col_to": Localized("Получатель", "Алушы", "To"),
    "col_abbr": Localized("Обозначение", "Белгіленуі", "Abbreviation"),
    "col_name": Localized("Наименование", "Атауы", "Name"),
    "participants_h": Localized(
        "Участники и информационные системы",
        "Қатысушылар және ақпараттық жүйелер",
        "Participants and information systems",
    ),
    "interactions_h": Localized("Взаимодействие", "Өзара іс-қимыл", "Interaction"),
    "legend_h": Localized("Условные обозначения", "Шартты белгілер", "Legend"),
    "diagram_region": Localized(
        "Диаграмма процесса {channel} (прокручивается)",
        "{channel} процесс диаграммасы (жылжиды)",
        "Diagram of the process {channel} (scrolls)",
    ),
    "conditions_h": Localized(
        "Условия и отказы", "Шарттар және бас тартулар", "Conditions and refusals"
    ),
    "refusal_reasons_h": Localized(
        "Основания для отказа", "Бас тарту негіздері", "Grounds for refusal"
    ),
    "legal_basis_h": Localized("Правовые основания", "Құқықтық негіздер", "Legal basis"),
    "handbook_download": Localized(
        "Справочник бизнес-процессов (PDF, на казахском и русском)",
        "Бизнес-процестер анықтамалығы (PDF, қазақ және орыс тілдерінде)",
        "Business-process handbook (PDF, in Kazakh and Russian)",
    ),
    "channel_portal": Localized("через портал", "портал арқылы", "via the portal"),
    "channel_office": Localized(
        "через услугодателя", "көрсетілетін қызметті беруші арқылы", "via the provider"
    ),
}


def text(key: str, language: str | None = None) -> str:
    return translate(TEXTS[key], language)


def localized(key: str) -> Localized:
    """A generic word as a Localized, where the diagrams carry catalogue names and words alike."""
    return Localized(*(translate(TEXTS[key], language) for language in LANGUAGES))


def norm_text(step: Step, language: str | None = None) -> str:
    """A step's norm (p.8) in words: "10 рабочих дней с момента регистрации заявления"."""
    if step.norm_kind == "same_working_day":
        return text("norm_same_working_day", language)
    amount = text(f"norm_{step.norm_kind}", language).format(n=step.norm_value)
    return f"{amount} {text(f'norm_from_{step.norm_from}', language)}"
