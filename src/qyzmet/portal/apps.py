from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qyzmet.portal"
    label = "portal"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the status-change notifications)
