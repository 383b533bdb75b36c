"""``{% load catalog_texts %}``: the words of the appendices' pages (``{% ct "key" %}``) and
the ``loc`` filter for catalogue texts, for templates shared by the portal and the desk."""

from django import template

from qyzmet.catalog.definitions import localized_text
from qyzmet.catalog.texts import text

register = template.Library()
register.filter("loc", localized_text)


@register.simple_tag
def ct(key: str, **params) -> str:
    value = text(key)
    return value.format(**params) if params else value
