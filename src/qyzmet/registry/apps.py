from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "qyzmet.registry"
    label = "registry"
    verbose_name = "E-gov gateway (GBD FL/UL)"

    def ready(self) -> None:
        from . import refusals  # noqa: F401  (registers the refusal codes)
