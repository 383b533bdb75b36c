from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "qyzmet.calendar"
    label = "calendar"
