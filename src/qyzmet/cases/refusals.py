"""Refusal codes of the register (cases)."""

from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import register

register(
    "service_not_in_force_for_new",
    gettext_lazy("Услуга по этой версии регламента не принимает новые заявления."),
)
register(
    "draft_moved_to_version",
    gettext_lazy(
        "Регламент услуги изменён: с {date} действует редакция {version}. Заявление переведено на неё, всё введённое сохранено. Проверьте заявление и подпишите его снова."
    ),
)
register("channel_not_offered", gettext_lazy("Услуга не оказывается через выбранный канал."))
register(
    "recipient_not_allowed", gettext_lazy("Услуга не оказывается этой категории услугополучателей.")
)
register(
    "form_invalid", gettext_lazy("Данные заявления не соответствуют форме: {field} — {detail}")
)
register("applicant_name_required", gettext_lazy("Укажите наименование или ФИО услугополучателя."))
register(
    "documents_incomplete",
    gettext_lazy("Представлен неполный пакет документов (п.9 Стандарта), не хватает: {missing}."),
)
register(
    "unknown_document", gettext_lazy("Документ «{code}» не входит в перечень документов услуги.")
)
register("attachment_empty", gettext_lazy("Файл «{name}» пуст."))
register("attachment_not_chosen", gettext_lazy("Выберите файл, чтобы загрузить его."))
register(
    "attachment_too_large", gettext_lazy("Файл «{name}» больше допустимого размера {limit_mb} МБ.")
)
register(
    "attachment_type_not_allowed",
    gettext_lazy("Файл «{name}» не является документом допустимого типа (PDF, JPEG, PNG, TIFF)."),
)
register(
    "case_finished", gettext_lazy("Работа по заявлению завершена; изменить его нельзя."), status=409
)
register(
    "wrong_step",
    gettext_lazy("Это действие недоступно на текущем этапе рассмотрения заявления."),
    status=409,
)
register("not_your_task", gettext_lazy("Задача назначена другому сотруднику."), status=409)
register("not_a_draft", gettext_lazy("Заявление уже подано; черновик изменить нельзя."), status=409)
register("draft_too_large", gettext_lazy("Черновик слишком велик."))
register(
    "signer_not_representative",
    gettext_lazy(
        "Заявление юридического лица подписывается ключом ЭЦП первого руководителя или лица с правом подписи этого юридического лица."
    ),
)
# The applicant of a paper package (p.10 процесс 4–5): looked up in GBD FL/UL or typed by hand
# with a reason — on the desk and through the API alike (cases.actions._identified_applicant).
register(
    "office_lookup_required",
    gettext_lazy(
        "Запросите данные услугополучателя в ГБД ФЛ/ЮЛ или отметьте ручной ввод и укажите причину."
    ),
)
register(
    "office_manual_reason_required",
    gettext_lazy("Укажите причину ручного ввода данных услугополучателя."),
)
register(
    "intake_lookup_invalid",
    gettext_lazy(
        "Запрос в ГБД ФЛ/ЮЛ не найден, сделан другим сотрудником, о другом ИИН/БИН, не дал сведений или устарел. Запросите данные услугополучателя снова."
    ),
)
