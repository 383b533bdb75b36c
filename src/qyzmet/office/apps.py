from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "qyzmet.office"
    label = "office"
