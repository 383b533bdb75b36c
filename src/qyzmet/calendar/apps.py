from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "qyzmet.calendar"
    label = "calendar"
    verbose_name = "Календарь рабочего времени"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connect the cache invalidation)
