from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo tooling as an app only so that its commands (``demo``, ``ncalayer-simulator``,
    ``egov-mobile-simulator``) are found; it has no models and no views."""

    name = "qyzmet.demo"
    label = "demo"
