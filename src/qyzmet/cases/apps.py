from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "qyzmet.cases"
    label = "cases"
