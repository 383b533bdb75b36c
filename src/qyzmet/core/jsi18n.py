"""The JavaScript's interface texts: Django's ``JavaScriptCatalog`` of the ``djangojs`` domain
(``locale/<language>/LC_MESSAGES/djangojs.po``, docs/i18n.md), one script per language.

Served from the site itself (the CSP's ``script-src 'self'``), at ``/jsi18n/<language>.js?v=…``
where ``v`` changes when a compiled catalogue does: the browser keeps it for a year and each
process renders it once per language and catalogue version.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

from .i18n import LOCALE_DIR, current_language

DOMAIN = "djangojs"
_RENDERED: dict[tuple[str, int], bytes] = {}


def catalogue_version(language: str) -> int:
    """Changes when the language's (or the source language's) compiled catalogue does."""
    version = 0
    for code in {language, settings.LANGUAGE_CODE}:
        mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.exists():
            version = max(version, mo.stat().st_mtime_ns)
    return version


def catalogue_url(language: str | None = None) -> str:
    language = current_language(language)
    return f"{reverse('jsi18n', args=[language])}?v={catalogue_version(language)}"


class Catalogue(JavaScriptCatalog):
    """Only qyzmet's own catalogues (not every installed app's), the language from the URL."""

    domain = DOMAIN

    def get(self, request, language: str):
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise Http404
        key = (language, catalogue_version(language))
        body = _RENDERED.get(key)
        if body is None:
            with translation.override(language):
                self.translation = DjangoTranslation(
                    language, domain=DOMAIN, localedirs=[str(LOCALE_DIR)]
                )
                body = self.render_to_response(self.get_context_data()).content
            _RENDERED[key] = body
        response = HttpResponse(body, content_type='text/javascript; charset="utf-8"')
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
        return response
