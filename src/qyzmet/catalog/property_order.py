"""The order of a form's fields.

PostgreSQL's jsonb keeps an object's keys in an order of its own, not in the order they were
written: the catalogue records each object schema's property order under
:data:`PROPERTY_ORDER` when it loads a form schema, and forms follow it (JSON Schema validators
ignore the keyword).
"""

from __future__ import annotations

PROPERTY_ORDER = "x-property-order"


def ordered_properties(schema: dict) -> list[tuple[str, dict]]:
    """An object schema's properties in the order of the catalogue file."""
    properties = schema.get("properties", {})
    order = [key for key in schema.get(PROPERTY_ORDER, ()) if key in properties]
    return [(key, properties[key]) for key in [*order, *(k for k in properties if k not in order)]]


def with_property_order(schema):
    """``schema`` with :data:`PROPERTY_ORDER` added to every object schema (for storing)."""
    if isinstance(schema, list):
        return [with_property_order(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ordered = {key: with_property_order(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict):
        ordered["properties"] = {
            key: with_property_order(value) for key, value in schema["properties"].items()
        }
        ordered[PROPERTY_ORDER] = list(schema["properties"])
    return ordered
