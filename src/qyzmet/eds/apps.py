from django.apps import AppConfig


class EdsConfig(AppConfig):
    name = "qyzmet.eds"
    label = "eds"
