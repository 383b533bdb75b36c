"""Verdict codes of the EDS checks, each a registered refusal with ru/kk/en text.

The regulation refuses a request "в связи с не подтверждением подлинности ЭЦП" (p.10,
процесс 4–5) after condition 2: the certificate's validity period, its absence from the
revocation list and the IIN/BIN match between the request and the certificate. Each way
that check can fail has its own stable code so the applicant is told *why*.

Inside the library a failed check raises :class:`EdsError`; the public verifiers catch it
and return a ``Verdict`` — they never raise for bad input.
"""

from __future__ import annotations

from qyzmet.core.refusals import register

# Each verdict is "Подлинность ЭЦП не подтверждена: <why>." in the applicant's language.
_TEXTS: dict[str, tuple[str, str, str]] = {
    "expired": (
        "Подлинность ЭЦП не подтверждена: срок действия регистрационного свидетельства ЭЦП истёк.",
        "ЭЦҚ түпнұсқалығы расталмады: ЭЦҚ тіркеу куәлігінің қолданылу мерзімі өтіп кеткен.",
        "The digital signature (EDS) is not confirmed: the EDS certificate has expired.",
    ),
    "not_yet_valid": (
        "Подлинность ЭЦП не подтверждена: срок действия регистрационного свидетельства ЭЦП ещё не начался.",
        "ЭЦҚ түпнұсқалығы расталмады: ЭЦҚ тіркеу куәлігінің қолданылу мерзімі әлі басталмаған.",
        "The digital signature (EDS) is not confirmed: the EDS certificate is not yet valid.",
    ),
    "revoked": (
        "Подлинность ЭЦП не подтверждена: регистрационное свидетельство ЭЦП отозвано (аннулировано).",
        "ЭЦҚ түпнұсқалығы расталмады: ЭЦҚ тіркеу куәлігі кері қайтарылған (жойылған).",
        "The digital signature (EDS) is not confirmed: the EDS certificate has been revoked.",
    ),
    "revocation_unknown": (
        "Подлинность ЭЦП не подтверждена: не удалось проверить отсутствие свидетельства в списке отозванных (CRL/OCSP недоступны).",
        "ЭЦҚ түпнұсқалығы расталмады: куәліктің кері қайтарылғандар тізімінде жоқтығын тексеру мүмкін болмады (CRL/OCSP қолжетімсіз).",
        "The digital signature (EDS) is not confirmed: the certificate's revocation status could not be confirmed (CRL/OCSP unavailable).",
    ),
    "untrusted_chain": (
        "Подлинность ЭЦП не подтверждена: регистрационное свидетельство выдано не доверенным удостоверяющим центром.",
        "ЭЦҚ түпнұсқалығы расталмады: тіркеу куәлігін сенімді емес куәландырушы орталық берген.",
        "The digital signature (EDS) is not confirmed: the certificate was not issued by a trusted certification authority.",
    ),
    "wrong_purpose": (
        "Подлинность ЭЦП не подтверждена: ключ не предназначен для этого действия (подпись или аутентификация).",
        "ЭЦҚ түпнұсқалығы расталмады: кілт бұл әрекетке арналмаған (қол қою немесе аутентификация).",
        "The digital signature (EDS) is not confirmed: the key is not meant for this use (signing or authentication).",
    ),
    "bad_signature": (
        "Подлинность ЭЦП не подтверждена: подпись не соответствует подписанным данным или ключу.",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңба қол қойылған деректерге немесе кілтке сәйкес келмейді.",
        "The digital signature (EDS) is not confirmed: the signature does not match the signed data or the key.",
    ),
    "digest_mismatch": (
        "Подлинность ЭЦП не подтверждена: подписанные данные были изменены после подписания.",
        "ЭЦҚ түпнұсқалығы расталмады: қол қойылған деректер қол қойылғаннан кейін өзгертілген.",
        "The digital signature (EDS) is not confirmed: the signed data was changed after signing.",
    ),
    "unsupported_algorithm": (
        "Подлинность ЭЦП не подтверждена: алгоритм подписи не поддерживается или не разрешён.",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңба алгоритміне қолдау көрсетілмейді немесе рұқсат етілмеген.",
        "The digital signature (EDS) is not confirmed: the signature algorithm is not supported or not allowed.",
    ),
    "iin_mismatch": (
        "Подлинность ЭЦП не подтверждена: ИИН в регистрационном свидетельстве ЭЦП не совпадает с ИИН в запросе.",
        "ЭЦҚ түпнұсқалығы расталмады: ЭЦҚ тіркеу куәлігіндегі ЖСН сұраныстағы ЖСН-мен сәйкес келмейді.",
        "The digital signature (EDS) is not confirmed: the IIN in the certificate does not match the IIN in the request.",
    ),
    "bin_mismatch": (
        "Подлинность ЭЦП не подтверждена: БИН в регистрационном свидетельстве ЭЦП не совпадает с БИН в запросе.",
        "ЭЦҚ түпнұсқалығы расталмады: ЭЦҚ тіркеу куәлігіндегі БСН сұраныстағы БСН-мен сәйкес келмейді.",
        "The digital signature (EDS) is not confirmed: the BIN in the certificate does not match the BIN in the request.",
    ),
    "no_signed_attributes": (
        "Подлинность ЭЦП не подтверждена: в подписи нет подписанных атрибутов (CAdES-BES): подпишите заново через NCALayer, eGov mobile или файлом ключа на странице.",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңбада қол қойылған атрибуттар жоқ (CAdES-BES): NCALayer, eGov mobile немесе беттегі кілт файлы арқылы қайта қол қойыңыз.",
        "The digital signature (EDS) is not confirmed: the signature has no signed attributes (CAdES-BES): sign again with NCALayer, eGov mobile or a key file in the page.",
    ),
    "digest_not_allowed": (
        "Подлинность ЭЦП не подтверждена: алгоритм хеширования подписи устарел или не разрешён; допускаются SHA-256, SHA-384, SHA-512 и ГОСТ 34.11-2015 (Стрибог-256/512).",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңбаның хэштеу алгоритмі ескірген немесе рұқсат етілмеген; SHA-256, SHA-384, SHA-512 және ГОСТ 34.11-2015 (Стрибог-256/512) рұқсат етіледі.",
        "The digital signature (EDS) is not confirmed: the signature's digest algorithm is obsolete or not allowed; SHA-256, SHA-384, SHA-512 and GOST 34.11-2015 (Streebog-256/512) are accepted.",
    ),
    "digest_algorithms_mismatch": (
        "Подлинность ЭЦП не подтверждена: список алгоритмов хеширования в файле подписи не совпадает с алгоритмом подписавшего: файл подписи изменён после подписания.",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңба файлындағы хэштеу алгоритмдерінің тізімі қол қоюшының алгоритміне сәйкес келмейді: қолтаңба файлы қол қойылғаннан кейін өзгертілген.",
        "The digital signature (EDS) is not confirmed: the signature file's list of digest algorithms differs from the signer's algorithm: the file was changed after signing.",
    ),
    "multiple_signers": (
        "Подлинность ЭЦП не подтверждена: в файле больше одной подписи; нужна подпись одного лица.",
        "ЭЦҚ түпнұсқалығы расталмады: файлда бірнеше қолтаңба бар; бір адамның қолтаңбасы қажет.",
        "The digital signature (EDS) is not confirmed: the file holds more than one signature; one person's signature is needed.",
    ),
    "gost2004_retired": (
        "Подлинность ЭЦП не подтверждена: ключи ГОСТ 34.310-2004 НУЦ РК больше не выдаёт, а ключи НУЦ РК действуют один год, поэтому действующих ключей этого вида не осталось. Подпишите ключом ГОСТ 34.10-2015 (файл GOST512_…), полученным в НУЦ РК (pki.gov.kz).",
        "ЭЦҚ түпнұсқалығы расталмады: ҚР ҰКО ГОСТ 34.310-2004 кілттерін енді бермейді, ал ҚР ҰКО кілттері бір жыл жарамды, сондықтан бұл түрдегі жарамды кілттер қалған жоқ. ҚР ҰКО-дан (pki.gov.kz) алынған ГОСТ 34.10-2015 кілтімен (GOST512_… файлы) қол қойыңыз.",
        "The digital signature (EDS) is not confirmed: NCA RK no longer issues GOST 34.310-2004 keys and its keys are valid for one year, so no key of this kind is still valid. Sign with a GOST 34.10-2015 key (file GOST512_…) from NCA RK (pki.gov.kz).",
    ),
    "malformed": (
        "Подлинность ЭЦП не подтверждена: файл подписи или сертификата повреждён или имеет неверный формат.",
        "ЭЦҚ түпнұсқалығы расталмады: қолтаңба немесе сертификат файлы бүлінген немесе пішімі қате.",
        "The digital signature (EDS) is not confirmed: the signature or certificate file is damaged or not in a valid format.",
    ),
}

_KEY_STORE_TEXTS: dict[str, tuple[str, str, str]] = {
    "wrong_password": (
        "Неверный пароль к файлу ключа (PKCS#12).",
        "Кілт файлының (PKCS#12) құпиясөзі қате.",
        "Wrong password for the key file (PKCS#12).",
    ),
    "no_key": (
        "В файле нет закрытого ключа: выберите файл ключа, а не сертификат.",
        "Файлда жабық кілт жоқ: сертификатты емес, кілт файлын таңдаңыз.",
        "The file holds no private key: choose a key file, not a certificate.",
    ),
    "gost2004_key": (
        "Это ключ ГОСТ 34.310-2004. НУЦ РК больше не выдаёт такие ключи (с 2024 года только "
        "ГОСТ 34.10-2015), а ключи НУЦ действуют один год, поэтому действующих ключей "
        "ГОСТ-2004 не осталось. Выберите файл ключа ГОСТ 2015 (GOST512_…) или RSA.",
        "Бұл ГОСТ 34.310-2004 кілті. ҰКО мұндай кілттерді енді бермейді (2024 жылдан бастап "
        "тек ГОСТ 34.10-2015), ал ҰКО кілттері бір жыл жарамды, сондықтан ГОСТ-2004 жарамды "
        "кілттері қалған жоқ. ГОСТ 2015 (GOST512_…) немесе RSA кілт файлын таңдаңыз.",
        "This is a GOST 34.310-2004 key. The NCA no longer issues such keys (only GOST "
        "34.10-2015 since 2024) and NCA keys are valid for one year, so no GOST-2004 key is "
        "still valid. Choose a GOST 2015 (GOST512_…) or RSA key file.",
    ),
}

VERDICT_CODES: tuple[str, ...] = tuple(_TEXTS)
KEY_STORE_CODES: tuple[str, ...] = tuple(_KEY_STORE_TEXTS)

for _code, _message in (_TEXTS | _KEY_STORE_TEXTS).items():
    register(_code, _message)

VALID_TEXTS = {
    "ru": "Подлинность ЭЦП подтверждена.",
    "kk": "ЭЦҚ түпнұсқалығы расталды.",
    "en": "The digital signature (EDS) is confirmed.",
}


class EdsError(Exception):
    """A failed EDS check: ``code`` is one of the registered codes, ``detail`` is a
    technical English note for logs (never shown instead of the localized message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in _TEXTS and code not in _KEY_STORE_TEXTS:
            raise KeyError(f"unknown EDS code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
