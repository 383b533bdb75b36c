"""Issue 13 item 16: every interface text goes through the gettext catalogues (docs/i18n.md).

The catalogues of every language but the source (Russian) are complete: no marked text is
missing, none untranslated or fuzzy; and no interface text is left outside them: no Cyrillic
string in the Python code outside a gettext call, no text in a template outside a tag that
translates it (``{% t %}``, ``{% translate %}``, …). The short allow-lists say why each
exception is not an interface text.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.translation import gettext_lazy

from qyzmet.core import i18n

SOURCE = i18n.SOURCE_DIR
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LETTER = re.compile(r"[^\W\d_]")

# Python modules whose Cyrillic strings are data, not interface texts.
PYTHON_ALLOWED = {
    "demo/": "the demo people, organisations and sample cases (names, addresses)",
    "demo/people.py": "the demo people and organisations: names and addresses",
    "catalog/alphabets.py": "the Russian and Kazakh alphabets (the order of named lists)",
    "calendar/seed.py": "the Government's resolutions on transferred days, cited as issued",
    "demo/pki.py": "the demo PKI's certificate subjects (names of demo people)",
    "testing.py": "test fixtures' data",
    "conftest.py": "test fixtures' data",
    "demo/registry_simulator.py": "the GBD simulator answers as the real registry does (its texts)",
    "results/typeset.py": "the alphabet the PDF fonts must cover",
    "settings/base.py": "the languages' own names (autonyms) in the language switch",
    "results/actions.py": "the PAdES signature's reason and location (kk/ru, in the PDF itself)",
    "api/views/": "the OpenAPI descriptions (English) cite the regulation's Russian terms",
    "formats/": "date format strings (the Kazakh year's «ж.»)",
}
# Text a template may hold outside translation tags.
TEMPLATE_ALLOWED = {
    "Қаз",
    "Рус",
    "Eng",  # the language switch: each language's own name
    "Q",
    "q",
    "Е",  # the emblems' letters (portal, desk)
    "Қазақша",
    "Русский",
    "English",  # the verify pages' language switch
    "page-login",
    "printable",  # CSS classes a page gives its parent's <body>
    "qyzmet API — документация / құжаттама / documentation",  # Swagger UI's page, all three
    "qyzmet",  # the product's name
    "eGov mobile",
    "eGov Business",
    "NCALayer",  # product names
    "PDF",
    "QR",
    "JSON",
    "API",
    "OpenAPI",
    "Swagger UI",
    "SHA-256",
}
TEXT_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def _allowed(path: Path) -> bool:
    relative = path.relative_to(SOURCE).as_posix()
    return any(relative.startswith(prefix) for prefix in PYTHON_ALLOWED)


def hard_coded_python(source: str) -> list[tuple[int, str]]:
    """Cyrillic string constants outside gettext calls and docstrings."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in i18n.GETTEXT_CALLS:
                skip.update(id(argument) for argument in node.args)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CYRILLIC.search(node.value)
    ]


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [value for name, value in attrs if name in TEXT_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def hard_coded_template(source: str) -> list[str]:
    """Words in a template outside tags and variables (and outside blocktranslate)."""
    parts: list[str] = []
    in_block = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            # {% comment %} is for developers, as {% blocktranslate %} is already translated
            in_block = name in ("blocktranslate", "blocktrans", "comment") or (
                in_block and name not in ("endblocktranslate", "endblocktrans", "endcomment")
            )
        elif token.token_type == TokenType.TEXT and not in_block:
            parts.append(token.contents)
        # a tag or a variable stands for translated text or a value: it leaves nothing here,
        # so `<p{% if x %} class="a"{% endif %}>` still reads as a tag
    html = "".join(parts)
    if re.match(r"\s*[\w-]+=\"", html):  # a fragment of attributes, included inside a tag
        html = f"<div {html}>"
    collector = _TextCollector()
    collector.feed(html)
    found = []
    for text in collector.texts:
        rest = " ".join(text.split())
        for allowed in sorted(TEMPLATE_ALLOWED, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(allowed)}(?!\w)", "", rest)
        if LETTER.search(rest):
            found.append(" ".join(text.split()))
    return found


def test_the_scans_find_what_they_should():
    """The scanners themselves: they flag hard-coded text and pass translated text."""
    assert hard_coded_python('x = "Привет"\ny = gettext_lazy("Привет")\n') == [(1, "Привет")]
    assert hard_coded_python('"""Модуль."""\nz = pgettext_lazy("c", "Да")\n') == []
    assert hard_coded_template("<p>Hello {{ name }}</p>") == ["Hello"]
    assert hard_coded_template('<img alt="Логотип" src="{% static "x" %}">') == ["Логотип"]
    assert hard_coded_template('<p>{% t "x" %}</p><script>let a = "word";</script>') == []
    assert hard_coded_template("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert hard_coded_template('<p{% if x %} class="a"{% endif %}>{{ p }}</p>') == []
    assert hard_coded_template('data-a="{% t "a" %}" title="Подсказка"') == ["Подсказка"]
    assert hard_coded_template("<title>{% t 'x' %} — qyzmet</title>") == []
    assert hard_coded_template("{% comment %}For developers.{% endcomment %}<p>Да</p>") == ["Да"]


def test_no_hard_coded_text_in_python():
    found = [
        f"{path.relative_to(SOURCE)}:{line}: {value[:60]!r}"
        for path in i18n._python_files()
        if not _allowed(path)
        for line, value in hard_coded_python(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_hard_coded_text_in_templates():
    found = [
        f"{path.relative_to(SOURCE)}: {text!r}"
        for path in i18n._template_files()
        for text in hard_coded_template(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "language", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
)
def test_catalogue_is_complete(language):
    """No marked text missing, untranslated or fuzzy; placeholders as in the msgid."""
    assert i18n.missing_texts(language) == {}
    assert [p for p in i18n.catalogue_problems() if p.startswith(f"{language}:")] == []


def test_a_parameter_that_is_a_text_follows_the_language():
    template = gettext_lazy(
        "Пользователь с этим {identifier} уже зарегистрирован. Войдите на портал."
    )
    identifier = gettext_lazy("ИИН")
    assert "ЖСН" in i18n.translate(template, "kk", identifier=identifier)
    assert "IIN" in i18n.translate(template, "en", identifier=identifier)
    assert "ИИН" in i18n.translate(template, "ru", identifier=identifier)
    with translation.override("kk"):
        assert i18n.translate(identifier) == "ЖСН"


def test_the_old_forms_still_render_until_converted():
    """Helpers on other branches add texts in the old forms; the converter turns them into
    gettext, and until then they render."""
    assert i18n.translate(("да", "иә", "yes"), "kk") == "иә"
    assert i18n.translate({"ru": "да", "kk": "иә", "en": "yes"}, "en") == "yes"


@pytest.mark.parametrize(
    ("language", "number", "date"),
    [
        ("kk", "16,5", "03.12.2026 09:05"),
        ("ru", "16,5", "03.12.2026 09:05"),
        ("en", "16.5", "03.12.2026 09:05"),
    ],
)
def test_numbers_and_dates_as_each_language_writes_them(language, number, date):
    """Issue 13 item 6: Django has no Kazakh formats (a kk page wrote "16.5 КБ"); English
    followed the US (m/d/Y). qyzmet/formats gives kk its own and en Kazakhstan's dd.mm.yyyy."""
    import datetime as dt

    from django.utils import formats

    with translation.override(language):
        assert formats.number_format(16.5, 1) == number
        moment = dt.datetime(2026, 12, 3, 9, 5)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == date
