from django.apps import AppConfig


class MobileSignConfig(AppConfig):
    name = "qyzmet.mobilesign"
    label = "mobilesign"
    verbose_name = "eGov mobile QR signing"
