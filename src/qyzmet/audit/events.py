"""The audit events: a closed set. Every action writes exactly its event (``audit.record``
refuses any other name), and the audit views show each by its label in the page's language.

Adding an action that changes state means adding its event here, with its ru/kk/en label.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import translate


class Event(StrEnum):
    """An audit event: the stored code (``app.action``) with its label, a Russian msgid marked
    with ``gettext_lazy`` (docs/i18n.md); ``(code, ru, kk, en)`` until the converter runs."""

    def __new__(cls, code: str, label, kk: str | None = None, en: str | None = None):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = (label, kk, en) if kk is not None else label
        return member

    def text(self, language: str | None = None) -> str:
        """The label in ``language`` (default: the active one)."""
        return translate(self.label, language)

    # accounts
    # No longer recorded (anyone may ask for a challenge: issue 12, finding 7); kept so that
    # the records written before still have their label.
    ACCOUNTS_ISSUE_CHALLENGE = (
        "accounts.issue_challenge",
        gettext_lazy("Выдан вызов для входа по ЭЦП"),
    )
    ACCOUNTS_SIGN_UP = ("accounts.sign_up", gettext_lazy("Заявитель зарегистрирован по ЭЦП"))
    ACCOUNTS_MIGRATE_LOGIN = (
        "accounts.migrate_login",
        gettext_lazy("Учётная запись юрлица стала учётной записью представителя (ИИН@БИН)"),
    )
    ACCOUNTS_LOGIN = ("accounts.login", gettext_lazy("Вход в систему"))
    ACCOUNTS_LOGIN_REFUSED = ("accounts.login_refused", gettext_lazy("Отказ во входе"))
    ACCOUNTS_SET_PASSWORD = ("accounts.set_password", gettext_lazy("Пароль установлен"))
    ACCOUNTS_CHANGE_PASSWORD = (
        "accounts.change_password",
        gettext_lazy("Пароль изменён (с текущим паролем)"),
    )
    ACCOUNTS_UPDATE_EMAIL = ("accounts.update_email", gettext_lazy("Адрес для уведомлений изменён"))
    OFFICE_LOGOUT = ("office.logout", gettext_lazy("Выход из системы"))
    # api
    API_TOKEN_ISSUED = ("api.token_issued", gettext_lazy("Выдан токен API"))
    API_TOKEN_REVOKED = ("api.token_revoked", gettext_lazy("Токен API отозван"))
    # admin (every change made in the Django admin, with the fields before and after)
    ADMIN_ADD = ("admin.add", gettext_lazy("Запись создана в админке"))
    ADMIN_CHANGE = ("admin.change", gettext_lazy("Запись изменена в админке"))
    ADMIN_DELETE = ("admin.delete", gettext_lazy("Запись удалена в админке"))
    ADMIN_SET_PASSWORD = ("admin.set_password", gettext_lazy("Пароль изменён в админке"))
    # catalog
    CATALOG_VERSION_CREATED = (
        "catalog.version_created",
        gettext_lazy("Версия регламента загружена"),
    )
    CATALOG_VERSION_UPDATED = (
        "catalog.version_updated",
        gettext_lazy("Версия регламента обновлена"),
    )
    # calendar
    CALENDAR_OVERRIDE_SAVED = (
        "calendar.override_saved",
        gettext_lazy("День производственного календаря изменён"),
    )
    CALENDAR_OVERRIDE_DELETED = (
        "calendar.override_deleted",
        gettext_lazy("Изменение дня календаря удалено"),
    )
    # cases
    CASES_REGISTER_PAPER = (
        "cases.register_paper",
        gettext_lazy("Зарегистрировано заявление на бумаге"),
    )
    CASES_REFUSE_INTAKE = ("cases.refuse_intake", gettext_lazy("Отказ в приёме документов"))
    CASES_CREATE_DRAFT = ("cases.create_draft", gettext_lazy("Создан черновик заявления"))
    CASES_SAVE_DRAFT = ("cases.save_draft", gettext_lazy("Черновик сохранён"))
    CASES_STATUS_MAIL_FAILED = (
        "cases.status_mail_failed",
        gettext_lazy("Письмо заявителю о статусе не доставлено"),
    )
    CASES_STATUS_MAIL_RESENT = (
        "cases.status_mail_resent",
        gettext_lazy("Письмо заявителю о статусе отправлено повторно"),
    )
    CASES_ADD_DRAFT_ATTACHMENT = (
        "cases.add_draft_attachment",
        gettext_lazy("Файл приложен к черновику"),
    )
    CASES_REMOVE_DRAFT_ATTACHMENT = (
        "cases.remove_draft_attachment",
        gettext_lazy("Файл удалён из черновика"),
    )
    CASES_DELETE_DRAFT = ("cases.delete_draft", gettext_lazy("Черновик удалён заявителем"))
    CASES_SUBMIT_PORTAL = (
        "cases.submit_portal",
        gettext_lazy("Подписанное заявление зарегистрировано (портал)"),
    )
    CASES_ADD_ATTACHMENT = ("cases.add_attachment", gettext_lazy("Файл приложен к делу"))
    CASES_MOVE_DRAFT_VERSION = (
        "cases.move_draft_version",
        gettext_lazy("Черновик переведён на действующую версию регламента"),
    )
    # registry
    REGISTRY_EXCHANGE_ATTACHED = (
        "registry.exchange_attached",
        gettext_lazy("Запрос в ГБД привязан к делу"),
    )
    # workflow
    WORKFLOW_ASSIGN = ("workflow.assign", gettext_lazy("Назначен исполнитель"))
    WORKFLOW_REASSIGN = ("workflow.reassign", gettext_lazy("Исполнитель заменён"))
    WORKFLOW_CHECK = ("workflow.check", gettext_lazy("Проверена полнота документов"))
    WORKFLOW_PREPARE = ("workflow.prepare", gettext_lazy("Подготовлен проект решения"))
    WORKFLOW_RETURN = ("workflow.return", gettext_lazy("Проект решения возвращён"))
    WORKFLOW_SIGN = ("workflow.sign", gettext_lazy("Решение подписано руководителем"))
    WORKFLOW_HANDOVER = ("workflow.handover", gettext_lazy("Результат выдан на руки"))
    WORKFLOW_OVERDUE = ("workflow.overdue", gettext_lazy("Срок этапа истёк"))
    # results
    RESULTS_PREPARE = (
        "results.prepare",
        gettext_lazy("Документ результата подготовлен к подписи руководителем"),
    )
    RESULTS_ISSUE = ("results.issue", gettext_lazy("Выдан подписанный результат"))
    RESULTS_REVOKE = ("results.revoke", gettext_lazy("Выходной документ отозван"))
    RESULTS_RESTAMP = (
        "results.restamp",
        gettext_lazy("Выходной документ заверен новой меткой времени (долгосрочная проверка)"),
    )

    # mobilesign (eGov mobile QR signing)
    MOBILESIGN_START = (
        "mobilesign.start",
        gettext_lazy("Показан QR-код для подписи в eGov mobile"),
    )
    MOBILESIGN_SERVE_API1 = (
        "mobilesign.serve_api1",
        gettext_lazy("eGov mobile запросил описание подписи"),
    )
    MOBILESIGN_SERVE_API2 = (
        "mobilesign.serve_api2",
        gettext_lazy("eGov mobile получил документ для подписи"),
    )
    MOBILESIGN_ACCEPT = ("mobilesign.accept", gettext_lazy("Подпись из eGov mobile принята"))
    MOBILESIGN_REFUSE = ("mobilesign.refuse", gettext_lazy("Подпись из eGov mobile отклонена"))
    MOBILESIGN_COMPLETE = (
        "mobilesign.complete",
        gettext_lazy("Регистрация или вход по подписи из eGov mobile завершены"),
    )


def event_of(code: str) -> Event | None:
    """The event stored under ``code``; None for a code not (or no longer) in the set."""
    try:
        return Event(code)
    except ValueError:
        return None
