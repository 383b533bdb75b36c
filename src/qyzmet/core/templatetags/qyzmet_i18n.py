"""``{% js_catalogue_url %}``: the address of the JavaScript's texts in the page's language."""

from django import template

from ..jsi18n import catalogue_url

register = template.Library()


@register.simple_tag
def js_catalogue_url() -> str:
    return catalogue_url()
