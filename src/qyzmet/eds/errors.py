"""Verdict codes of the EDS checks, each a registered refusal with ru/kk/en text.

The regulation refuses a request "в связи с не подтверждением подлинности ЭЦП" (p.10,
процесс 4–5) after condition 2: the certificate's validity period, its absence from the
revocation list and the IIN/BIN match between the request and the certificate. Each way
that check can fail has its own stable code so the applicant is told *why*.

Inside the library a failed check raises :class:`EdsError`; the public verifiers catch it
and return a ``Verdict`` — they never raise for bad input.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import Text
from qyzmet.core.refusals import register

# Each verdict is "Подлинность ЭЦП не подтверждена: <why>." in the applicant's language.
_TEXTS: dict[str, Text] = {
    "expired": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: срок действия регистрационного свидетельства ЭЦП истёк."
    ),
    "not_yet_valid": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: срок действия регистрационного свидетельства ЭЦП ещё не начался."
    ),
    "revoked": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: регистрационное свидетельство ЭЦП отозвано (аннулировано)."
    ),
    "revocation_unknown": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: не удалось проверить отсутствие свидетельства в списке отозванных (CRL/OCSP недоступны)."
    ),
    "untrusted_chain": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: регистрационное свидетельство выдано не доверенным удостоверяющим центром."
    ),
    "wrong_purpose": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: ключ не предназначен для этого действия (подпись или аутентификация)."
    ),
    "bad_signature": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: подпись не соответствует подписанным данным или ключу."
    ),
    "digest_mismatch": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: подписанные данные были изменены после подписания."
    ),
    "unsupported_algorithm": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: алгоритм подписи не поддерживается или не разрешён."
    ),
    "iin_mismatch": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: ИИН в регистрационном свидетельстве ЭЦП не совпадает с ИИН в запросе."
    ),
    "bin_mismatch": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: БИН в регистрационном свидетельстве ЭЦП не совпадает с БИН в запросе."
    ),
    "no_signed_attributes": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: в подписи нет подписанных атрибутов (CAdES-BES): подпишите заново через NCALayer, eGov mobile или файлом ключа на странице."
    ),
    "digest_not_allowed": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: алгоритм хеширования подписи устарел или не разрешён; допускаются SHA-256, SHA-384, SHA-512 и ГОСТ 34.11-2015 (Стрибог-256/512)."
    ),
    "digest_algorithms_mismatch": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: список алгоритмов хеширования в файле подписи не совпадает с алгоритмом подписавшего: файл подписи изменён после подписания."
    ),
    "multiple_signers": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: в файле больше одной подписи; нужна подпись одного лица."
    ),
    "gost2004_retired": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: ключи ГОСТ 34.310-2004 НУЦ РК больше не выдаёт, а ключи НУЦ РК действуют один год, поэтому действующих ключей этого вида не осталось. Подпишите ключом ГОСТ 34.10-2015 (файл GOST512_…), полученным в НУЦ РК (pki.gov.kz)."
    ),
    "malformed": gettext_lazy(
        "Подлинность ЭЦП не подтверждена: файл подписи или сертификата повреждён или имеет неверный формат."
    ),
}

_KEY_STORE_TEXTS: dict[str, Text] = {
    "wrong_password": gettext_lazy("Неверный пароль к файлу ключа (PKCS#12)."),
    "no_key": gettext_lazy("В файле нет закрытого ключа: выберите файл ключа, а не сертификат."),
    "gost2004_key": gettext_lazy(
        "Это ключ ГОСТ 34.310-2004. НУЦ РК больше не выдаёт такие ключи (с 2024 года только ГОСТ 34.10-2015), а ключи НУЦ действуют один год, поэтому действующих ключей ГОСТ-2004 не осталось. Выберите файл ключа ГОСТ 2015 (GOST512_…) или RSA."
    ),
}

VERDICT_CODES: tuple[str, ...] = tuple(_TEXTS)
KEY_STORE_CODES: tuple[str, ...] = tuple(_KEY_STORE_TEXTS)

for _code, _message in (_TEXTS | _KEY_STORE_TEXTS).items():
    register(_code, _message)

VALID_TEXTS = gettext_lazy("Подлинность ЭЦП подтверждена.")


class EdsError(Exception):
    """A failed EDS check: ``code`` is one of the registered codes, ``detail`` is a
    technical English note for logs (never shown instead of the localized message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in _TEXTS and code not in _KEY_STORE_TEXTS:
            raise KeyError(f"unknown EDS code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
