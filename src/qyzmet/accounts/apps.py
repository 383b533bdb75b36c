from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qyzmet.accounts"
    label = "accounts"
