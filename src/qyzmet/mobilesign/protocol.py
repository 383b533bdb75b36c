"""The eGov mobile ("mgovSign") protocol documents (EDS.md, "eGov mobile QR signing"):
the QR text and deep links, API1's answer, API2's ``documentsToSign`` and the reading of the
app's PUT back. Pure functions over a session and the bytes to sign; no database writes."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from qyzmet.core import untrusted
from qyzmet.core.i18n import translate
from qyzmet.core.refusals import Refused

from . import conf
from .models import AUTH_PURPOSES, Purpose, SigningSession

SIGN_METHOD = "CMS_SIGN_ONLY"  # a detached CMS over the bytes given
VERSION = 1
# A CMS with a certificate chain is a few KB; anything near this is not a signature.
MAX_SIGNATURE_BASE64 = 64 * 1024

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # the texts offered to the app
_NAMES = {
    Purpose.REQUEST: gettext_lazy("Заявление на оказание государственной услуги «{title}»"),
    Purpose.RESULT: gettext_lazy("Результат оказания государственной услуги № {number}"),
    Purpose.SIGN_UP: gettext_lazy("Регистрация на портале по ЭЦП (ключ аутентификации)"),
    Purpose.LOG_IN: gettext_lazy("Вход на портал по ЭЦП (ключ аутентификации)"),
}
# Who asks for a sign-up / log-in signature (no case, no service version).
_PORTAL = gettext_lazy("Портал государственных услуг qyzmet")
_META = {
    "service": gettext_lazy("Услуга"),
    "number": gettext_lazy("Регистрационный номер"),
    "applicant": gettext_lazy("Услугополучатель"),
    "decision": gettext_lazy("Решение"),
    "sha256": gettext_lazy("SHA-256 данных"),
}
_DECISIONS = {
    "approval": gettext_lazy("положительное"),
    "refusal": gettext_lazy("мотивированный отказ"),
}


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def api1_url(session: SigningSession) -> str:
    return conf.base_url() + reverse("mobilesign:api1", args=[session.token])


def api2_url(session: SigningSession) -> str:
    return conf.base_url() + reverse("mobilesign:api2", args=[session.token])


def qr_text(session: SigningSession) -> str:
    return f"mobileSign:{api1_url(session)}"


def deep_links(session: SigningSession) -> dict[str, str]:
    link = quote(api1_url(session), safe="")
    return {
        "egov_mobile": conf.EGOV_MOBILE_LINK.format(link=link),
        "egov_business": conf.EGOV_BUSINESS_LINK.format(link=link),
    }


def _names(session: SigningSession) -> dict[str, str]:
    if session.purpose in AUTH_PURPOSES:
        return {language: translate(_NAMES[session.purpose], language) for language in LANGUAGES}
    application = session.application
    version = application.service_version
    return {
        language: translate(
            _NAMES[session.purpose],
            language,
            title=version.title(language),
            number=application.registration_number,
        )
        for language in LANGUAGES
    }


def api1(session: SigningSession, language: str | None = None) -> dict:
    """API1: what the app shows before it fetches the document, and where to fetch it."""
    if session.purpose in AUTH_PURPOSES:
        provider = SimpleNamespace(**{lang: translate(_PORTAL, lang) for lang in LANGUAGES})
    else:
        provider = session.application.service_version.provider_name
    return {
        "description": _names(session)[_language(language)],
        "expiry_date": timezone.localtime(session.expires_at).isoformat(),
        "organisation": {
            "nameRu": provider.ru,
            "nameKz": provider.kk,
            "nameEn": provider.en,
            "bin": conf.organisation_bin(),
        },
        "document": {"uri": api2_url(session), "auth_type": "None"},
    }


def _meta(session: SigningSession, language: str) -> list[dict[str, str]]:
    if session.purpose in AUTH_PURPOSES:
        return [{"name": translate(_META["sha256"], language), "value": session.content_sha256}]
    application = session.application
    rows = [("service", application.service_version.title(language))]
    if application.registration_number:
        rows.append(("number", application.registration_number))
    rows.append(("applicant", application.applicant_name))
    if session.decision is not None:
        rows.append(("decision", translate(_DECISIONS[session.decision.kind], language)))
    rows.append(("sha256", session.content_sha256))
    return [{"name": translate(_META[key], language), "value": value} for key, value in rows]


def api2(session: SigningSession, content: bytes, language: str | None = None) -> dict:
    """API2: the one document to sign, its bytes in base64 (``CMS_SIGN_ONLY``: the app
    answers with a detached CMS over exactly these bytes)."""
    names = _names(session)
    return {
        "signMethod": SIGN_METHOD,
        "version": VERSION,
        "documentsToSign": [
            {
                "id": session.document_id,
                "nameRu": names["ru"],
                "nameKz": names["kk"],
                "nameEn": names["en"],
                "meta": _meta(session, _language(language)),
                "document": {
                    "file": {"mime": "", "data": base64.b64encode(content).decode("ascii")}
                },
            }
        ],
    }


@dataclass(frozen=True)
class SignedDocument:
    document_id: str
    signature_base64: str

    @property
    def der(self) -> bytes:
        return base64.b64decode(self.signature_base64, validate=True)


def read_put(body: bytes) -> list[SignedDocument]:
    """The app's PUT: API2's structure with each ``data`` replaced by the base64 CMS.
    Anything else is ``mobile_sign_malformed``; NULs, lone surrogates and deep nesting are
    refused with their own codes (``qyzmet.core.untrusted``)."""
    try:
        payload = untrusted.loads(body)
    except Refused as refused:
        if refused.code == "malformed_json":
            raise Refused("mobile_sign_malformed") from refused
        raise
    try:
        documents = payload["documentsToSign"]
        if not isinstance(documents, list) or not documents:
            raise ValueError("no documents")
        signed = []
        for document in documents:
            signature = document["document"]["file"]["data"]
            if not isinstance(signature, str) or not signature:
                raise ValueError("no signature")
            if len(signature) > MAX_SIGNATURE_BASE64:
                raise ValueError("signature too large")
            item = SignedDocument(str(document["id"]), "".join(signature.split()))
            item.der  # noqa: B018  (valid base64 or refused now)
            signed.append(item)
        if payload.get("signMethod", SIGN_METHOD) != SIGN_METHOD:
            raise ValueError("another signMethod")
        return signed
    except (
        UnicodeDecodeError,
        binascii.Error,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
    ) as error:
        raise Refused("mobile_sign_malformed") from error
