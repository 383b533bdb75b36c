"""Settings of the staff desk; each has a default and a ``QYZMET_OFFICE_<NAME>`` override."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, f"QYZMET_OFFICE_{name}", default)


def inbox_page_size() -> int:
    return int(_get("INBOX_PAGE_SIZE", 25))


def dashboard_default_days() -> int:
    """The dashboard's default period: the last N days."""
    return int(_get("DASHBOARD_DEFAULT_DAYS", 30))
