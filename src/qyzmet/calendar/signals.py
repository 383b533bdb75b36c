"""Keep the cached calendar in step with the DayOverride table and the settings."""

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import conf
from .models import DayOverride
from .working_time import invalidate_calendar_cache


@receiver(setting_changed, dispatch_uid="calendar_settings_changed")
def _forget_settings(*, setting: str, **kwargs) -> None:
    if setting.startswith("QYZMET_CALENDAR_"):
        conf.forget()
        invalidate_calendar_cache()


@receiver(post_save, sender=DayOverride, dispatch_uid="calendar_override_saved")
@receiver(post_delete, sender=DayOverride, dispatch_uid="calendar_override_deleted")
def _overrides_changed(**kwargs) -> None:
    invalidate_calendar_cache()
    # Again after commit: a reader in another thread may have cached the old rows meanwhile.
    transaction.on_commit(invalidate_calendar_cache)
