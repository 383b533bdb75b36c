"""Interface texts through Django's gettext catalogues (docs/i18n.md).

Russian is the source language: a text's msgid is its Russian wording, marked in the code with
``gettext_lazy`` / ``pgettext_lazy`` (the context only where the same Russian has different
Kazakh or English renderings); ``src/qyzmet/locale/<language>/LC_MESSAGES/django.po`` holds
the other languages. The ``.mo`` files are built from the ``.po`` files by the set-up
(``qyzmet i18n compile``; ``make run``, ``make test`` and the test suite's start run it), in
Python with Babel, so no system package is needed.

:func:`translate` renders any interface text in a language: a marked text, and (until
``scripts/i18n-convert.py`` has converted them) the older forms, a ``(ru, kk, en)`` tuple, a
``{"ru", "kk", "en"}`` dict or an object with ``.text(language)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "django"
_OLD_INDEX = {"ru": 0, "kk": 1, "en": 2}


def current_language(language: str | None = None) -> str:
    """A language code of the site (``ru``, ``kk``, ``en``…) for ``language`` or the active one."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    if code in codes:
        return code
    short = code.split("-")[0][:2]
    return short if short in codes else settings.LANGUAGE_CODE


def translate(value: Any, language: str | None = None, **params: Any) -> str:
    """``value`` in ``language`` (default: the active one), its ``{placeholders}`` filled."""
    if isinstance(value, Promise | str):
        wanted = current_language(language)
        if language is None or wanted == current_language():
            result = str(value)
        else:
            with translation.override(wanted):
                result = str(value)
    elif isinstance(value, tuple):  # the old (ru, kk, en) form
        result = value[_OLD_INDEX.get(current_language(language)[:2], 0)]
    elif isinstance(value, dict):  # the old {"ru", "kk", "en"} form
        result = value.get(current_language(language)[:2]) or value["ru"]
    else:
        result = value.text(current_language(language))
    return result.format(**params) if params else result


# --- Compiling the catalogues (Babel, no msgfmt needed).


def catalogue_paths(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogues(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Write each ``.mo`` older than its ``.po``; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in catalogue_paths(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if (
            not force
            and mo_path.exists()
            and mo_path.stat().st_mtime_ns >= po_path.stat().st_mtime_ns
        ):
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
        written.append(mo_path)
    if written:
        translation.trans_real._translations = {}  # noqa: SLF001 - reload on next use
        translation.trans_real._default = None  # noqa: SLF001
    return written


def catalogue_problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every entry of a catalogue that is untranslated, fuzzy or has placeholders that differ
    from its msgid's; and every language of settings.LANGUAGES (but the source) without one."""
    import re

    from babel.messages.pofile import read_po

    placeholder = re.compile(r"\{[a-z_]*\}")
    problems = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        po_path = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.exists():
            problems.append(f"{code}: no catalogue {po_path}")
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=code)
        for message in catalog:
            if not message.id:
                continue
            where = f"{code}: {message.context + ' | ' if message.context else ''}{message.id!r}"
            if message.fuzzy:
                problems.append(f"{where} is fuzzy")
            if not message.string:
                problems.append(f"{where} is untranslated")
            elif sorted(placeholder.findall(str(message.id))) != sorted(
                placeholder.findall(str(message.string))
            ):
                problems.append(f"{where}: placeholders differ in {message.string!r}")
    return problems
