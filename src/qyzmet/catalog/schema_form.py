"""The application form generated from a service version's JSON Schema (p.10 процесс 3:
"вывод на экран формы запроса ... с учетом ее структуры и форматных требований").

``build_fields`` turns the schema and the current data into a tree of fields the templates
render (labels in the page's language, HTML constraints taken from the schema, the error of
each field); ``parse_post`` reads a submitted form back into JSON data of the schema's
shape. Field names are dotted paths (``items.0.name``), so every input maps to exactly one
place in the data. Validation itself stays with the catalogue's validator: the browser's
constraints only help the applicant, the server decides.

The portal (applicants) and the office (the clerk's intake, the executor's preparation)
render the same form with the template ``core/_field.html``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, ngettext_lazy
from jsonschema import FormatChecker

from qyzmet.core.i18n import translate

from .alphabets import ALPHABETS
from .property_order import ordered_properties
from .validation import FormValidator

LONG_TEXT = 500  # strings allowed to be longer than this get a textarea
INDEX = "__i__"  # placeholder index of the repeatable group's template (cloned by the page)


# The form's own controls in ru/kk/en (labels of fields come from the schema).
CONTROL_TEXTS: dict[str, tuple[str, str, str]] = {
    "item": gettext_lazy("Предмет"),
    "add_item": gettext_lazy("Добавить предмет"),
    "remove_item": gettext_lazy("Удалить предмет"),
    "choose": gettext_lazy("— выберите —"),
    "upload_photo": gettext_lazy("или загрузите файл"),
    "errors_title": ngettext_lazy("Исправьте {n} поле формы:", "Исправьте {n} полей формы:", "n"),
}


def control_text(key: str, language: str | None = None, **params) -> str:
    return translate(CONTROL_TEXTS[key], language, **params)


# --- named lists of the CLDR (x-choices): countries and currencies -------------------------

# CLDR territories that are not ISO 3166-1 countries (regions, exceptional reservations).
_NOT_COUNTRIES = frozenset(
    ["AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"]
)


def _collation_key(language: str):
    """Names in the order of the language's alphabet (Kazakh letters where they belong,
    not after «я»); other characters by code point after the alphabet's letters."""
    order = {ch: i for i, ch in enumerate(ALPHABETS.get(language, ""))}

    def key(text: str):
        return [order.get(ch, 100 + ord(ch)) for ch in text.upper()]

    return key


@functools.lru_cache(maxsize=16)
def _cldr_choices(kind: str, language: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale
    from babel.numbers import get_territory_currencies

    locale = Locale.parse(language)
    countries = {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    if kind == "countries":
        names = countries
    else:
        in_use: set[str] = set()
        for code in countries:
            in_use.update(get_territory_currencies(code, dt.date.today()))
        names = {code: locale.currencies.get(code, code) for code in in_use}
        names = {code: f"{name} ({code})" for code, name in names.items()}
    by_name = sorted(names.items(), key=lambda pair: _collation_key(language)(pair[1]))
    return tuple(by_name)


def cldr_choices(kind: str, language: str) -> list[tuple[str, str]]:
    """``x-choices``: ``"countries"`` (ISO 3166-1 alpha-2) or ``"currencies"`` (ISO 4217 in
    use today), as (code, name in ``language``) sorted by name."""
    if kind not in CHOICE_KINDS:
        raise ValueError(f"unknown x-choices {kind!r}")
    return list(_cldr_choices(kind, language))


CHOICE_KINDS = ("countries", "currencies")


def title_of(schema: dict, language: str) -> str:
    if language in ("kk", "en") and schema.get(f"x-title-{language}"):
        return schema[f"x-title-{language}"]
    return schema.get("title", "")


def _enum_label(labels: dict, value: str, language: str) -> str:
    texts = labels.get(value) or {}
    return texts.get(language) or texts.get("ru") or value


@dataclass
class Field:
    # group | list | text | textarea | date | integer | number | select | checkboxes | attachment
    kind: str
    name: str
    label: str
    required: bool = False
    value: Any = None
    hint: str = ""
    options: list[tuple[str, str, bool]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Field] = field(default_factory=list)
    rows: list[list[Field]] = field(default_factory=list)  # list: one row per item
    template: list[Field] = field(default_factory=list)  # list: an empty row to clone
    error: str = ""
    datalist: str = ""  # id of the <datalist> of attachment names, for file-name fields
    document: str = ""  # attachment: the code of the document whose files may be chosen
    identifier: str = ""  # x-format: iin | bin | iin-or-bin (checked as typed)

    @property
    def dom_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)

    @property
    def chosen_label(self) -> str:
        return ", ".join(label for _, label, on in self.options if on)


def _kind_of(schema: dict) -> str:
    if "enum" in schema or schema.get("x-choices") in CHOICE_KINDS:
        return "select"
    kind = schema.get("type")
    if kind == "object":
        return "group"
    if kind == "array":
        return "checkboxes" if "enum" in schema.get("items", {}) else "list"
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if schema.get("format") == "date":
        return "date"
    if schema.get("maxLength", 0) > LONG_TEXT:
        return "textarea"
    return "text"


def _excluded(schema: dict) -> set[str]:
    """Values ``not: {const: …}`` / ``not: {enum: […]}`` rules out (no need to offer them)."""
    rule = schema.get("not") or {}
    if "const" in rule:
        return {rule["const"]}
    return set(rule.get("enum", ()))


def _as_text(value) -> str:
    """Values as the HTML input expects them: never localized ("1500000,0" is not a number
    to <input type=number>), whole floats without ".0"."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _build(schema: dict, value: Any, name: str, label: str, required: bool, ctx: dict) -> Field:
    kind = _kind_of(schema)
    language = ctx["language"]
    node = Field(
        kind=kind,
        name=name,
        label=label,
        required=required,
        hint=schema.get("description", "") if language == "ru" else "",
        error=ctx["errors"].get(name, ""),
    )
    if kind == "group":
        value = value if isinstance(value, dict) else {}
        needed = set(schema.get("required", ()))
        for key, child in ordered_properties(schema):
            child_name = f"{name}.{key}" if name else key
            built = _build(
                child, value.get(key), child_name, title_of(child, language), key in needed, ctx
            )
            node.children.append(built)
        return node
    if kind == "list":
        value = value if isinstance(value, list) else []
        item_schema = schema.get("items", {})
        rows = value or [{}]
        for index, item in enumerate(rows):
            node.rows.append(_build(item_schema, item, f"{name}.{index}", "", True, ctx).children)
        node.template = _build(
            item_schema, {}, f"{name}.{INDEX}", "", True, {**ctx, "errors": {}}
        ).children
        node.attrs = {"min": schema.get("minItems", 0), "max": schema.get("maxItems", 1000)}
        return node
    if kind == "select" and "enum" not in schema:
        excluded = _excluded(schema)
        node.options = [
            (code, name, code == value)
            for code, name in cldr_choices(schema["x-choices"], language)
            if code not in excluded
        ]
        if value and not any(on for _, _, on in node.options):
            node.options.insert(0, (str(value), str(value), True))  # kept, the server judges
        return node
    if kind == "select":
        labels = schema.get("x-enum-labels", {})
        node.options = [
            (option, _enum_label(labels, option, language), option == value)
            for option in schema["enum"]
        ]
        return node
    if schema.get("x-attachment") and ctx.get("attachments") is not None:
        # Chosen among the files uploaded for the document (or uploaded in the row).
        node.kind = "attachment"
        node.document = schema["x-attachment"]
        names = ctx["attachments"].get(node.document, [])
        node.options = [(n, n, n == value) for n in names]
        if value and value not in names:
            node.options.insert(0, (str(value), str(value), True))
        return node
    if kind == "checkboxes":
        labels = schema.get("x-enum-labels", {})
        chosen = set(value) if isinstance(value, list) else set()
        node.options = [
            (option, _enum_label(labels, option, language), option in chosen)
            for option in schema["items"]["enum"]
        ]
        return node
    if schema.get("x-attachment"):
        node.datalist = "attachment-names"
    node.value = "" if value is None else _as_text(value)
    attrs: dict[str, Any] = {}
    if schema.get("x-format") in ("iin", "bin", "iin-or-bin"):
        node.identifier = schema["x-format"]
        attrs["inputmode"] = "numeric"
        attrs["autocomplete"] = "off"
    if "maxLength" in schema:
        attrs["maxlength"] = schema["maxLength"]
    if "pattern" in schema and schema["pattern"] not in ("\\S",):
        attrs["pattern"] = schema["pattern"].lstrip("^").rstrip("$")
    if kind in ("integer", "number"):
        if "minimum" in schema:
            attrs["min"] = schema["minimum"]
        attrs["step"] = "1" if kind == "integer" else "any"
    if schema.get("examples"):
        attrs["placeholder"] = schema["examples"][0]
    node.attrs = attrs
    return node


def build_fields(
    schema: dict,
    data: dict,
    *,
    language: str,
    errors: dict | None = None,
    attachments: dict[str, list[str]] | None = None,
):
    """The form's top-level fields for ``data`` (a draft's form data). ``attachments``
    (document code → names of its uploaded files) turns the ``x-attachment`` fields into a
    choice among those files; without it they stay text fields."""
    ctx = {"language": language, "errors": errors or {}, "attachments": attachments}
    return _build(schema, data or {}, "", "", True, ctx).children


def error_list(fields, prefix: str = "") -> list[tuple[str, str, str]]:
    """(dom id, full label, message) of every field with an error, in the form's order: the
    summary above the form links each one to its field."""
    found: list[tuple[str, str, str]] = []
    for f in fields:
        label = f"{prefix}{f.label}" if f.label else prefix.rstrip(" /")
        if f.error:
            found.append((f.dom_id, label, f.error))
        if f.kind == "group":
            found += error_list(f.children, f"{label} / " if label else "")
        elif f.kind == "list":
            item = control_text("item")
            for index, row in enumerate(f.rows, start=1):
                found += error_list(row, f"{label} / {item} {index} / ")
    return found


# --- reading a submitted form back -------------------------------------------------------


def _number(text: str, kind: str):
    try:
        return int(text) if kind == "integer" else float(text.replace(",", "."))
    except ValueError:
        return text  # the validator names the field; the applicant sees what they typed


def _indices(post, prefix: str) -> list[str]:
    found = set()
    for key in post:
        if key.startswith(prefix):
            head = key[len(prefix) :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return [str(i) for i in sorted(found)]


def _read(schema: dict, post, name: str):
    kind = _kind_of(schema)
    if kind == "group":
        result = {}
        for key, child in ordered_properties(schema):
            value = _read(child, post, f"{name}.{key}" if name else key)
            if value not in (None, "", [], {}):
                result[key] = value
        return result
    if kind == "list":
        rows = [
            _read(schema.get("items", {}), post, f"{name}.{i}") for i in _indices(post, name + ".")
        ]
        return [row for row in rows if row not in (None, "", {}, [])]
    if kind == "checkboxes":
        allowed = schema["items"]["enum"]
        chosen = post.getlist(name)
        return [option for option in allowed if option in chosen]
    text = (post.get(name) or "").strip()
    if not text:
        return None
    if kind in ("integer", "number"):
        return _number(text, kind)
    return text


def parse_post(schema: dict, post) -> dict:
    return _read(schema, post, "") or {}


# --- all errors of the data, by field name ------------------------------------------------


def _missing_fields(schema: dict, path: list[str]) -> list[str]:
    """The fields the form shows for a missing required value: a group's required fields
    (recursively), the first row's required fields of a list, else the field itself — so
    each empty field the applicant sees is marked, not only its group."""
    if _kind_of(schema) == "group":
        properties = schema.get("properties", {})
        names = [
            name
            for key in schema.get("required", ())
            for name in _missing_fields(properties.get(key, {}), [*path, key])
        ]
        return names or [".".join(path)]
    if _kind_of(schema) == "list" and _kind_of(schema.get("items", {})) == "group":
        return _missing_fields(schema["items"], [*path, "0"])
    return [".".join(path)]


def errors_by_field(schema: dict, data: dict) -> dict[str, str]:
    """Every problem of ``data``, keyed by the dotted field name the form uses."""
    found: dict[str, str] = {}
    validator = FormValidator(schema, format_checker=FormatChecker())
    for error in validator.iter_errors(data):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            properties = error.schema.get("properties", {})
            for key in error.validator_value:
                if key not in error.instance:
                    for name in _missing_fields(properties.get(key, {}), [*path, key]):
                        found.setdefault(name, "required")
            continue
        if error.validator == "minItems" and error.instance == []:
            for name in _missing_fields(error.schema, path):
                found.setdefault(name, "required")
            continue
        found.setdefault(".".join(path), error.validator)
    return found


# --- the form as a readable document ------------------------------------------------------


def display_value(f: Field) -> str:
    """A field's value as a person reads it: choices by their names (a country, a currency,
    a purpose), dates as dd.mm.yyyy, files by their names."""
    if f.kind in ("select", "checkboxes", "attachment"):
        return f.chosen_label
    if f.kind == "date" and f.value:
        try:
            return dt.date.fromisoformat(f.value).strftime("%d.%m.%Y")
        except ValueError:
            return f.value
    return "" if f.value in (None, "") else str(f.value)


def _leaves(fields, prefix: str = "") -> list[tuple[str, Field]]:
    found: list[tuple[str, Field]] = []
    for f in fields:
        label = f"{prefix}{f.label}"
        if f.kind == "group":
            found += _leaves(f.children, f"{label} / ")
        elif f.kind != "list":
            found.append((label, f))
    return found


def document_blocks(fields, prefix: str = "") -> list[dict[str, Any]]:
    """The form as a document: blocks of ``{"kind": "rows", "rows": [(label, value)]}`` and,
    for each repeatable group (the list of items), ``{"kind": "table", "label", "headers",
    "rows"}`` — one row per item, a column per field (nested groups as "Group / field")."""
    blocks: list[dict[str, Any]] = []

    def rows_block() -> list:
        if not blocks or blocks[-1]["kind"] != "rows":
            blocks.append({"kind": "rows", "rows": []})
        return blocks[-1]["rows"]

    for f in fields:
        label = f"{prefix}{f.label}"
        if f.kind == "group":
            for block in document_blocks(f.children, f"{label} / "):
                if block["kind"] == "rows":
                    rows_block().extend(block["rows"])
                else:
                    blocks.append(block)
        elif f.kind == "list":
            headers = [name for name, _ in _leaves(f.template)]
            rows = [[display_value(leaf) for _, leaf in _leaves(row)] for row in f.rows]
            rows = [row for row in rows if any(row)]
            blocks.append({"kind": "table", "label": label, "headers": headers, "rows": rows})
        else:
            value = display_value(f)
            if value:
                rows_block().append((label, value))
    return blocks
