"""User-facing texts of the public verification pages: Russian msgids marked for gettext, the
other languages in the catalogues (docs/i18n.md)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import translate

LANGUAGES = ("kk", "ru", "en")

TEXTS: dict[str, dict[str, str]] = {
    "page_title": gettext_lazy("Проверка документа"),
    "authentic": gettext_lazy("Документ подлинный"),
    "authentic_detail": gettext_lazy(
        "Подпись руководителя услугодателя действительна, документ не изменялся после подписания."
    ),
    "revoked": gettext_lazy("Документ отозван"),
    "revoked_detail": gettext_lazy(
        "Подпись подлинная, но услугодатель отозвал документ; он больше не действует."
    ),
    "not_authentic": gettext_lazy("Документ не подлинный"),
    "not_authentic_detail": gettext_lazy(
        "Подпись недействительна или документ изменён после подписания."
    ),
    "valid_signature": gettext_lazy("Подпись действительна, но документ выдан не этой службой"),
    "valid_signature_detail": gettext_lazy(
        "Файл подписан действительной ЭЦП, но среди выданных здесь документов его нет."
    ),
    "reason": gettext_lazy("Причина"),
    "registration_number": gettext_lazy("Регистрационный номер"),
    "document_kind": gettext_lazy("Вид документа"),
    "service": gettext_lazy("Государственная услуга"),
    "signer": gettext_lazy("Подписал"),
    "iin": gettext_lazy("ИИН"),
    "organization": gettext_lazy("Организация"),
    "signed_at": gettext_lazy("Дата и время подписания"),
    "valid_at_signing": gettext_lazy(
        "Подпись действительна на момент подписания (метка времени {moment}, служба меток времени «{tsa}»)."
    ),
    "certificate_expired_since": gettext_lazy(
        "Срок действия сертификата подписавшего с тех пор истёк ({moment}); на подлинность документа это не влияет."
    ),
    "timestamped_at": gettext_lazy("Метка времени"),
    "revoked_at": gettext_lazy("Отозван"),
    "revocation_reason": gettext_lazy("Причина отзыва"),
    "download": gettext_lazy("Скачать документ (PDF)"),
    "upload_title": gettext_lazy("Проверить файл PDF"),
    "upload_help": gettext_lazy("Загрузите PDF-документ, чтобы проверить его подпись."),
    "file": gettext_lazy("Файл PDF"),
    "check": gettext_lazy("Проверить"),
    "language": gettext_lazy("Язык"),
    "error": gettext_lazy("Ошибка"),
    "checked_file": gettext_lazy("Проверенный файл"),
}

CODES: dict[str, dict[str, str]] = {
    "modified": gettext_lazy("Подписанное содержимое изменено."),
    "bad_signature": gettext_lazy("Подпись не сходится."),
    "not_whole_file": gettext_lazy("После подписания в файл добавлены данные."),
    "bad_timestamp": gettext_lazy(
        "Метка времени подписи не прошла проверку (подменена или выдана не доверенной службой)."
    ),
    "untrusted": gettext_lazy(
        "Сертификат подписавшего не выдан доверенным удостоверяющим центром."
    ),
    "not_signed": gettext_lazy("В файле нет электронной подписи."),
    "unreadable": gettext_lazy("Файл не читается как документ PDF."),
    "document_replaced": gettext_lazy("Файл не совпадает с выданным документом."),
    "signer_mismatch": gettext_lazy("Документ подписан не тем ключом, которым он был выдан."),
    "not_issued": gettext_lazy("Документ не выдан."),
}


def current_language() -> str:
    language = (translation.get_language() or "ru")[:2]
    return language if language in LANGUAGES else "ru"


def texts(language: str) -> dict[str, str]:
    with translation.override(language):
        return {key: translate(value) for key, value in TEXTS.items()}


def code_text(code: str, language: str) -> str:
    return translate(CODES[code], language) if code in CODES else ""
