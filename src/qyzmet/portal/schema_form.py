"""The schema-driven form lives in ``qyzmet.core.schema_form`` (shared with the office).

Only ``portal.queries`` still imports it from here; drop this module once it imports from core.
"""

from qyzmet.core.schema_form import build_fields

__all__ = ["build_fields"]
