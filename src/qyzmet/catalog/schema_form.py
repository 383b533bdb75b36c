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

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy
from jsonschema import FormatChecker

from qyzmet.core.i18n import Text, translate

from .property_order import ordered_properties
from .validation import FormValidator

LONG_TEXT = 500  # strings allowed to be longer than this get a textarea
INDEX = "__i__"  # placeholder index of the repeatable group's template (cloned by the page)


# The form's own controls in ru/kk/en (labels of fields come from the schema).
CONTROL_TEXTS: dict[str, Text] = {
    "item": gettext_lazy("Предмет"),
    "add_item": gettext_lazy("Добавить предмет"),
    "remove_item": gettext_lazy("Удалить предмет"),
    "choose": gettext_lazy("— выберите —"),
}


def control_text(key: str) -> str:
    return translate(CONTROL_TEXTS[key])


def title_of(schema: dict, language: str) -> str:
    if language in ("kk", "en") and schema.get(f"x-title-{language}"):
        return schema[f"x-title-{language}"]
    return schema.get("title", "")


def _enum_label(labels: dict, value: str, language: str) -> str:
    texts = labels.get(value) or {}
    return texts.get(language) or texts.get("ru") or value


@dataclass
class Field:
    kind: str  # group | list | text | textarea | date | integer | number | select | checkboxes
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

    @property
    def dom_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)


def _kind_of(schema: dict) -> str:
    if "enum" in schema:
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


def _is_attachment_name(key: str, schema: dict) -> bool:
    return key in ("photo", "attachment") and schema.get("type") == "string"


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
            if _is_attachment_name(key, child):
                built.datalist = "attachment-names"
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
    if kind == "select":
        labels = schema.get("x-enum-labels", {})
        node.options = [
            (option, _enum_label(labels, option, language), option == value)
            for option in schema["enum"]
        ]
        return node
    if kind == "checkboxes":
        labels = schema.get("x-enum-labels", {})
        chosen = set(value) if isinstance(value, list) else set()
        node.options = [
            (option, _enum_label(labels, option, language), option in chosen)
            for option in schema["items"]["enum"]
        ]
        return node
    node.value = "" if value is None else _as_text(value)
    attrs: dict[str, Any] = {}
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


def build_fields(schema: dict, data: dict, *, language: str, errors: dict | None = None):
    """The form's top-level fields for ``data`` (a draft's form data)."""
    ctx = {"language": language, "errors": errors or {}}
    return _build(schema, data or {}, "", "", True, ctx).children


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


def errors_by_field(schema: dict, data: dict) -> dict[str, str]:
    """Every problem of ``data``, keyed by the dotted field name the form uses."""
    found: dict[str, str] = {}
    validator = FormValidator(schema, format_checker=FormatChecker())
    for error in validator.iter_errors(data):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            for key in error.validator_value:
                if key not in error.instance:
                    found.setdefault(".".join([*path, key]), "required")
            continue
        found.setdefault(".".join(path), error.validator)
    return found
