from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "qyzmet.results"
    label = "results"
