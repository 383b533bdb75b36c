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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy

#: An interface text: a marked msgid (lazy) or a plain string.
type Text = str | Promise

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


def translate(value: Any, language: str | None = None, /, **params: Any) -> str:
    """``value`` in ``language`` (default: the active one), its ``{placeholders}`` filled; a
    parameter that is itself a marked text (``gettext_lazy("ИИН")``) in the same language."""
    wanted = current_language(language)
    if language is not None and wanted != current_language():
        with translation.override(wanted):
            return translate(value, None, **params)
    if isinstance(value, Promise) and params:
        # formatted by the lazy text itself: a plural one (``ngettext_lazy(…, "n")``) picks its
        # form by the count among the parameters, in the language's plural rule
        return value.format(**_plain(params))
    if isinstance(value, Promise) and "plural" in (getattr(value, "_kw", None) or {}):
        # a plural text without its count (a list of messages): the general ("many") form
        return translation.ngettext(value._kw["singular"], value._kw["plural"], 0)  # noqa: SLF001
    if isinstance(value, Promise | str):
        result = str(value)
    elif isinstance(value, tuple):  # the old (ru, kk, en) form
        result = value[_OLD_INDEX.get(wanted[:2], 0)]
    elif isinstance(value, dict):  # the old {"ru", "kk", "en"} form
        result = value.get(wanted[:2]) or value["ru"]
    else:
        result = value.text(wanted)
    if not params:
        return result
    return result.format(**_plain(params))


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {key: str(v) if isinstance(v, Promise) else v for key, v in params.items()}


def _join(values: tuple) -> str:
    return ", ".join(translate(value) for value in values)


_lazy_join = lazy(_join, str)


def join_texts(values) -> Promise:
    """The texts (marked texts, catalogue ``Localized`` names…) joined by commas, in the
    language active when it is rendered: a refusal's parameter in the reader's language."""
    return _lazy_join(tuple(values))


# --- Compiling the catalogues (Babel, no msgfmt needed).

#: The gettext domains: ``django`` (Python and templates) and ``djangojs`` (the project's own
#: JavaScript, served by ``JavaScriptCatalog``; docs/i18n.md).
DOMAINS = (DOMAIN, "djangojs")


def catalogue_paths(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(
        path for domain in DOMAINS for path in locale_dir.glob(f"*/LC_MESSAGES/{domain}.po")
    )


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


def _is_source(language: str) -> bool:
    return language == settings.LANGUAGE_CODE


def catalogue_problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every entry of a catalogue that is untranslated, fuzzy, has placeholders that differ
    from its msgid's or not as many plural forms as its language has; every language of
    settings.LANGUAGES (but the source) without a catalogue of each domain; the source
    language without one while the code has plural texts (its catalogue holds only them)."""
    import re

    placeholder = re.compile(r"\{[a-z_]*\}|%\(\w+\)s")
    problems = []
    for code, _name in settings.LANGUAGES:
        for domain in DOMAINS:
            po_path = locale_dir / code / "LC_MESSAGES" / f"{domain}.po"
            if not po_path.exists():
                if not _is_source(code) or any(m.plural for m in marked(domain).values()):
                    problems.append(f"{code}: no catalogue {po_path}")
                continue
            if "Plural-Forms:" not in po_path.read_text(encoding="utf-8"):
                problems.append(f"{code}: {po_path.name} has no Plural-Forms header")
            catalog = load_catalogue(code, domain, locale_dir)
            for message in catalog:
                if not message.id:
                    continue
                where = (
                    f"{code}: {domain}: "
                    f"{message.context + ' | ' if message.context else ''}{message.id!r}"
                )
                if message.fuzzy:
                    problems.append(f"{where} is fuzzy")
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if _is_source(code) and not message.pluralizable:
                    problems.append(f"{where}: the source language's catalogue holds plurals only")
                if not all(strings):
                    problems.append(f"{where} is untranslated")
                    continue
                if message.pluralizable and len(strings) != catalog.num_plurals:
                    problems.append(
                        f"{where} has {len(strings)} forms, {code} has {catalog.num_plurals}"
                    )
                for string in strings:
                    if sorted(placeholder.findall(ids[0])) != sorted(placeholder.findall(string)):
                        problems.append(f"{where}: placeholders differ in {string!r}")
    return problems


# --- What the code marks for translation (the CI check and ``qyzmet i18n update``).

SOURCE_DIR = Path(__file__).resolve().parent.parent
#: name -> (the context's, the msgid's and the plural's argument index)
GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
#: Babel's keywords for the JavaScript gettext functions of Django's JavaScriptCatalog.
JS_KEYWORDS = {
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


@dataclass(frozen=True)
class Mark:
    """Where a text is first marked, and its plural msgid if it is counted (``ngettext``)."""

    where: str
    plural: str | None = None


def _python_files() -> list[Path]:
    return sorted(
        path
        for path in SOURCE_DIR.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _template_files() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*/templates/**/*.html"))


def js_files() -> list[Path]:
    """The project's own JavaScript (``static/`` of each app; vendored libraries aside)."""
    return sorted(
        path
        for path in SOURCE_DIR.glob("*/static/**/*.js")
        if "vendor" not in path.parts and not path.name.endswith(".min.js")
    )


def marked_texts(domain: str = DOMAIN) -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) the code and the templates (``djangojs``: the JavaScript) mark,
    with where it is first marked."""
    return {key: mark.where for key, mark in marked(domain).items()}


def marked(domain: str = DOMAIN) -> dict[tuple[str | None, str], Mark]:
    found: dict[tuple[str | None, str], Mark] = {}
    if domain == "djangojs":
        for path in js_files():
            for context, msgid, plural, line in js_texts(path.read_text(encoding="utf-8")):
                found.setdefault(
                    (context, msgid), Mark(f"{path.relative_to(SOURCE_DIR)}:{line}", plural)
                )
        return found
    for path in _python_files():
        for context, msgid, plural, line in python_texts(path.read_text(encoding="utf-8")):
            found.setdefault(
                (context, msgid), Mark(f"{path.relative_to(SOURCE_DIR)}:{line}", plural)
            )
    for path in _template_files():
        for context, msgid, plural in template_texts(path.read_text(encoding="utf-8")):
            found.setdefault((context, msgid), Mark(str(path.relative_to(SOURCE_DIR)), plural))
    return found


def python_texts(source: str) -> list[tuple[str | None, str, str | None, int]]:
    """The (context, msgid, plural msgid, line) of each gettext call with literal texts."""
    import ast

    texts = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        context_at, msgid_at, plural_at = GETTEXT_CALLS[name]
        arguments = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args
        ]
        if len(arguments) <= msgid_at or arguments[msgid_at] is None:
            continue
        context = arguments[context_at] if context_at is not None else None
        plural = (
            arguments[plural_at] if plural_at is not None and plural_at < len(arguments) else None
        )
        texts.append((context, arguments[msgid_at], plural, node.lineno))
    return texts


def js_texts(source: str) -> list[tuple[str | None, str, str | None, int]]:
    """The (context, msgid, plural msgid, line) of each ``gettext``/``ngettext``/… call."""
    import io

    from babel.messages.extract import extract

    texts = []
    for line, message, _comments, context in extract(
        "javascript", io.BytesIO(source.encode()), keywords=JS_KEYWORDS
    ):
        msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        if msgid:
            texts.append((context, msgid, plural, line))
    return texts


def template_texts(source: str) -> list[tuple[str | None, str, str | None]]:
    """The (context, msgid, plural msgid) of each ``{% translate "…" %}`` and
    ``{% blocktranslate %}`` (``count …`` with ``{% plural %}``)."""
    import re

    from django.template.base import Lexer, TokenType

    texts: list[tuple[str | None, str, str | None]] = []
    block: list[str] | None = None
    singular: list[str] | None = None
    block_context = None
    for token in Lexer(source).tokenize():
        contents = token.contents
        if token.token_type == TokenType.BLOCK:
            bits = contents.split()
            if bits[0] in ("translate", "trans"):
                match = re.match(
                    r'(?:translate|trans)\s+"([^"]*)"(?:.*\bcontext\s+"([^"]*)")?', contents
                )
                if match:
                    texts.append((match.group(2), match.group(1), None))
            elif bits[0] in ("blocktranslate", "blocktrans"):
                block, singular = [], None
                match = re.search(r'\bcontext\s+"([^"]*)"', contents)
                block_context = match.group(1) if match else None
            elif bits[0] == "plural" and block is not None:
                singular, block = block, []
            elif bits[0] in ("endblocktranslate", "endblocktrans") and block is not None:
                if singular is None:
                    texts.append((block_context, "".join(block), None))
                else:
                    texts.append((block_context, "".join(singular), "".join(block)))
                block = None
        elif block is not None:
            if token.token_type == TokenType.VAR:
                block.append(f"%({contents})s")
            elif token.token_type == TokenType.TEXT:
                block.append(contents.replace("%", "%%"))
    return texts


def load_catalogue(language: str, domain: str = DOMAIN, locale_dir: Path = LOCALE_DIR):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return Catalog(locale=language, project="qyzmet", version="1", fuzzy=False)
    with path.open("rb") as source:
        return read_po(source, locale=language)


def save_catalogue(
    catalog, language: str, domain: str = DOMAIN, locale_dir: Path = LOCALE_DIR
) -> None:
    from babel.messages.pofile import write_po

    path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    with path.open("wb") as target:
        write_po(target, catalog, width=0, sort_output=False)


def _wanted(language: str, domain: str) -> dict[tuple[str | None, str], Mark]:
    """The texts ``language``'s catalogue must have: all, or for the source language (whose
    msgids are its own wording) the plural ones, for their other forms."""
    found = marked(domain)
    if _is_source(language):
        return {key: mark for key, mark in found.items() if mark.plural}
    return found


def missing_texts(language: str, domain: str = DOMAIN) -> dict[tuple[str | None, str], str]:
    """The marked texts that ``language``'s catalogue lacks (or leaves untranslated)."""
    catalog = load_catalogue(language, domain)
    missing = {}
    for (context, msgid), mark in _wanted(language, domain).items():
        message = catalog.get(msgid, context=context)
        strings = message.string if message and isinstance(message.string, tuple) else None
        if (
            message is None
            or not message.string
            or (mark.plural and not (message.pluralizable and strings and all(strings)))
        ):
            missing[(context, msgid)] = mark.where
    return missing


def add_missing(language: str, domain: str = DOMAIN) -> int:
    """Add each marked text the catalogue lacks, untranslated, for a translator to fill (in the
    source language's, a plural text with its first and last forms: the msgids)."""
    catalog = load_catalogue(language, domain)
    added = 0
    for (context, msgid), mark in _wanted(language, domain).items():
        message = catalog.get(msgid, context=context)
        if message is not None and (message.pluralizable or not mark.plural):
            continue
        if message is not None:  # was marked singular, is plural now
            catalog.delete(msgid, context=context)
        if mark.plural:
            strings = [""] * catalog.num_plurals
            if _is_source(language):
                strings[0], strings[-1] = msgid, mark.plural
            catalog.add(
                (msgid, mark.plural), tuple(strings), context=context, auto_comments=[mark.where]
            )
        else:
            catalog.add(msgid, "", context=context, auto_comments=[mark.where])
        added += 1
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if added or not (_is_source(language) or path.exists()):
        save_catalogue(catalog, language, domain)
    return added
