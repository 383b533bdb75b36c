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


JS_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?\*/)
    |(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)
    |(?P<name>[A-Za-z_$][\w$]*)
    |(?P<punct>\S)""",
    re.S | re.X,
)
# Where a string becomes text on the page: a DOM text property set, a dialog.
JS_TEXT_SINKS = {"textContent", "innerText", "innerHTML", "alert", "confirm", "prompt"}


def hard_coded_js(source: str) -> list[tuple[int, str]]:
    """String literals of a script outside ``gettext``/``ngettext``/… calls that are text: any
    with Cyrillic, and any with words in a statement that puts text on the page (a DOM text
    property, alert/confirm). Template literals' ``${…}`` parts are code, not text, and a
    gettext call inside one is flagged: the extraction (Babel's) does not see it."""
    found = []
    calls: list[bool] = []  # for each open parenthesis: is it a gettext call's?
    statement_sinks = False
    previous = ""
    for match in JS_TOKEN.finditer(source):
        kind, value = match.lastgroup, match.group()
        line = source.count("\n", 0, match.start()) + 1
        if kind == "comment":
            continue
        if kind == "punct":
            if value == "(":
                calls.append(previous in i18n.JS_KEYWORDS)
            elif value == ")" and calls:
                calls.pop()
            elif value in ";{}":
                statement_sinks = False
        elif kind == "name" and value in JS_TEXT_SINKS:
            statement_sinks = True
        elif kind == "string" and value.startswith("`") and re.search(r"gettext\(", value):
            found.append((line, value))  # extraction does not look inside template literals
        elif kind == "string" and not (calls and calls[-1]):
            text = re.sub(r"\$\{[^}]*\}", "", value[1:-1])
            if CYRILLIC.search(text) or (statement_sinks and re.search(r"[^\W\d_]{2,}", text)):
                found.append((line, value))
        previous = value
    return found


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


def test_the_js_scan_finds_what_it_should():
    assert hard_coded_js('box.textContent = "HTTP error";') == [(1, '"HTTP error"')]
    assert hard_coded_js('item.textContent = name + " (" + size + " KB)";') == [(1, '" KB)"')]
    assert hard_coded_js('const a = "Привет";\n// "Комментарий"\n') == [(1, '"Привет"')]
    assert hard_coded_js('status.textContent = gettext("Готово.");') == []
    assert hard_coded_js('x.textContent = ngettext("%s файл", "%s файлов", n);') == []
    assert hard_coded_js("x.textContent = `${a.msg}: ${b.name}`;") == []
    assert hard_coded_js('x = `${gettext("ИИН")} ${iin}`;') == [(1, '`${gettext("ИИН")} ${iin}`')]
    assert hard_coded_js('el.querySelector("input[name=file]").value = v;') == []
    assert hard_coded_js('show(form.dataset.msgWorking, "network");') == []


def test_texts_are_extracted_with_their_plurals():
    """Counted texts: Python's ngettext_lazy, the templates' blocktranslate count, the
    JavaScript's ngettext; each with its plural msgid."""
    assert i18n.python_texts('a = ngettext_lazy("{n} день", "{n} дней", "n")\n') == [
        (None, "{n} день", "{n} дней", 1)
    ]
    assert i18n.python_texts('b = npgettext_lazy("c", "{n} день", "{n} дней", "n")\n') == [
        ("c", "{n} день", "{n} дней", 1)
    ]
    template = (
        "{% blocktranslate count n=x %}{{ n }} день{% plural %}{{ n }} дней{% endblocktranslate %}"
    )
    assert i18n.template_texts(template) == [(None, "%(n)s день", "%(n)s дней")]
    assert i18n.js_texts('f(ngettext("%s день", "%s дней", n));\ng(gettext("Да"));') == [
        (None, "%s день", "%s дней", 1),
        (None, "Да", None, 2),
    ]
    marked = i18n.marked()
    assert marked[(None, "{n} рабочий день")].plural == "{n} рабочих дней"
    assert (None, "Нужно 12 цифр.") in i18n.marked("djangojs")


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        (
            "ru",
            [
                "1 рабочий день",
                "2 рабочих дня",
                "5 рабочих дней",
                "11 рабочих дней",
                "21 рабочий день",
            ],
        ),
        ("kk", ["1 жұмыс күні", "2 жұмыс күні", "5 жұмыс күні", "11 жұмыс күні", "21 жұмыс күні"]),
        (
            "en",
            [
                "1 working day",
                "2 working days",
                "5 working days",
                "11 working days",
                "21 working days",
            ],
        ),
    ],
)
def test_plural_forms_of_each_language(language, forms):
    """Russian is the source language, but msgid/msgid_plural give it two forms only: its
    three come from locale/ru (docs/i18n.md)."""
    from qyzmet.catalog.texts import TEXTS

    norm = TEXTS["norm_working_days"]
    assert [i18n.translate(norm, language, n=n) for n in (1, 2, 5, 11, 21)] == forms


@pytest.mark.django_db
def test_the_javascript_catalogue_per_language(client, catalog):
    """Django's JavaScriptCatalog of the djangojs domain, same-origin (the CSP's script-src
    'self'), kept by the browser (the address changes with the compiled catalogue)."""
    from qyzmet.core.jsi18n import catalogue_url

    kk = client.get("/jsi18n/kk.js")
    assert kk.status_code == 200 and kk["Content-Type"].startswith("text/javascript")
    assert "max-age=31536000" in kk["Cache-Control"]
    assert _js("ЖСН бақылау разрядының тексеруінен өтпеді.") in kk.content.decode()
    ru = client.get("/jsi18n/ru.js").content.decode()
    assert _js("Осталось %(n)s секунды") in ru and "n % 10 == 1" in ru  # three forms, their rule
    assert client.get("/jsi18n/xx.js").status_code == 404
    with translation.override("kk"):
        assert catalogue_url().startswith("/jsi18n/kk.js?v=")
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<script src="/jsi18n/ru.js?v=' in home


def _js(text: str) -> str:
    """A text as the catalogue's JSON writes it."""
    import json

    return json.dumps(text)[1:-1]


def test_no_hard_coded_text_in_python():
    found = [
        f"{path.relative_to(SOURCE)}:{line}: {value[:60]!r}"
        for path in i18n._python_files()
        if not _allowed(path)
        for line, value in hard_coded_python(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_hard_coded_text_in_javascript():
    """The project's own JavaScript (not vendored libraries) says nothing outside gettext."""
    found = [
        f"{path.relative_to(SOURCE)}:{line}: {text!r}"
        for path in i18n.js_files()
        for line, text in hard_coded_js(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_hard_coded_text_in_templates():
    found = [
        f"{path.relative_to(SOURCE)}: {text!r}"
        for path in i18n._template_files()
        for text in hard_coded_template(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("domain", i18n.DOMAINS)
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_catalogue_is_complete(language, domain):
    """No marked text missing, untranslated or fuzzy; placeholders as in the msgid; as many
    plural forms as the language has. The source language's catalogue: its plural forms."""
    assert i18n.missing_texts(language, domain) == {}
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
