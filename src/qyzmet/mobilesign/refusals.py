"""Refusal codes of eGov mobile QR signing, each with its ru/kk/en message. The message goes
back to the eGov mobile app (which shows it on the phone) and to the waiting page."""

from qyzmet.core.refusals import register

register(
    "mobile_sign_not_found",
    ru="QR-код не найден. Получите новый QR-код на странице подписания.",
    kk="QR-код табылмады. Қол қою бетінде жаңа QR-код алыңыз.",
    en="This QR code is unknown. Get a new QR code on the signing page.",
)
register(
    "mobile_sign_expired",
    ru="Срок действия QR-кода истёк. Получите новый QR-код на странице подписания.",
    kk="QR-кодтың қолданылу мерзімі өтті. Қол қою бетінде жаңа QR-код алыңыз.",
    en="The QR code has expired. Get a new QR code on the signing page.",
)
register(
    "mobile_sign_used",
    ru="Этот QR-код уже использован: документ подписан. Повторная подпись не принимается.",
    kk="Бұл QR-код пайдаланылған: құжатқа қол қойылған. Қайта қол қою қабылданбайды.",
    en="This QR code has already been used: the document is signed. A second signature is not accepted.",
)
register(
    "mobile_sign_closed",
    ru="Этот QR-код больше не действует. Получите новый QR-код на странице подписания.",
    kk="Бұл QR-код енді жарамсыз. Қол қою бетінде жаңа QR-код алыңыз.",
    en="This QR code is no longer valid. Get a new QR code on the signing page.",
)
register(
    "mobile_sign_malformed",
    ru="Ответ приложения eGov mobile не распознан: ожидается подпись CMS по каждому документу.",
    kk="eGov mobile қосымшасының жауабы танылмады: әр құжатқа CMS қолтаңбасы күтіледі.",
    en="The eGov mobile app's answer is not understood: a CMS signature of each document is expected.",
)
register(
    "mobile_sign_wrong_document",
    ru="Подписан не тот документ: идентификатор документа не соответствует этому QR-коду.",
    kk="Басқа құжатқа қол қойылған: құжат идентификаторы осы QR-кодқа сәйкес келмейді.",
    en="The wrong document was signed: its id is not the one of this QR code.",
)
register(
    "mobile_sign_other_bytes",
    ru="Подпись сделана не под теми данными, которые выданы для этого QR-кода.",
    kk="Қолтаңба осы QR-код үшін берілген деректерге қойылмаған.",
    en="The signature is not over the data issued for this QR code.",
)
register(
    "mobile_sign_other_signer",
    ru="Подписал другой человек: ИИН/БИН в сертификате не тот, для кого создан этот QR-код.",
    kk="Басқа адам қол қойды: сертификаттағы ЖСН/БСН осы QR-код жасалған адамдікі емес.",
    en="Someone else signed: the IIN/BIN in the certificate is not the one this QR code was made for.",
)
register(
    "mobile_sign_stale",
    ru="Документ изменился или уже подписан другим способом после создания QR-кода. "
    "Откройте страницу подписания заново.",
    kk="QR-код жасалғаннан кейін құжат өзгерді немесе басқа тәсілмен қол қойылды. "
    "Қол қою бетін қайта ашыңыз.",
    en="The document changed, or was signed another way, after the QR code was made. "
    "Open the signing page again.",
)
