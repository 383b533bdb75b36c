"""Refusal codes of eGov mobile QR signing, each with its ru/kk/en message. The message goes
back to the eGov mobile app (which shows it on the phone) and to the waiting page."""

from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import register

register(
    "mobile_sign_not_found",
    gettext_lazy("QR-код не найден. Получите новый QR-код на странице подписания."),
)
register(
    "mobile_sign_expired",
    gettext_lazy("Срок действия QR-кода истёк. Получите новый QR-код на странице подписания."),
)
register(
    "mobile_sign_used",
    gettext_lazy(
        "Этот QR-код уже использован: документ подписан. Повторная подпись не принимается."
    ),
)
register(
    "mobile_sign_closed",
    gettext_lazy("Этот QR-код больше не действует. Получите новый QR-код на странице подписания."),
)
register(
    "mobile_sign_malformed",
    gettext_lazy(
        "Ответ приложения eGov mobile не распознан: ожидается подпись CMS по каждому документу."
    ),
)
register(
    "mobile_sign_wrong_document",
    gettext_lazy(
        "Подписан не тот документ: идентификатор документа не соответствует этому QR-коду."
    ),
)
register(
    "mobile_sign_other_bytes",
    gettext_lazy("Подпись сделана не под теми данными, которые выданы для этого QR-кода."),
)
register(
    "mobile_sign_other_signer",
    gettext_lazy(
        "Подписал другой человек: ИИН/БИН в сертификате не тот, для кого создан этот QR-код."
    ),
)
register(
    "mobile_sign_stale",
    gettext_lazy(
        "Документ изменился или уже подписан другим способом после создания QR-кода. Откройте страницу подписания заново."
    ),
)
