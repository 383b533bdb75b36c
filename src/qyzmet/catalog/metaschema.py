"""The JSON Schema (Draft 2020-12) of a catalogue file, i.e. of one service version.

A TOML file is parsed, its dates and times are turned into ISO strings (so that the
whole definition is JSON and can live in a JSONField), and the result is validated
against :data:`SERVICE_VERSION_SCHEMA`. Rules that span several fields (dates in order,
steps referring to channels, roles that exist, ...) are checked in code by
:mod:`qyzmet.catalog.validation`, which also validates the form schema.

``qyzmet catalog schema`` prints this schema, e.g. for an editor's TOML plugin.
"""

from __future__ import annotations

#: Step codes the workflow engine keys on (regulation p.5, p.8).
STEP_CODES = ("register", "assign", "check", "prepare", "sign", "handover")
NORM_KINDS = ("same_working_day", "working_minutes", "working_days")
NORM_FROM = ("step_start", "registration")
CHANNEL_CODES = ("portal", "office")
RECIPIENTS = ("individual", "legal_entity")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Who takes part in the process (p.10, appendix 2); each is a pool of the BPMN diagram.
#: The one ``provider`` pool has a lane per role; gateway and certification authority are
#: drawn as black boxes that messages go to.
PARTICIPANT_KINDS = ("applicant", "portal", "provider", "gateway", "certification_authority")
#: p.10: "процесс N" (a task), "условие N" (a decision), or a step of p.5 named by its code.
PROCEDURE_KINDS = ("process", "condition", "step")

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_TIME = r"^\d{2}:\d{2}(:\d{2})?$"
CODE = r"^[a-z][a-z0-9_-]*$"
#: A result template: a TOML file in the service folder's ``templates/``.
TEMPLATE_PATH = r"^templates/[A-Za-z0-9._-]+\.toml$"

_text = {"type": "string", "pattern": r"\S"}
_basis = {"type": "string", "pattern": r"\S", "description": "regulation point(s), e.g. p.8.2"}
_assumed = {"type": "boolean", "description": "true = not confirmed by a primary source"}
_note = {"type": "string"}


def _object(properties: dict, required: tuple[str, ...] = ()) -> dict:
    """A closed object: unknown keys are errors (a typo must not pass silently)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _set_of(items: dict, min_items: int = 1) -> dict:
    """An array of distinct items."""
    return {"type": "array", "items": items, "minItems": min_items, "uniqueItems": True}


_localized = _object({"ru": _text, "kk": _text, "en": _text}, ("ru", "kk", "en"))
_localized_ref = {"$ref": "#/$defs/localized"}

_dated_fact = _object(
    {
        "date": {"type": "string", "pattern": ISO_DATE, "format": "date"},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("date", "basis"),
)

# Whether ``value`` is required depends on ``kind``; that rule is checked in code
# (validation.py) so that its error message names the field plainly.
_norm = _object(
    {
        "kind": {"enum": list(NORM_KINDS)},
        "value": {"type": "integer", "minimum": 1},
        "from": {"enum": list(NORM_FROM)},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("kind", "from"),
)

_duration = _object(
    {
        "value": {"type": "integer", "minimum": 1},
        "unit": {"enum": ["minutes", "working_minutes", "working_days", "calendar_days"]},
        "from": {"enum": ["registration", "arrival", "step_start"]},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("value", "unit", "basis"),
)

_legal_act = _object(
    {
        "role": {
            "enum": [
                "regulation",
                "standard",
                "amendment",
                "repeal",
                "law",
                "government_resolution",
            ]
        },
        "issuer": _localized_ref,
        "number": _text,
        "date": {"type": "string", "pattern": ISO_DATE, "format": "date"},
        "title": _localized_ref,
        "registration": _object(
            {"number": _text, "date": {"type": "string", "pattern": ISO_DATE, "format": "date"}},
            ("number", "date"),
        ),
        "points": {"type": "array", "items": _text},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("role", "issuer", "number", "date", "title"),
)

_channel = _object(
    {
        "code": {"enum": list(CHANNEL_CODES)},
        "name": _localized_ref,
        "form_of_service": _localized_ref,
        "result_forms": {
            "type": "array",
            "items": {"enum": ["electronic", "paper"]},
            "minItems": 1,
            "uniqueItems": True,
        },
        "around_the_clock": {"type": "boolean"},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "name", "form_of_service", "result_forms", "basis"),
)

_document = _object(
    {
        "code": {"type": "string", "pattern": CODE},
        "name": _localized_ref,
        "channels": {
            "type": "array",
            "items": {"enum": list(CHANNEL_CODES)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "form": _object(
            {
                "portal": {"enum": ["e_request", "scan"]},
                "office": {"enum": ["original", "copy", "original_or_copy"]},
            }
        ),
        "required": {"type": "boolean"},
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "name", "channels", "required", "basis"),
)

_step = _object(
    {
        "code": {"enum": list(STEP_CODES)},
        "name": _localized_ref,
        "role": {"type": "string", "pattern": CODE},
        "channels": {
            "type": "array",
            "items": {"enum": list(CHANNEL_CODES)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "norm": _norm,
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "name", "role", "channels", "norm", "basis"),
)

# A thing with a code and a name: the provider, a unit (role) of the process.
_coded_name = _object(
    {
        "code": {"type": "string", "pattern": CODE},
        "name": _localized_ref,
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "name", "basis"),
)

_participant = _object(
    {
        "code": {"type": "string", "pattern": CODE},
        "kind": {"enum": list(PARTICIPANT_KINDS)},
        "name": _localized_ref,
        "abbreviation": _localized_ref,
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "kind", "name", "basis"),
)

# Which keys a kind of procedure needs (number and name for a process or condition, a step
# for a step, ...) is checked in code (validation.py), naming the field plainly.
_procedure = _object(
    {
        "channel": {"enum": list(CHANNEL_CODES)},
        "code": {"type": "string", "pattern": CODE},
        "kind": {"enum": list(PROCEDURE_KINDS)},
        "number": {"type": "integer", "minimum": 1},
        "participant": {"type": "string", "pattern": CODE},
        "role": {"type": "string", "pattern": CODE},
        "step": {"enum": list(STEP_CODES)},
        "name": _localized_ref,
        "messages": _set_of({"type": "string", "pattern": CODE}, min_items=0),
        "decided_at": _set_of({"enum": list(STEP_CODES)}),
        "on_failure": _set_of({"type": "string", "pattern": CODE}),
        # What the procedure yields for the next one (p.6; appendix 1's "result" column).
        "result": _object(
            {
                "ru": _text,
                "kk": _text,
                "en": _text,
                "basis": _basis,
                "assumed": _assumed,
                "note": _note,
            },
            ("ru", "kk", "en", "basis"),
        ),
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("channel", "code", "kind", "participant", "basis"),
)

_refusal_reason = _object(
    {
        "code": {"type": "string", "pattern": CODE},
        "stages": {
            "type": "array",
            "items": {"enum": list(STEP_CODES)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "text": _localized_ref,
        "basis": _basis,
        "assumed": _assumed,
        "note": _note,
    },
    ("code", "stages", "text", "basis"),
)

SERVICE_VERSION_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://qyzmet.kz/schemas/catalog/service-version.schema.json",
    "title": "qyzmet catalogue: one version of a public service's regulation",
    "$defs": {"localized": _localized},
    **_object(
        {
            "format_version": {"const": 1},
            "code": {"type": "string", "pattern": CODE},
            "version": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]*$"},
            "demo": {"type": "boolean"},
            "note": _note,
            "title": _localized_ref,
            "effective": _object({"from": _dated_fact, "until": _dated_fact}, ("from",)),
            "legal_basis": {"type": "array", "items": _legal_act, "minItems": 1},
            "provider": _coded_name,
            "recipients": _object(
                {
                    "kinds": {
                        "type": "array",
                        "items": {"enum": list(RECIPIENTS)},
                        "minItems": 1,
                        "uniqueItems": True,
                    },
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("kinds", "basis"),
            ),
            "fee": _object(
                {
                    "free": {"type": "boolean"},
                    "amount": {"type": "number", "minimum": 0},
                    "currency": {"const": "KZT"},
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("free", "amount", "currency", "basis"),
            ),
            "form_of_service": _object(
                {
                    "kinds": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"enum": ["electronic_partially_automated", "paper"]},
                    },
                    "text": _localized_ref,
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("kinds", "text", "basis"),
            ),
            "channels": {"type": "array", "items": _channel, "minItems": 1},
            "term": _object(
                {"result": _duration, "max_waiting": _duration, "max_service": _duration},
                ("result", "max_waiting", "max_service"),
            ),
            "schedule": _object(
                {
                    "workdays": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"enum": list(WEEKDAYS)},
                    },
                    "start": {"type": "string", "pattern": ISO_TIME},
                    "end": {"type": "string", "pattern": ISO_TIME},
                    "lunch_start": {"type": "string", "pattern": ISO_TIME},
                    "lunch_end": {"type": "string", "pattern": ISO_TIME},
                    "excludes_holidays": {"type": "boolean"},
                    "portal_around_the_clock": {"type": "boolean"},
                    "after_hours_registration": {"enum": ["next_working_day"]},
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                (
                    "workdays",
                    "start",
                    "end",
                    "lunch_start",
                    "lunch_end",
                    "after_hours_registration",
                    "basis",
                ),
            ),
            "documents": {"type": "array", "items": _document, "minItems": 1},
            "form": _object(
                {
                    "schema": {"type": "string", "pattern": r"^[A-Za-z0-9._-]+\.json$"},
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("schema", "basis"),
            ),
            "process": _object(
                {
                    "steps": {"type": "array", "items": _step, "minItems": 1},
                    "roles": {"type": "array", "items": _coded_name, "minItems": 1},
                    "participants": {"type": "array", "items": _participant, "minItems": 1},
                    "procedures": {"type": "array", "items": _procedure, "minItems": 1},
                    "handbook": _object(
                        {
                            "text": _localized_ref,
                            "basis": _basis,
                            "assumed": _assumed,
                            "note": _note,
                        },
                        ("text", "basis"),
                    ),
                    "basis": _basis,
                    "note": _note,
                },
                ("steps", "roles", "participants", "procedures", "basis"),
            ),
            "refusal_reasons": {"type": "array", "items": _refusal_reason, "minItems": 1},
            "result": _object(
                {
                    "kind": {"type": "string", "pattern": CODE},
                    "refusal_kind": {"type": "string", "pattern": CODE},
                    "templates": _object(
                        {
                            "result": {"type": "string", "pattern": TEMPLATE_PATH},
                            "refusal": {"type": "string", "pattern": TEMPLATE_PATH},
                            "receipt": {"type": "string", "pattern": TEMPLATE_PATH},
                            "receipt_refusal": {"type": "string", "pattern": TEMPLATE_PATH},
                        },
                        ("result", "refusal"),
                    ),
                    "name": _localized_ref,
                    "forms": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"enum": ["electronic", "paper"]},
                    },
                    "fields": {"type": "array", "items": {"type": "string", "pattern": CODE}},
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("kind", "refusal_kind", "name", "forms", "templates", "basis"),
            ),
            "helpline": _object(
                {
                    "phone": {"type": "string", "pattern": r"^[0-9+ ()-]+$"},
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("phone", "basis"),
            ),
            "complaints": _object(
                {
                    "to": _localized_ref,
                    "term": _duration,
                    "basis": _basis,
                    "assumed": _assumed,
                    "note": _note,
                },
                ("to", "term", "basis"),
            ),
        },
        (
            "format_version",
            "code",
            "version",
            "title",
            "effective",
            "legal_basis",
            "provider",
            "recipients",
            "fee",
            "form_of_service",
            "channels",
            "term",
            "schedule",
            "documents",
            "form",
            "process",
            "refusal_reasons",
            "result",
            "helpline",
            "complaints",
        ),
    ),
}
