"""Refusal codes of the result documents (registered once, at import)."""

from qyzmet.core.refusals import register

register(
    "result_already_issued",
    ru="Документ результата уже выдан; подготовить его заново нельзя.",
    kk="Нәтиже құжаты берілген; оны қайта дайындауға болмайды.",
    en="The result document has already been issued; it cannot be prepared again.",
)
register(
    "result_not_prepared",
    ru="Документ результата не подготовлен к подписи.",
    kk="Нәтиже құжаты қол қоюға дайындалмаған.",
    en="The result document has not been prepared for signature.",
)
register(
    "result_signature_malformed",
    ru="Подпись не является отделённой подписью CMS.",
    kk="Қолтаңба бөлек CMS қолтаңбасы емес.",
    en="The signature is not a detached CMS signature.",
)
register(
    "result_signature_mismatch",
    ru="Подпись сделана не над подготовленным документом.",
    kk="Қолтаңба дайындалған құжатқа қойылмаған.",
    en="The signature does not cover the prepared document.",
)
register(
    "result_signature_too_large",
    ru="Подпись не помещается в место, отведённое в документе ({size} байт из {room}).",
    kk="Қолтаңба құжатта бөлінген орынға сыймайды ({room} байттың {size} байты).",
    en="The signature does not fit the room reserved in the document ({size} of {room} bytes).",
)
register(
    "result_not_issued",
    ru="Документ результата не выдан.",
    kk="Нәтиже құжаты берілмеген.",
    en="The result document has not been issued.",
)
register(
    "result_already_revoked",
    ru="Документ результата уже отозван.",
    kk="Нәтиже құжаты бұрын кері қайтарылған.",
    en="The result document has already been revoked.",
)
register(
    "revocation_reason_required",
    ru="Укажите причину отзыва документа.",
    kk="Құжатты кері қайтару себебін көрсетіңіз.",
    en="Give the reason for revoking the document.",
)
register(
    "upload_not_pdf",
    ru="Загруженный файл не является документом PDF.",
    kk="Жүктелген файл PDF құжаты емес.",
    en="The uploaded file is not a PDF document.",
)
register(
    "upload_too_large",
    ru="Файл слишком большой (не более {limit} МБ).",
    kk="Файл тым үлкен ({limit} МБ-тан аспауы керек).",
    en="The file is too large (at most {limit} MB).",
)
register(
    "upload_missing",
    ru="Выберите файл PDF для проверки.",
    kk="Тексеру үшін PDF файлын таңдаңыз.",
    en="Choose a PDF file to check.",
)
