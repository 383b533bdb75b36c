"""Template helpers of the schema-driven form (``core/_field.html``)."""

from django import template

from qyzmet.catalog.schema_form import control_text

register = template.Library()


@register.simple_tag
def control(key: str, **params) -> str:
    """A text of the form's own controls (add/remove a row, "choose") in the page's language."""
    return control_text(key, **params)
