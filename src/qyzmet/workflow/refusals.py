from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import register

register("executor_not_eligible", gettext_lazy("Выбранный сотрудник не может быть исполнителем."))
register(
    "refusal_reason_required",
    gettext_lazy("Для мотивированного отказа укажите основания (коды) и пояснение."),
)
register(
    "unknown_refusal_reason",
    gettext_lazy("Основание отказа «{code}» не предусмотрено регламентом для этого этапа."),
)
register(
    "signature_content_mismatch",
    gettext_lazy("Подписан не тот документ, который подготовлен к подписи."),
)
register(
    "signer_not_head", gettext_lazy("Документ подписан не ключом ЭЦП руководителя услугодателя.")
)
register("handover_recipient_required", gettext_lazy("Укажите, кому выдан результат."))
register(
    "handover_date_invalid", gettext_lazy("Дата выдачи должна быть датой не позже сегодняшней.")
)
