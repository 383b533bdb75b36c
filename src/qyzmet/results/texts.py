"""User-facing texts of the public verification pages, in Russian, Kazakh and English."""

from __future__ import annotations

from django.utils import translation

from qyzmet.core.i18n import translate

LANGUAGES = ("kk", "ru", "en")

TEXTS: dict[str, dict[str, str]] = {
    "page_title": {
        "ru": "Проверка документа",
        "kk": "Құжатты тексеру",
        "en": "Document verification",
    },
    "authentic": {
        "ru": "Документ подлинный",
        "kk": "Құжат түпнұсқа",
        "en": "The document is authentic",
    },
    "authentic_detail": {
        "ru": "Подпись руководителя услугодателя действительна, документ не изменялся после подписания.",
        "kk": "Көрсетілетін қызметті беруші басшысының қолтаңбасы жарамды, құжат қол қойылғаннан кейін өзгертілмеген.",
        "en": "The head's signature is valid and the document has not been changed since it was signed.",
    },
    "revoked": {
        "ru": "Документ отозван",
        "kk": "Құжат кері қайтарылды",
        "en": "The document has been revoked",
    },
    "revoked_detail": {
        "ru": "Подпись подлинная, но услугодатель отозвал документ; он больше не действует.",
        "kk": "Қолтаңба түпнұсқа, бірақ көрсетілетін қызметті беруші құжатты кері қайтарды; ол енді жарамсыз.",
        "en": "The signature is genuine, but the provider has revoked the document; it is no longer in effect.",
    },
    "not_authentic": {
        "ru": "Документ не подлинный",
        "kk": "Құжат түпнұсқа емес",
        "en": "The document is not authentic",
    },
    "not_authentic_detail": {
        "ru": "Подпись недействительна или документ изменён после подписания.",
        "kk": "Қолтаңба жарамсыз немесе құжат қол қойылғаннан кейін өзгертілген.",
        "en": "The signature is not valid or the document was changed after it was signed.",
    },
    "valid_signature": {
        "ru": "Подпись действительна, но документ выдан не этой службой",
        "kk": "Қолтаңба жарамды, бірақ құжатты бұл қызмет бермеген",
        "en": "The signature is valid, but this document was not issued by this service",
    },
    "valid_signature_detail": {
        "ru": "Файл подписан действительной ЭЦП, но среди выданных здесь документов его нет.",
        "kk": "Файлға жарамды ЭЦҚ қойылған, бірақ ол мұнда берілген құжаттардың арасында жоқ.",
        "en": "The file carries a valid signature but is not among the documents issued here.",
    },
    "reason": {"ru": "Причина", "kk": "Себебі", "en": "Reason"},
    "registration_number": {
        "ru": "Регистрационный номер",
        "kk": "Тіркеу нөмірі",
        "en": "Registration number",
    },
    "document_kind": {"ru": "Вид документа", "kk": "Құжат түрі", "en": "Document"},
    "service": {"ru": "Государственная услуга", "kk": "Мемлекеттік қызмет", "en": "Public service"},
    "signer": {"ru": "Подписал", "kk": "Қол қойған", "en": "Signed by"},
    "iin": {"ru": "ИИН", "kk": "ЖСН", "en": "IIN"},
    "organization": {"ru": "Организация", "kk": "Ұйым", "en": "Organisation"},
    "signed_at": {
        "ru": "Дата и время подписания",
        "kk": "Қол қойылған күні мен уақыты",
        "en": "Signed on",
    },
    "revoked_at": {"ru": "Отозван", "kk": "Кері қайтарылған күні", "en": "Revoked on"},
    "revocation_reason": {
        "ru": "Причина отзыва",
        "kk": "Кері қайтару себебі",
        "en": "Reason for revocation",
    },
    "download": {
        "ru": "Скачать документ (PDF)",
        "kk": "Құжатты жүктеу (PDF)",
        "en": "Download the document (PDF)",
    },
    "upload_title": {
        "ru": "Проверить файл PDF",
        "kk": "PDF файлын тексеру",
        "en": "Check a PDF file",
    },
    "upload_help": {
        "ru": "Загрузите PDF-документ, чтобы проверить его подпись.",
        "kk": "Қолтаңбасын тексеру үшін PDF құжатын жүктеңіз.",
        "en": "Upload a PDF document to check its signature.",
    },
    "file": {"ru": "Файл PDF", "kk": "PDF файлы", "en": "PDF file"},
    "check": {"ru": "Проверить", "kk": "Тексеру", "en": "Check"},
    "language": {"ru": "Язык", "kk": "Тіл", "en": "Language"},
    "error": {"ru": "Ошибка", "kk": "Қате", "en": "Error"},
    "checked_file": {"ru": "Проверенный файл", "kk": "Тексерілген файл", "en": "Checked file"},
}

CODES: dict[str, dict[str, str]] = {
    "modified": {
        "ru": "Подписанное содержимое изменено.",
        "kk": "Қол қойылған мазмұн өзгертілген.",
        "en": "The signed content has been changed.",
    },
    "bad_signature": {
        "ru": "Подпись не сходится.",
        "kk": "Қолтаңба сәйкес келмейді.",
        "en": "The signature does not verify.",
    },
    "not_whole_file": {
        "ru": "После подписания в файл добавлены данные.",
        "kk": "Қол қойылғаннан кейін файлға деректер қосылған.",
        "en": "Data was added to the file after it was signed.",
    },
    "untrusted": {
        "ru": "Сертификат подписавшего не выдан доверенным удостоверяющим центром.",
        "kk": "Қол қоюшының сертификатын сенімді куәландырушы орталық бермеген.",
        "en": "The signer's certificate was not issued by a trusted certification authority.",
    },
    "not_signed": {
        "ru": "В файле нет электронной подписи.",
        "kk": "Файлда электрондық қолтаңба жоқ.",
        "en": "The file carries no electronic signature.",
    },
    "unreadable": {
        "ru": "Файл не читается как документ PDF.",
        "kk": "Файл PDF құжаты ретінде оқылмайды.",
        "en": "The file cannot be read as a PDF document.",
    },
    "document_replaced": {
        "ru": "Файл не совпадает с выданным документом.",
        "kk": "Файл берілген құжатпен сәйкес келмейді.",
        "en": "The file is not the document that was issued.",
    },
    "signer_mismatch": {
        "ru": "Документ подписан не тем ключом, которым он был выдан.",
        "kk": "Құжатқа ол берілген кілтпен қол қойылмаған.",
        "en": "The document is not signed with the key it was issued with.",
    },
    "not_issued": {
        "ru": "Документ не выдан.",
        "kk": "Құжат берілмеген.",
        "en": "The document has not been issued.",
    },
}


def current_language() -> str:
    language = (translation.get_language() or "ru")[:2]
    return language if language in LANGUAGES else "ru"


def texts(language: str) -> dict[str, str]:
    with translation.override(language):
        return {key: translate(value) for key, value in TEXTS.items()}


def code_text(code: str, language: str) -> str:
    return translate(CODES[code], language) if code in CODES else ""
