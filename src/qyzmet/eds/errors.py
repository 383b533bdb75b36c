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

_NOT_CONFIRMED_RU = "Подлинность ЭЦП не подтверждена: "
_NOT_CONFIRMED_KK = "ЭЦҚ түпнұсқалығы расталмады: "
_NOT_CONFIRMED_EN = "The digital signature (EDS) is not confirmed: "

_TEXTS: dict[str, tuple[str, str, str]] = {
    "expired": (
        "срок действия регистрационного свидетельства ЭЦП истёк.",
        "ЭЦҚ тіркеу куәлігінің қолданылу мерзімі өтіп кеткен.",
        "the EDS certificate has expired.",
    ),
    "not_yet_valid": (
        "срок действия регистрационного свидетельства ЭЦП ещё не начался.",
        "ЭЦҚ тіркеу куәлігінің қолданылу мерзімі әлі басталмаған.",
        "the EDS certificate is not yet valid.",
    ),
    "revoked": (
        "регистрационное свидетельство ЭЦП отозвано (аннулировано).",
        "ЭЦҚ тіркеу куәлігі кері қайтарылған (жойылған).",
        "the EDS certificate has been revoked.",
    ),
    "revocation_unknown": (
        "не удалось проверить отсутствие свидетельства в списке отозванных (CRL/OCSP недоступны).",
        "куәліктің кері қайтарылғандар тізімінде жоқтығын тексеру мүмкін болмады (CRL/OCSP қолжетімсіз).",
        "the certificate's revocation status could not be confirmed (CRL/OCSP unavailable).",
    ),
    "untrusted_chain": (
        "регистрационное свидетельство выдано не доверенным удостоверяющим центром.",
        "тіркеу куәлігін сенімді емес куәландырушы орталық берген.",
        "the certificate was not issued by a trusted certification authority.",
    ),
    "wrong_purpose": (
        "ключ не предназначен для этого действия (подпись или аутентификация).",
        "кілт бұл әрекетке арналмаған (қол қою немесе аутентификация).",
        "the key is not meant for this use (signing or authentication).",
    ),
    "bad_signature": (
        "подпись не соответствует подписанным данным или ключу.",
        "қолтаңба қол қойылған деректерге немесе кілтке сәйкес келмейді.",
        "the signature does not match the signed data or the key.",
    ),
    "digest_mismatch": (
        "подписанные данные были изменены после подписания.",
        "қол қойылған деректер қол қойылғаннан кейін өзгертілген.",
        "the signed data was changed after signing.",
    ),
    "unsupported_algorithm": (
        "алгоритм подписи не поддерживается или не разрешён.",
        "қолтаңба алгоритміне қолдау көрсетілмейді немесе рұқсат етілмеген.",
        "the signature algorithm is not supported or not allowed.",
    ),
    "iin_mismatch": (
        "ИИН в регистрационном свидетельстве ЭЦП не совпадает с ИИН в запросе.",
        "ЭЦҚ тіркеу куәлігіндегі ЖСН сұраныстағы ЖСН-мен сәйкес келмейді.",
        "the IIN in the certificate does not match the IIN in the request.",
    ),
    "bin_mismatch": (
        "БИН в регистрационном свидетельстве ЭЦП не совпадает с БИН в запросе.",
        "ЭЦҚ тіркеу куәлігіндегі БСН сұраныстағы БСН-мен сәйкес келмейді.",
        "the BIN in the certificate does not match the BIN in the request.",
    ),
    "malformed": (
        "файл подписи или сертификата повреждён или имеет неверный формат.",
        "қолтаңба немесе сертификат файлы бүлінген немесе пішімі қате.",
        "the signature or certificate file is damaged or not in a valid format.",
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

for _code, (_ru, _kk, _en) in _TEXTS.items():
    register(
        _code,
        ru=_NOT_CONFIRMED_RU + _ru,
        kk=_NOT_CONFIRMED_KK + _kk,
        en=_NOT_CONFIRMED_EN + _en,
    )
for _code, (_ru, _kk, _en) in _KEY_STORE_TEXTS.items():
    register(_code, ru=_ru, kk=_kk, en=_en)

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
