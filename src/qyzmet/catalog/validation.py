"""Reading and validating catalogue files; no database access here.

Every problem becomes an :class:`Issue` that names the file and the field, e.g.
``catalog/temporary-export/2014-06.toml: process.steps[2].norm.kind: 'hours' is not one of
[...]``. A directory is checked as a whole (all files, then the rules across files such
as "versions of one service do not overlap") so that ``qyzmet catalog check`` can list
every problem at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import SchemaError, ValidationError

from qyzmet.core.identifiers import is_valid_bin, is_valid_iin

from .metaschema import SERVICE_VERSION_SCHEMA
from .process import process_issues
from .property_order import with_property_order

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
#: Steps every channel's process must have; `handover` is for paper results only.
MANDATORY_STEPS = ("register", "assign", "check", "prepare", "sign")
#: Roles a step may name besides the user roles of qyzmet.accounts.
SYSTEM_ROLE = "system"
DEMO_PREFIX = "demo-"

_META_VALIDATOR = Draft202012Validator(SERVICE_VERSION_SCHEMA, format_checker=FormatChecker())


@dataclass(frozen=True)
class Issue:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class CatalogError(Exception):
    """One or more catalogue files are invalid; ``issues`` name file and field of each."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass(frozen=True)
class ParsedVersion:
    """One valid catalogue file: the definition as JSON-ready data plus its form schema."""

    service_code: str
    version: str
    effective_from: dt.date
    effective_until: dt.date | None
    is_demo: bool
    definition: dict[str, Any]
    form_schema: dict[str, Any]
    source_path: str
    source_sha256: str

    @property
    def title(self) -> dict[str, str]:
        return self.definition["title"]


@dataclass
class FileResult:
    path: Path
    display: str
    parsed: ParsedVersion | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class CheckResult:
    files: list[FileResult]
    cross_issues: list[Issue]

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues] + self.cross_issues

    @property
    def ok(self) -> bool:
        return not self.issues

    def versions(self) -> list[ParsedVersion]:
        return [f.parsed for f in self.files if f.parsed is not None]


def known_roles() -> frozenset[str]:
    from qyzmet.accounts.models import Role

    return frozenset(Role.values) | {SYSTEM_ROLE}


def field_path(parts: Iterable[Any]) -> str:
    """``['process', 'steps', 2, 'norm']`` -> ``process.steps[2].norm``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


def _json_ready(value: Any) -> Any:
    """TOML dates and times become ISO strings; a datetime is kept as such a string too and
    then fails the schema's date pattern, which is the error the author needs to see."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _schema_issue(file: str, error: ValidationError, prefix: Sequence[Any] = ()) -> Issue:
    path = [*prefix, *error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [key for key in error.validator_value if key not in error.instance]
        if missing:
            return Issue(file, field_path([*path, missing[0]]), "required field is missing")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(key for key in error.instance if key not in allowed)
        if extra:
            return Issue(file, field_path([*path, extra[0]]), "unknown field")
    return Issue(file, field_path(path), error.message)


def _sorted_errors(errors: Iterable[ValidationError]) -> list[ValidationError]:
    return sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])


def check_directory(directory: Path | str) -> CheckResult:
    """Validate every ``<service>/<version>.toml`` under ``directory``."""
    directory = Path(directory)
    display_root = directory.resolve().parent
    if not directory.is_dir():
        issue = Issue(str(directory), "(directory)", "catalogue directory does not exist")
        return CheckResult([], [issue])
    files = [
        check_file(path, display_root=display_root) for path in sorted(directory.glob("*/*.toml"))
    ]
    cross = _cross_file_issues([f for f in files if f.parsed is not None])
    if not files:
        cross.append(Issue(str(directory), "(directory)", "no catalogue files found"))
    return CheckResult(files, cross)


def read_directory(directory: Path | str) -> list[ParsedVersion]:
    result = check_directory(directory)
    if not result.ok:
        raise CatalogError(result.issues)
    return result.versions()


def check_file(path: Path, *, display_root: Path | None = None) -> FileResult:
    path = Path(path)
    display_root = display_root or path.resolve().parent.parent.parent
    display = _display(path, display_root)
    result = FileResult(path=path, display=display)
    try:
        raw_bytes = path.read_bytes()
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        result.issues.append(Issue(display, "(syntax)", f"not UTF-8: {exc}"))
        return result
    except tomllib.TOMLDecodeError as exc:
        result.issues.append(Issue(display, "(syntax)", f"malformed TOML: {exc}"))
        return result
    except OSError as exc:
        result.issues.append(Issue(display, "(file)", f"cannot read: {exc.strerror}"))
        return result

    definition = _json_ready(raw)
    schema_errors = _sorted_errors(_META_VALIDATOR.iter_errors(definition))
    result.issues.extend(_schema_issue(display, error) for error in schema_errors)
    if result.issues:
        # Cross-field rules assume the shape is right; report shape problems first.
        return result

    result.issues.extend(_file_rule_issues(path, display, definition))
    form_schema, schema_bytes, form_issues = _read_form_schema(path, display_root, definition)
    result.issues.extend(form_issues)
    if result.issues:
        return result
    documents, template_bytes = _read_templates(
        path, display, display_root, definition, form_schema
    )
    result.issues.extend(documents.pop("issues"))
    if result.issues:
        return result
    definition["result"]["documents"] = documents

    effective = definition["effective"]
    until = effective.get("until")
    result.parsed = ParsedVersion(
        service_code=definition["code"],
        version=definition["version"],
        effective_from=dt.date.fromisoformat(effective["from"]["date"]),
        effective_until=dt.date.fromisoformat(until["date"]) if until else None,
        is_demo=bool(definition.get("demo", False)),
        definition=definition,
        form_schema=with_property_order(form_schema),
        source_path=display,
        # The content of a version is the TOML, its form schema and its result templates.
        source_sha256=hashlib.sha256(
            raw_bytes + b"\0" + schema_bytes + b"\0" + template_bytes
        ).hexdigest(),
    )
    return result


def _read_templates(
    path: Path, file: str, display_root: Path, d: dict[str, Any], form_schema: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """The version's result templates (``[result].templates``), checked against the form:
    ``{"result": …, "refusal": …, "issues": [...]}`` and their bytes (for the version's hash)."""
    from .result_templates import read_template

    issues: list[Issue] = []
    found: dict[str, Any] = {"issues": issues}
    contents = b""
    expected = {"result": d["result"]["kind"], "refusal": d["result"]["refusal_kind"]}
    for key, relative in d["result"]["templates"].items():
        template_path = path.parent / relative
        display = _display(template_path, display_root)

        def add(where, field_, message, _display=display):
            issues.append(Issue(file if where is None else where, field_, message))

        template, content = read_template(template_path, display, form_schema, key, add)
        contents += content + b"\0"
        if template is None:
            continue
        if key in expected and template["kind"] != expected[key]:
            add(
                display,
                "kind",
                f"{template['kind']!r} is not the version's "
                f"result.{'kind' if key == 'result' else 'refusal_kind'} {expected[key]!r}",
            )
            continue
        found[key] = template
    return found, contents


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _file_rule_issues(path: Path, file: str, d: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []

    def add(field_: str, message: str) -> None:
        issues.append(Issue(file, field_, message))

    if d["code"] != path.parent.name:
        add("code", f"{d['code']!r} does not match the directory name {path.parent.name!r}")
    if d["version"] != path.stem:
        add("version", f"{d['version']!r} does not match the file name {path.stem!r}")
    is_demo = bool(d.get("demo", False))
    if is_demo != path.stem.startswith(DEMO_PREFIX):
        add(
            "demo",
            f"demo = {str(is_demo).lower()} but the file name "
            f"{'does not start' if is_demo else 'starts'} with {DEMO_PREFIX!r}",
        )
    if is_demo and not d.get("note"):
        add("note", "a demo version must say in a note why it exists")

    effective = d["effective"]
    if "until" in effective and effective["until"]["date"] <= effective["from"]["date"]:
        add(
            "effective.until.date",
            f"{effective['until']['date']} is not after effective.from.date "
            f"{effective['from']['date']}",
        )

    if not any(act["role"] == "regulation" for act in d["legal_basis"]):
        add("legal_basis", "no act with role = 'regulation'")

    schedule = d["schedule"]
    times = [schedule[k] for k in ("start", "lunch_start", "lunch_end", "end")]
    if [dt.time.fromisoformat(t) for t in times] != sorted(
        dt.time.fromisoformat(t) for t in times
    ) or len(set(times)) != 4:
        add("schedule", "times must satisfy start < lunch_start < lunch_end < end")

    channel_codes = [c["code"] for c in d["channels"]]
    for index, code in enumerate(channel_codes):
        if code in channel_codes[:index]:
            add(f"channels[{index}].code", f"duplicate channel {code!r}")

    for index, doc in enumerate(d["documents"]):
        for channel in doc["channels"]:
            if channel not in channel_codes:
                add(f"documents[{index}].channels", f"channel {channel!r} is not declared")
    for channel in channel_codes:
        if not any(channel in doc["channels"] for doc in d["documents"]):
            add("documents", f"no document listed for channel {channel!r}")
    _check_unique_codes(d["documents"], "documents", add)

    roles = known_roles()
    seen: set[tuple[str, str]] = set()
    for index, step in enumerate(d["process"]["steps"]):
        where = f"process.steps[{index}]"
        if step["role"] not in roles:
            add(
                f"{where}.role",
                f"{step['role']!r} is not a known role ({', '.join(sorted(roles))})",
            )
        for channel in step["channels"]:
            if channel not in channel_codes:
                add(f"{where}.channels", f"channel {channel!r} is not declared")
            if (step["code"], channel) in seen:
                add(f"{where}.code", f"step {step['code']!r} appears twice for channel {channel!r}")
            seen.add((step["code"], channel))
        norm = step["norm"]
        if norm["kind"] == "same_working_day" and "value" in norm:
            add(f"{where}.norm.value", "not allowed when kind = 'same_working_day'")
        if norm["kind"] != "same_working_day" and "value" not in norm:
            add(f"{where}.norm.value", f"required when kind = {norm['kind']!r}")
    for channel in channel_codes:
        for code in MANDATORY_STEPS:
            if (code, channel) not in seen:
                add("process.steps", f"step {code!r} is missing for channel {channel!r}")

    step_codes = {step["code"] for step in d["process"]["steps"]}
    for index, reason in enumerate(d["refusal_reasons"]):
        for stage in reason["stages"]:
            if stage not in step_codes:
                add(f"refusal_reasons[{index}].stages", f"stage {stage!r} is not a step")
    _check_unique_codes(d["refusal_reasons"], "refusal_reasons", add)
    for field_, message in process_issues(d, roles):
        add(field_, message)
    return issues


def _check_unique_codes(items: list[dict[str, Any]], where: str, add) -> None:
    codes = [item["code"] for item in items]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            add(f"{where}[{index}].code", f"duplicate code {code!r}")


def _read_form_schema(
    path: Path, display_root: Path, d: dict[str, Any]
) -> tuple[dict[str, Any], bytes, list[Issue]]:
    # metaschema allows a bare file name only, so the schema stays in the service folder.
    schema_path = path.parent / d["form"]["schema"]
    file = _display(schema_path, display_root)
    try:
        schema_bytes = schema_path.read_bytes()
    except OSError:
        toml_file = _display(path, display_root)
        return {}, b"", [Issue(toml_file, "form.schema", f"file {file} does not exist")]
    try:
        schema = json.loads(schema_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, schema_bytes, [Issue(file, "(syntax)", f"malformed JSON: {exc}")]
    if not isinstance(schema, dict):
        return {}, schema_bytes, [Issue(file, "(file)", "a form schema must be a JSON object")]
    issues: list[Issue] = []
    if schema.get("$schema") != DRAFT_2020_12:
        issues.append(Issue(file, "$schema", f"must be {DRAFT_2020_12!r}"))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        issues.append(Issue(file, field_path(exc.absolute_path), exc.message))
        return schema, schema_bytes, issues
    if schema.get("type") != "object":
        issues.append(Issue(file, "type", "the form must be an object"))
    issues.extend(_label_issues(file, schema, []))
    documents = {doc.get("code") for doc in d.get("documents", ()) if isinstance(doc, dict)}
    issues.extend(_form_keyword_issues(file, schema, [], documents))
    issues.extend(_x_format_issues(file, schema, []))
    return schema, schema_bytes, issues


_LABEL_KEYS = ("title", "x-title-kk", "x-title-en")


def _label_issues(file: str, schema: Any, path: list[Any]) -> list[Issue]:
    """Every property of the form needs a label in each language: title (ru), x-title-kk,
    x-title-en. Walks properties, array items and $defs."""
    issues: list[Issue] = []
    if not isinstance(schema, dict):
        return issues
    for name, sub in schema.get("properties", {}).items():
        where = [*path, "properties", name]
        for key in _LABEL_KEYS:
            value = sub.get(key) if isinstance(sub, dict) else None
            if not isinstance(value, str) or not value.strip():
                issues.append(Issue(file, field_path([*where, key]), "label is missing"))
        issues.extend(_label_issues(file, sub, where))
    if isinstance(schema.get("items"), dict):
        issues.extend(_label_issues(file, schema["items"], [*path, "items"]))
    for name, sub in schema.get("$defs", {}).items():
        issues.extend(_label_issues(file, sub, [*path, "$defs", name]))
    return issues


FORM_CHOICES = ("countries", "currencies")  # x-choices: named CLDR lists (schema_form)


def _form_keyword_issues(file: str, schema: Any, path: list[Any], documents: set) -> list[Issue]:
    """The form's own keywords on string properties: ``x-choices`` (a named list of the
    CLDR: countries or currencies) and ``x-attachment`` (the code of the document whose
    uploaded files the field names, e.g. an item's photograph)."""
    issues: list[Issue] = []
    if not isinstance(schema, dict):
        return issues
    choices = schema.get("x-choices")
    if choices is not None and choices not in FORM_CHOICES:
        where = field_path([*path, "x-choices"])
        issues.append(Issue(file, where, f"must be one of {', '.join(FORM_CHOICES)}"))
    attachment = schema.get("x-attachment")
    if attachment is not None and attachment not in documents:
        where = field_path([*path, "x-attachment"])
        issues.append(Issue(file, where, f"{attachment!r} is not a document of the version"))
    for name, sub in schema.get("properties", {}).items():
        issues.extend(_form_keyword_issues(file, sub, [*path, "properties", name], documents))
    if isinstance(schema.get("items"), dict):
        issues.extend(_form_keyword_issues(file, schema["items"], [*path, "items"], documents))
    return issues


def _cross_file_issues(files: list[FileResult]) -> list[Issue]:
    issues: list[Issue] = []
    by_service: dict[str, list[ParsedVersion]] = {}
    for f in files:
        assert f.parsed is not None
        by_service.setdefault(f.parsed.service_code, []).append(f.parsed)
    for versions in by_service.values():
        versions.sort(key=lambda v: v.effective_from)
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.effective_until is None or earlier.effective_until > later.effective_from:
                until = earlier.effective_until or "open end"
                issues.append(
                    Issue(
                        later.source_path,
                        "effective.from.date",
                        f"{later.effective_from} overlaps {earlier.source_path} "
                        f"(in force {earlier.effective_from} .. {until})",
                    )
                )
    return issues


def _date_order(validator, pairs, instance, schema):
    """``x-date-order: [["from", "until"], …]`` on an object: the second date property must
    not be before the first (an export's return after its start) — a rule plain JSON Schema
    cannot state. Missing or malformed dates are reported by their own keywords."""
    if not validator.is_type(instance, "object"):
        return
    for first, second in pairs:
        try:
            start = dt.date.fromisoformat(instance[first])
            end = dt.date.fromisoformat(instance[second])
        except (KeyError, TypeError, ValueError):
            continue
        if end < start:
            yield ValidationError(
                f"{second!r} ({end}) is before {first!r} ({start})", path=[second]
            )


# ``x-format`` on a string property: the typed identifier's rules (core.identifiers), the same
# on every channel (portal, API, desk) — and in the browser, which reads the same keyword.
IDENTIFIER_FORMATS = {
    "iin": ("IIN", is_valid_iin),
    "bin": ("BIN", is_valid_bin),
    "iin-or-bin": ("IIN or BIN", lambda v: is_valid_iin(v) or is_valid_bin(v)),
}


def _identifier_format(validator, kind, instance, schema):
    """``"x-format": "iin" | "bin" | "iin-or-bin"``: the string is a valid IIN / BIN
    (check digit, century digit, BIN's kind digit, not all zeros; SERVICES.md)."""
    if not validator.is_type(instance, "string") or kind not in IDENTIFIER_FORMATS:
        return
    name, valid = IDENTIFIER_FORMATS[kind]
    if not valid(instance.strip()):
        yield ValidationError(f"{instance!r} is not a valid {name}")


def _x_format_issues(file: str, schema: Any, path: list[Any]) -> list[Issue]:
    """``x-format`` is one of :data:`IDENTIFIER_FORMATS`, on a ``"type": "string"`` schema;
    walks every subschema."""
    issues: list[Issue] = []
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            issues.extend(_x_format_issues(file, item, [*path, index]))
        return issues
    if not isinstance(schema, dict):
        return issues
    if "x-format" in schema:
        kind = schema["x-format"]
        where = field_path([*path, "x-format"])
        if kind not in IDENTIFIER_FORMATS:
            known = ", ".join(IDENTIFIER_FORMATS)
            issues.append(Issue(file, where, f"unknown x-format {kind!r} (known: {known})"))
        elif schema.get("type") != "string":
            issues.append(Issue(file, where, 'x-format needs "type": "string"'))
    for key, value in schema.items():
        if isinstance(value, dict | list) and key not in ("enum", "const", "examples", "default"):
            issues.extend(_x_format_issues(file, value, [*path, key]))
    return issues


# The validator of application forms: JSON Schema 2020-12 plus the catalogue's x-date-order
# and x-format.
FormValidator = validators.extend(
    Draft202012Validator, {"x-date-order": _date_order, "x-format": _identifier_format}
)


def validate_form_data(form_schema: dict[str, Any], data: Any) -> list[Issue]:
    """Errors of an application's form data against the version's form schema, as issues
    whose ``file`` is ``form`` and ``field`` the path in the data (empty list: valid)."""
    validator = FormValidator(form_schema, format_checker=FormatChecker())
    return [_schema_issue("form", error) for error in _sorted_errors(validator.iter_errors(data))]
