"""Validation of application form data against the service version's JSON Schema, with the
catalogue's validator (JSON Schema 2020-12 plus its ``x-date-order`` rule), compiled once
per version and process, and the first wrong field named in the refusal."""

from __future__ import annotations

from jsonschema import Draft202012Validator, FormatChecker

from qyzmet.catalog.validation import FormValidator
from qyzmet.core.refusals import Refused

# Compiled validators per (version, content hash): built once per process, not per request.
_VALIDATORS: dict[tuple[int, str], Draft202012Validator] = {}


def _validator(version) -> Draft202012Validator:
    key = (version.pk, version.source_sha256)
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = FormValidator(version.form_schema, format_checker=FormatChecker())
        _VALIDATORS[key] = validator
    return validator


def validate_form_data(version, form_data) -> dict:
    """Refuse data that do not match the schema, naming the first wrong field."""
    if not isinstance(form_data, dict):
        raise Refused("form_invalid", {"field": "/", "detail": "object expected"}, field_name="/")
    errors = sorted(
        _validator(version).iter_errors(form_data),
        key=lambda e: ([str(p) for p in e.absolute_path], e.message),
    )
    if errors:
        first = errors[0]
        field = "/" + "/".join(str(p) for p in first.absolute_path)
        raise Refused(
            "form_invalid", {"field": field, "detail": first.message[:300]}, field_name=field
        )
    return form_data
