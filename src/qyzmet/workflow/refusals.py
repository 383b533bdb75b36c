from qyzmet.core.refusals import register

register(
    "executor_not_eligible",
    ru="Выбранный сотрудник не может быть исполнителем.",
    kk="Таңдалған қызметкер орындаушы бола алмайды.",
    en="The chosen employee cannot be the executor.",
)
register(
    "refusal_reason_required",
    ru="Для мотивированного отказа укажите основания (коды) и пояснение.",
    kk="Дәлелді бас тарту үшін негіздерді (кодтарды) және түсіндірмені көрсетіңіз.",
    en="A motivated refusal needs its grounds (codes) and an explanation.",
)
register(
    "unknown_refusal_reason",
    ru="Основание отказа «{code}» не предусмотрено регламентом для этого этапа.",
    kk="«{code}» бас тарту негізі осы кезең үшін регламентте көзделмеген.",
    en="Refusal ground '{code}' is not provided by the regulation for this step.",
)
register(
    "signature_content_mismatch",
    ru="Подписан не тот документ, который подготовлен к подписи.",
    kk="Қол қоюға дайындалған құжатқа емес, басқа құжатқа қол қойылған.",
    en="The signed content is not the document prepared for signature.",
)
register(
    "signer_not_head",
    ru="Документ подписан не ключом ЭЦП руководителя услугодателя.",
    kk="Құжатқа көрсетілетін қызметті берушінің басшысының ЭЦҚ кілтімен қол қойылмаған.",
    en="The document is not signed with the provider head's EDS key.",
)
register(
    "handover_recipient_required",
    ru="Укажите, кому выдан результат.",
    kk="Нәтиже кімге берілгенін көрсетіңіз.",
    en="State to whom the result was handed over.",
)
register(
    "handover_date_invalid",
    ru="Дата выдачи должна быть датой не позже сегодняшней.",
    kk="Берілген күні бүгіннен кешіктірілмеген күн болуы керек.",
    en="The hand-over date must be a date no later than today.",
)
