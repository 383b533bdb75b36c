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


@register.simple_tag(takes_context=True)
def helpline(context) -> str:
    """The helpline of the service shown (its catalogue entry), else the setting
    ``QYZMET_HELPLINE`` (default 1414)."""
    from django.conf import settings

    version = shown_version(context)
    return version.helpline if version is not None else settings.QYZMET_HELPLINE


def shown_version(context):
    """The service version a page is about: the form's, the passport's or the case's."""
    if context.get("version") is not None:
        return context["version"]
    passport = context.get("p")
    if isinstance(passport, dict) and passport.get("v") is not None:
        return passport["v"]
    case = context.get("case")
    return case.application.service_version if case is not None else None


@register.simple_tag(takes_context=True)
def footer_basis(context) -> str:
    """The legal basis of the service shown; the generic line on other pages."""
    version = shown_version(context)
    return service_basis(version) if version is not None else text("footer_basis")


def _day(value) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


@register.simple_tag
def service_basis(version) -> str:
    """The footer's line for a page of one service: the acts of its regulation (the
    regulation and its amendments in force for this version), from the catalogue."""
    acts = [
        b
        for b in version.definition.get("legal_basis", ())
        if b.get("role") in ("regulation", "amendment")
    ]
    parts = []
    for act in acts:
        day = _day(act["date"])
        parts.append(
            f"{basis_role(act['role'])}: {localized_text(act['issuer'])}, "
            f"{text('act_number', number=act['number'], date=day)}"
        )
    return text("footer_service_basis", acts="; ".join(parts))
