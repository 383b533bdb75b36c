from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CalendarConfig(AppConfig):
    name = "qyzmet.calendar"
    label = "calendar"
    verbose_name = gettext_lazy("Календарь рабочего времени")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connect the cache invalidation)
