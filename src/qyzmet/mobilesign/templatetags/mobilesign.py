"""``{% mt "key" %}``: the eGov mobile panel's texts in the page's language."""

from django import template

from ..texts import text

register = template.Library()


@register.simple_tag
def mt(key: str) -> str:
    return text(key)
