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
    return result.format(
        **{key: str(v) if isinstance(v, Promise) else v for key, v in params.items()}
    )


def _join(values: tuple) -> str:
    return ", ".join(translate(value) for value in values)


_lazy_join = lazy(_join, str)


def join_texts(values) -> Promise:
    """The texts (marked texts, catalogue ``Localized`` names…) joined by commas, in the
    language active when it is rendered: a refusal's parameter in the reader's language."""
    return _lazy_join(tuple(values))


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
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                problems.append(f"{where} is untranslated")
                continue
            for string in strings:
                if sorted(placeholder.findall(ids[0])) != sorted(placeholder.findall(string)):
                    problems.append(f"{where}: placeholders differ in {string!r}")
    return problems


# --- What the code marks for translation (the CI check and ``qyzmet i18n update``).

SOURCE_DIR = Path(__file__).resolve().parent.parent
GETTEXT_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
}


def _python_files() -> list[Path]:
    return sorted(
        path
        for path in SOURCE_DIR.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _template_files() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*/templates/**/*.html"))


def marked_texts() -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) the code and the templates mark, with where it is first marked."""
    import ast

    found: dict[tuple[str | None, str], str] = {}
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_CALLS:
                continue
            context_at, msgid_at = GETTEXT_CALLS[name]
            arguments = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            ]
            if len(arguments) <= msgid_at or arguments[msgid_at] is None:
                continue
            context = arguments[context_at] if context_at is not None else None
            where = f"{path.relative_to(SOURCE_DIR)}:{node.lineno}"
            found.setdefault((context, arguments[msgid_at]), where)
    for path in _template_files():
        for context, msgid in template_texts(path.read_text(encoding="utf-8")):
            found.setdefault((context, msgid), str(path.relative_to(SOURCE_DIR)))
    return found


def template_texts(source: str) -> list[tuple[str | None, str]]:
    """The (context, msgid) of each ``{% translate "…" %}`` and ``{% blocktranslate %}``."""
    import re

    from django.template.base import Lexer, TokenType

    texts: list[tuple[str | None, str]] = []
    block: list[str] | None = None
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
                    texts.append((match.group(2), match.group(1)))
            elif bits[0] in ("blocktranslate", "blocktrans"):
                block = []
                match = re.search(r'\bcontext\s+"([^"]*)"', contents)
                block_context = match.group(1) if match else None
            elif bits[0] in ("endblocktranslate", "endblocktrans") and block is not None:
                texts.append((block_context, "".join(block)))
                block = None
        elif block is not None:
            if token.token_type == TokenType.VAR:
                block.append(f"%({contents})s")
            elif token.token_type == TokenType.TEXT:
                block.append(contents.replace("%", "%%"))
    return texts


def load_catalogue(language: str, locale_dir: Path = LOCALE_DIR):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return Catalog(locale=language, project="qyzmet", version="1", fuzzy=False)
    with path.open("rb") as source:
        return read_po(source, locale=language)


def save_catalogue(catalog, language: str, locale_dir: Path = LOCALE_DIR) -> None:
    from babel.messages.pofile import write_po

    path = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    with path.open("wb") as target:
        write_po(target, catalog, width=0, sort_output=False)


def missing_texts(language: str) -> dict[tuple[str | None, str], str]:
    """The marked texts that ``language``'s catalogue lacks (or leaves untranslated)."""
    catalog = load_catalogue(language)
    missing = {}
    for (context, msgid), where in marked_texts().items():
        message = catalog.get(msgid, context=context)
        if message is None or not message.string:
            missing[(context, msgid)] = where
    return missing


def add_missing(language: str) -> int:
    """Add each marked text the catalogue lacks, untranslated, for a translator to fill."""
    catalog = load_catalogue(language)
    added = 0
    for (context, msgid), where in marked_texts().items():
        if catalog.get(msgid, context=context) is None:
            catalog.add(msgid, "", context=context, auto_comments=[where])
            added += 1
    if added:
        save_catalogue(catalog, language)
    return added
