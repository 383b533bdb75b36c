"""Result document templates: catalogue data that says what a result document shows.

A service version names its templates in ``[result].templates`` (``result``: the positive
result — a certificate, an approval letter, a permit…; ``refusal``: the motivated refusal;
optionally ``receipt`` and ``receipt_refusal``: the paper intake receipt and the receipt of
refusal to accept), each a TOML file in the service folder's ``templates/``. The format is in
``catalog/README.md``; this module holds its JSON Schema, the placeholder vocabulary and the
checks that need the form schema (a placeholder naming a field the form does not have, an
unknown placeholder or filter → an issue naming file and field). Nothing here renders: the
results app lays a template out (``qyzmet.results.document``).
"""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

#: ``{root.path}`` or ``{root.path|filter}``.
PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")

#: Placeholders that are not form fields, by root; ``None`` = any key below the root is a
#: path into data the template cannot know (checked against the form schema for ``form``).
FIXED_PLACEHOLDERS = frozenset(
    {
        "applicant.name",
        "applicant.identifier",
        "applicant.identifier_label",
        "document.number",
        "document.date",
        "document.registration_number",
        "document.submitted",
        "document.registered",
        "decision.explanation",
        "service.title",
        "provider.name",
        "helpline",
        "complaints.to",
        "complaints.days",
        "legal.regulation",
        "legal.standard",
        "legal.law",
        # Receipts of paper intake: when handed in and when registered (the next working
        # moment), when to collect the result, the clerk.
        "receipt.date",
        "receipt.registered",
        "receipt.collect_on",
        "receipt.employee",
        # What the executor adds when preparing the result (office ``prepare``).
        "result.holder",
        "result.holder_identifier",
        "result.conditions",
    }
)
#: Placeholders valid only inside a table or photo block (one row = one array element).
ROW_PLACEHOLDERS = frozenset({"row"})
#: Placeholders valid only in a ``sheets`` block (known when the document is laid out).
SHEET_PLACEHOLDERS = frozenset({"sheets", "photos"})

FILTERS = ("date", "label", "country", "money", "photo")

_code = {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$"}
_text = {"type": "string"}
_localized = {
    "type": "object",
    "properties": {"kk": _text, "ru": _text, "en": _text},
    "required": ["kk", "ru"],
    "additionalProperties": False,
}
_value = {"anyOf": [_text, _localized]}
_path = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"}


def _block(kind: str, properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": {"type": {"const": kind}, "heading": _localized, **properties},
        "required": ["type", *required],
        "additionalProperties": False,
    }


_row = {
    "type": "object",
    "properties": {"label": _localized, "value": _value, "optional": {"type": "boolean"}},
    "required": ["label", "value"],
    "additionalProperties": False,
}
_column = {
    "type": "object",
    "properties": {
        "label": _localized,
        "value": _value,
        "width": {"type": "number", "exclusiveMinimum": 0, "maximum": 174},
    },
    "required": ["label", "value", "width"],
    "additionalProperties": False,
}

TEMPLATE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "qyzmet catalogue: a result document template",
    "type": "object",
    "properties": {
        "format_version": {"const": 1},
        "kind": _code,
        "title": _localized,
        "languages": {
            "type": "array",
            "items": {"enum": ["kk", "ru", "en"]},
            "minItems": 1,
            "uniqueItems": True,
        },
        "numbering": {
            "type": "object",
            "properties": {"format": {"type": "string", "pattern": r"\{number"}},
            "required": ["format"],
            "additionalProperties": False,
        },
        "blocks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "oneOf": [
                    _block("fields", {"rows": {"type": "array", "items": _row}}, ("rows",)),
                    _block("text", {"text": _localized, "when": _path}, ("text",)),
                    _block(
                        "table",
                        {
                            "source": _path,
                            "columns": {"type": "array", "items": _column, "minItems": 1},
                        },
                        ("source", "columns"),
                    ),
                    _block(
                        "photos",
                        {"source": _path, "photo": _path, "caption": _value},
                        ("source", "photo", "caption"),
                    ),
                    _block("sheets", {"text": _localized}, ("text",)),
                    _block("reasons", {"ground": _localized}, ("ground",)),
                    _block("signature", {"position": _localized}, ("position",)),
                    _block("documents", {"list": {"enum": ["accepted", "missing"]}}, ("list",)),
                    _block("sign_line", {"label": _localized, "name": _text}, ("label",)),
                ]
            },
        },
        "note": _text,
    },
    "required": ["format_version", "kind", "title", "languages", "blocks"],
    "additionalProperties": False,
}

_VALIDATOR = Draft202012Validator(TEMPLATE_SCHEMA)


def form_node(schema: dict, path: list[str]) -> dict | None:
    """The form schema's node at ``path`` (object properties; array items are stepped into
    transparently, so ``works.kinds`` of an array of codes names the array), or None."""
    node: Any = schema
    for key in path:
        if not isinstance(node, dict):
            return None
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            node = node["items"]
        node = (node.get("properties") or {}).get(key)
        if node is None:
            return None
    return node


def placeholders(text: str) -> list[tuple[str, str | None]]:
    return [(m.group(1).strip(), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def check_template(template: dict, form_schema: dict, add, *, receipt: bool = False) -> None:
    """Semantic checks of a template that passed the schema; ``add(field, message)``."""
    blocks = template["blocks"]
    # A result is signed with the EDS (signature block); a receipt on paper (sign_line).
    closing = "sign_line" if receipt else "signature"
    signatures = [i for i, b in enumerate(blocks) if b["type"] in ("signature", "sign_line")]
    if signatures != [len(blocks) - 1] or blocks[-1]["type"] != closing:
        add("blocks", f"exactly one {closing!r} block, the last one, is required")
    if "numbering" not in template:
        if not receipt:  # a receipt bears the incoming number; a result its outgoing one
            add("numbering", "required: the document's outgoing number")
        fields = []
    try:
        fields = (
            fields
            if "numbering" not in template
            else [f for _, f, _, _ in string.Formatter().parse(template["numbering"]["format"])]
        )
    except ValueError as error:
        add("numbering.format", f"not a valid format: {error}")
    else:
        for name in fields:
            if name is not None and name not in ("number", "year"):
                add("numbering.format", f"unknown field {{{name}}} (only {{number}} and {{year}})")

    def check(where: str, text: str, *, row_of: dict | None = None, sheets=False) -> None:
        for name, filter_ in placeholders(text):
            if filter_ is not None and filter_ not in FILTERS:
                add(where, f"unknown filter |{filter_} (known: {', '.join(FILTERS)})")
            if name in FIXED_PLACEHOLDERS or (sheets and name in SHEET_PLACEHOLDERS):
                continue
            if row_of is not None and name in ROW_PLACEHOLDERS:
                continue
            root, _, rest = name.partition(".")
            if root == "form" and rest:
                if form_node(form_schema, rest.split(".")) is None:
                    add(where, f"field '{rest}' is not in the form")
                continue
            if root == "item" and rest and row_of is not None:
                if form_node(row_of, rest.split(".")) is None:
                    add(where, f"field '{rest}' is not in the rows of the table's source")
                continue
            add(where, f"unknown placeholder {{{name}}}")

    def array_items(where: str, source: str) -> dict | None:
        root, _, rest = source.partition(".")
        node = form_node(form_schema, rest.split(".")) if root == "form" and rest else None
        if node is None or node.get("type") != "array" or not isinstance(node.get("items"), dict):
            add(where, f"'{source}' is not an array field of the form")
            return None
        return node["items"]

    for index, block in enumerate(blocks):
        at = f"blocks[{index}]"
        kind = block["type"]
        if kind == "fields":
            for r, row in enumerate(block["rows"]):
                for text in _texts(row["value"]):
                    check(f"{at}.rows[{r}].value", text)
        elif kind == "text":
            for text in _texts(block["text"]):
                check(f"{at}.text", text)
            if "when" in block:
                check(f"{at}.when", "{" + block["when"] + "}")
        elif kind == "sheets":
            for text in _texts(block["text"]):
                check(f"{at}.text", text, sheets=True)
        elif kind == "table":
            items = array_items(f"{at}.source", block["source"])
            for c, column in enumerate(block["columns"]):
                for text in _texts(column["value"]):
                    check(f"{at}.columns[{c}].value", text, row_of=items or {})
            width = sum(c["width"] for c in block["columns"])
            if width > 174:
                add(f"{at}.columns", f"the columns are {width} mm wide; the page has 174 mm")
        elif kind == "sign_line" and "name" in block:
            check(f"{at}.name", block["name"])
        elif kind == "photos":
            items = array_items(f"{at}.source", block["source"])
            check(f"{at}.photo", "{item." + block["photo"] + "}", row_of=items or {})
            for text in _texts(block["caption"]):
                check(f"{at}.caption", text, row_of=items or {})


def read_template(path: Path, display: str, form_schema: dict, kind_key: str, add_issue):
    """Parse and check one template file; returns (template or None, bytes).
    ``add_issue(file, field, message)``."""
    try:
        raw_bytes = path.read_bytes()
        template = tomllib.loads(raw_bytes.decode("utf-8"))
    except OSError:
        add_issue(None, f"result.templates.{kind_key}", f"file {display} does not exist")
        return None, b""
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        add_issue(display, "(syntax)", f"malformed TOML: {error}")
        return None, b""
    errors = sorted(_VALIDATOR.iter_errors(template), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        ).lstrip(".")
        message = error.message
        if error.validator == "oneOf" and isinstance(error.instance, dict):
            message = _block_error(error.instance)
        add_issue(display, where or "(file)", message)
    if errors:
        return None, raw_bytes
    before = [0]

    def add(field: str, message: str) -> None:
        before[0] += 1
        add_issue(display, field, message)

    check_template(template, form_schema, add, receipt=kind_key.startswith("receipt"))
    return (None if before[0] else template), raw_bytes


def _block_error(block: dict) -> str:
    """A readable message for a block that matches no block type (oneOf says little)."""
    kinds = [
        b["properties"]["type"]["const"]
        for b in TEMPLATE_SCHEMA["properties"]["blocks"]["items"]["oneOf"]
    ]
    kind = block.get("type")
    if kind not in kinds:
        return f"type {kind!r} is not one of {kinds}"
    schema = next(
        b
        for b in TEMPLATE_SCHEMA["properties"]["blocks"]["items"]["oneOf"]
        if b["properties"]["type"]["const"] == kind
    )
    first = next(Draft202012Validator(schema).iter_errors(block), None)
    return f"{kind} block: {first.message}" if first else f"{kind} block is malformed"
