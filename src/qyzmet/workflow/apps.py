from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "qyzmet.workflow"
    label = "workflow"
