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


@register.simple_tag
def provider_name() -> str:
    """The installation's provider (``QYZMET_PROVIDER_CODE``) by its catalogue name."""
    from django.conf import settings

    from qyzmet.catalog.queries import provider_name as catalogue_name

    name = catalogue_name(settings.QYZMET_PROVIDER_CODE)
    return localized_text(name) if name else ""


@register.filter
def working_left(left) -> str:
    """A ``workflow.queries.WorkingTimeLeft`` as "осталось 2 раб. дн. 3 ч" or "просрочено на
    45 мин": working days of the schedule, hours and minutes (minutes only under a day)."""
    if left is None:
        return ""
    days, hours, minutes = left.parts
    if left.overdue and not left.minutes:
        return text("overdue")  # past due by the clock, no working minute yet (lunch, night)
    parts = []
    if days:
        parts.append(text("working_days_short", n=days))
    if hours:
        parts.append(text("hours_short", n=hours))
    if minutes and not days or not parts:
        parts.append(text("minutes_short", n=minutes))
    return text("overdue_by" if left.overdue else "left", time=" ".join(parts))


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
