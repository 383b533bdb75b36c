"""Template helpers of the staff desk: interface texts and catalogue texts in the page's
language, and the display of norms and audit entries."""

from django import template

from qyzmet.catalog.definitions import localized_text

from ..texts import text

register = template.Library()


@register.simple_tag
def t(key: str, **params) -> str:
    return text(key, **params)


register.filter("loc", localized_text)


@register.filter
def norm_text(norm: dict) -> str:
    """A task's norm as the catalogue stated it ({"kind", "value", "from"})."""
    if not norm:
        return ""
    kind = norm.get("kind", "")
    if kind == "same_working_day":
        return text("norm_same_working_day")
    if kind in ("working_minutes", "working_days"):
        return text(f"norm_{kind}", n=norm.get("value", 0))
    return kind


@register.filter
def percent(share) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


@register.filter
def step_name(code: str) -> str:
    return text(f"step_{code}")


@register.filter
def task_outcome(code: str) -> str:
    """What a finished step came to, by name (a code the catalogue of texts lacks: as is)."""
    from ..texts import TEXTS

    key = f"task_outcome_{code}"
    return text(key) if key in TEXTS else code


@register.filter
def status_name(code: str) -> str:
    return text(f"status_{code}")


@register.filter
def channel_name(code: str) -> str:
    return text(f"channel_{code}")


@register.filter
def role_name(code: str) -> str:
    return text(f"role_{code}")
