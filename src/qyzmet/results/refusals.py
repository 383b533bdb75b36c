"""Refusal codes of the result documents (registered once, at import)."""

from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import register

register(
    "result_already_issued",
    gettext_lazy("Документ результата уже выдан; подготовить его заново нельзя."),
)
register("result_not_prepared", gettext_lazy("Документ результата не подготовлен к подписи."))
register("result_signature_malformed", gettext_lazy("Подпись не является отделённой подписью CMS."))
register(
    "result_signature_mismatch", gettext_lazy("Подпись сделана не над подготовленным документом.")
)
register(
    "result_signature_too_large",
    gettext_lazy("Подпись не помещается в место, отведённое в документе ({size} байт из {room})."),
)
register(
    "result_prepared_for_other_head",
    gettext_lazy(
        "Пока документ был открыт у вас, его подготовили к подписи для другого руководителя; "
        "подпись не принята. Документ подготавливается заново на ваше имя: проверьте его и "
        "подпишите ещё раз."
    ),
)
register(
    "result_signing_day_changed",
    gettext_lazy(
        "Документ был подготовлен к подписи с датой другого дня; подпись не принята. Документ "
        "подготавливается заново с сегодняшней датой: проверьте его и подпишите ещё раз."
    ),
)
register("result_not_issued", gettext_lazy("Документ результата не выдан."))
register("result_already_revoked", gettext_lazy("Документ результата уже отозван."))
register("revocation_reason_required", gettext_lazy("Укажите причину отзыва документа."))
register("upload_not_pdf", gettext_lazy("Загруженный файл не является документом PDF."))
register("upload_too_large", gettext_lazy("Файл слишком большой (не более {limit} МБ)."))
register("upload_missing", gettext_lazy("Выберите файл PDF для проверки."))
