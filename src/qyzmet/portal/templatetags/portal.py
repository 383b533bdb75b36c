"""Template helpers of the portal: interface texts and catalogue texts in the page's language."""

from django import template
from django.utils import translation

from qyzmet.catalog.definitions import pick_language

from ..texts import text

register = template.Library()


@register.simple_tag
def t(key: str, **params) -> str:
    return text(key, **params)


@register.simple_tag
def basis_role(role: str) -> str:
    """The kind of a legal act in the passport's legal basis (regulation, amendment, repeal…)."""
    from ..texts import TEXTS

    key = f"basis_{role}"
    return text(key) if key in TEXTS else role


@register.filter
def loc(value) -> str:
    """A catalogue text ({"ru":…, "kk":…, "en":…} or a Localized) in the page's language."""
    if value is None:
        return ""
    if hasattr(value, "text"):
        return value.text(translation.get_language())
    if isinstance(value, dict):
        return pick_language(value)
    return str(value)
