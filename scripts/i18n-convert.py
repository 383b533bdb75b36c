#!/usr/bin/env python3
"""Convert interface texts written in the old ru/kk/en forms to gettext, merging the Kazakh and
English wordings into src/qyzmet/locale/{kk,en}/LC_MESSAGES/django.po (docs/i18n.md).

Run it from the repository root with the project's Python, after merging branches that still
add texts the old way:

    .venv/bin/python scripts/i18n-convert.py            # convert and merge
    .venv/bin/python scripts/i18n-convert.py --dry-run  # list what it would convert

It is idempotent: what is already converted is left alone, and a second run changes nothing.
Old forms it converts (outside tests/ and migrations/):

- a dict value ``"key": ("ru", "kk", "en")``, ``"key": {"ru": …, "kk": …, "en": …}`` or
  ``"key": Localized("ru", "kk", "en")`` (texts.py tables)    -> ``gettext_lazy("ru")``
- ``register("code", ru="…", kk="…", en="…", status=…)`` (refusals)
                                                             -> ``register("code", gettext_lazy("…"), status=…)``
- an audit event ``NAME = ("app.action", "ru", "kk", "en")`` -> ``NAME = ("app.action", gettext_lazy("ru"))``

The msgid is the Russian text. When the catalogues already hold that Russian with other
Kazakh or English wordings, the entry gets a context (``pgettext_lazy``): the table's app and
key (``portal.term``), the refusal code or the event code. Converted files are re-sorted and
formatted with ruff.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "qyzmet"
LOCALE = SRC / "locale"
LANGUAGES = ("kk", "en")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
IMPORT = "from django.utils.translation import {name}\n"


@dataclass
class Text:
    ru: str
    kk: str
    en: str
    context: str  # the context used if the Russian is ambiguous


@dataclass
class Edit:
    start: tuple[int, int]  # (line, column) of the node replaced
    end: tuple[int, int]
    text: Text | None  # None: keep as is, ``template`` is literal code
    template: str  # code with ``{call}`` where the gettext call goes


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _triple(node: ast.AST) -> tuple[str, str, str] | None:
    """(ru, kk, en) of an old-form value, or None."""
    if isinstance(node, ast.Tuple) and len(node.elts) == 3:
        values = [_string(element) for element in node.elts]
    elif isinstance(node, ast.Dict) and len(node.keys) == 3:
        keyed = {
            _string(key): _string(value) for key, value in zip(node.keys, node.values, strict=True)
        }
        if set(keyed) != {"ru", "kk", "en"}:
            return None
        values = [keyed["ru"], keyed["kk"], keyed["en"]]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Localized"
        and len(node.args) == 3
        and not node.keywords
    ):
        values = [_string(argument) for argument in node.args]
    else:
        return None
    if any(value is None for value in values) or not CYRILLIC.search(values[0]):
        return None
    return values[0], values[1], values[2]


def _app(path: Path) -> str:
    return path.relative_to(SRC).parts[0]


def find_edits(path: Path, source: str) -> list[Edit]:
    tree = ast.parse(source)
    edits: list[Edit] = []
    for statement in tree.body:  # NAME = {"ru": …, "kk": …, "en": …}
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            value = statement.value
            if isinstance(target, ast.Name) and isinstance(value, ast.Dict):
                triple = _triple(value)
                if triple:
                    name = target.id.strip("_").lower()
                    edits.append(
                        Edit(
                            (value.lineno, value.col_offset),
                            (value.end_lineno, value.end_col_offset),
                            Text(*triple, context=f"{_app(path)}.{name}"),
                            "{call}",
                        )
                    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                # "key": (…), or Purpose.REQUEST: (…)
                key_name = key.attr.lower() if isinstance(key, ast.Attribute) else _string(key)
                triple = _triple(value) if key_name is not None else None
                if triple:
                    edits.append(
                        Edit(
                            (value.lineno, value.col_offset),
                            (value.end_lineno, value.end_col_offset),
                            Text(*triple, context=f"{_app(path)}.{key_name}"),
                            "{call}",
                        )
                    )
        elif isinstance(node, ast.Call) and _is_register(node):
            keywords = {keyword.arg: keyword for keyword in node.keywords}
            ru, kk, en = (_string(keywords[k].value) for k in ("ru", "kk", "en"))
            code = _string(node.args[0]) if node.args else None
            if None in (ru, kk, en, code):
                continue
            segment = ast.get_source_segment
            others = [segment(source, argument) for argument in node.args]
            others.append("{call}")
            others += [
                segment(source, keyword)
                for keyword in node.keywords
                if keyword.arg not in ("ru", "kk", "en")
            ]
            function = segment(source, node.func)
            edits.append(
                Edit(
                    (node.lineno, node.col_offset),
                    (node.end_lineno, node.end_col_offset),
                    Text(ru, kk, en, context=code),
                    f"{function}({', '.join(others)})",
                )
            )
        elif isinstance(node, ast.ClassDef) and node.name == "Event":
            for statement in node.body:
                if not isinstance(statement, ast.Assign):
                    continue
                value = statement.value
                if not isinstance(value, ast.Tuple) or len(value.elts) != 4:
                    continue
                code, ru, kk, en = (_string(element) for element in value.elts)
                if None in (code, ru, kk, en):
                    continue
                edits.append(
                    Edit(
                        (value.lineno, value.col_offset),
                        (value.end_lineno, value.end_col_offset),
                        Text(ru, kk, en, context=code),
                        f"({json.dumps(code)}, {{call}})",
                    )
                )
    return edits


def _is_register(node: ast.Call) -> bool:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    keywords = {keyword.arg for keyword in node.keywords}
    return name == "register" and {"ru", "kk", "en"} <= keywords


class Catalogues:
    def __init__(self) -> None:
        self.catalogs: dict[str, Catalog] = {}
        for language in LANGUAGES:
            path = LOCALE / language / "LC_MESSAGES" / "django.po"
            if path.exists():
                with path.open("rb") as source:
                    self.catalogs[language] = read_po(source, locale=language)
            else:
                self.catalogs[language] = Catalog(
                    locale=language,
                    header_comment=f"# qyzmet's interface texts: {language}. The msgid is the "
                    "Russian text (docs/i18n.md).",
                    project="qyzmet",
                    version="1",
                    copyright_holder="qyzmet",
                    msgid_bugs_address="",
                    last_translator="qyzmet",
                    language_team=language,
                    fuzzy=False,
                    charset="utf-8",
                )

    def _get(self, language: str, msgid: str, context: str | None) -> str | None:
        message = self.catalogs[language].get(msgid, context=context)
        return str(message.string) if message is not None and message.string else None

    def place(self, text: Text) -> str | None:
        """The context the text takes (None: none needed), adding it to the catalogues."""
        wanted = {"kk": text.kk, "en": text.en}
        plain = {language: self._get(language, text.ru, None) for language in LANGUAGES}
        if all(value is None for value in plain.values()) or plain == wanted:
            context = None
        else:
            context = text.context
        for language in LANGUAGES:
            self.catalogs[language].add(text.ru, wanted[language], context=context)
        return context

    def save(self) -> None:
        for language, catalog in self.catalogs.items():
            path = LOCALE / language / "LC_MESSAGES" / "django.po"
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog.fuzzy = False
            with path.open("wb") as target:
                write_po(target, catalog, width=0, omit_header=False, sort_output=False)


def _call(msgid: str, context: str | None) -> tuple[str, str]:
    quoted = json.dumps(msgid, ensure_ascii=False)
    if context:
        return (
            f"pgettext_lazy({json.dumps(context, ensure_ascii=False)}, {quoted})",
            "pgettext_lazy",
        )
    return f"gettext_lazy({quoted})", "gettext_lazy"


def _offsets(source: str) -> list[int]:
    """The byte offset of each line's start (ast's columns are UTF-8 byte offsets)."""
    starts, total = [0], 0
    for line in source.encode().split(b"\n"):
        total += len(line) + 1
        starts.append(total)
    return starts


def convert(path: Path, catalogues: Catalogues, dry_run: bool) -> int:
    source = path.read_text(encoding="utf-8")
    edits = find_edits(path, source)
    if not edits:
        return 0
    encoded = source.encode()
    starts = _offsets(source)
    names: set[str] = set()
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        context = catalogues.place(edit.text)
        call, name = _call(edit.text.ru, context)
        names.add(name)
        begin = starts[edit.start[0] - 1] + edit.start[1]
        finish = starts[edit.end[0] - 1] + edit.end[1]
        replacement = edit.template.replace("{call}", call).encode()
        encoded = encoded[:begin] + replacement + encoded[finish:]
        if dry_run:
            print(f"{path.relative_to(ROOT)}:{edit.start[0]}: {call[:90]}")
    if dry_run:
        return len(edits)
    result = encoded.decode()
    for name in sorted(names):
        if not re.search(rf"^from django\.utils\.translation import .*\b{name}\b", result, re.M):
            result = _add_import(result, IMPORT.format(name=name))
    path.write_text(result, encoding="utf-8")
    return len(edits)


def _add_import(source: str, line: str) -> str:
    tree = ast.parse(source)
    last = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            last = node.end_lineno
        elif last:
            break
    if not last:  # after the module docstring
        first = tree.body[0] if tree.body else None
        if isinstance(first, ast.Expr) and _string(first.value) is not None:
            last = first.end_lineno
    lines = source.split("\n")
    return "\n".join(lines[:last]) + "\n" + line.rstrip("\n") + "\n" + "\n".join(lines[last:])


def python_files() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
    options = parser.parse_args()
    catalogues = Catalogues()
    changed, total = [], 0
    for path in python_files():
        count = convert(path, catalogues, options.dry_run)
        if count:
            changed.append(path)
            total += count
    if options.dry_run:
        print(f"{total} texts in {len(changed)} files would be converted")
        return 0
    if changed:
        catalogues.save()
        ruff = ROOT / ".venv" / "bin" / "ruff"
        files = [str(path) for path in changed]
        subprocess.run(
            [str(ruff), "check", "-q", "--select", "I,F401", "--fix", *files], check=False
        )
        subprocess.run([str(ruff), "format", "-q", *files], check=True)
    print(
        f"{total} texts in {len(changed)} files converted; catalogues: {LOCALE.relative_to(ROOT)}"
    )
    for path in changed:
        print(f"  {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
