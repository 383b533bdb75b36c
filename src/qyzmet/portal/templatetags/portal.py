"""Template helpers of the portal: interface texts and catalogue texts in the page's language."""

from django import template

from qyzmet.catalog.definitions import localized_text

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


register.filter("loc", localized_text)
