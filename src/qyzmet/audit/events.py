"""The audit events: a closed set. Every action writes exactly its event (``audit.record``
refuses any other name), and the audit views show each by its label in the page's language.

Adding an action that changes state means adding its event here, with its ru/kk/en label.
"""

from __future__ import annotations

from enum import StrEnum

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
    ACCOUNTS_ISSUE_CHALLENGE = (
        "accounts.issue_challenge",
        "Выдан вызов для входа по ЭЦП",
        "ЭЦҚ арқылы кіруге сынақ берілді",
        "EDS sign-in challenge issued",
    )
    ACCOUNTS_SIGN_UP = (
        "accounts.sign_up",
        "Заявитель зарегистрирован по ЭЦП",
        "Өтініш беруші ЭЦҚ арқылы тіркелді",
        "Applicant signed up with EDS",
    )
    ACCOUNTS_LOGIN = ("accounts.login", "Вход в систему", "Жүйеге кіру", "Signed in")
    ACCOUNTS_LOGIN_REFUSED = (
        "accounts.login_refused",
        "Отказ во входе",
        "Кіруден бас тарту",
        "Sign-in refused",
    )
    ACCOUNTS_SET_PASSWORD = (
        "accounts.set_password",
        "Пароль установлен",
        "Құпиясөз орнатылды",
        "Password set",
    )
    ACCOUNTS_UPDATE_EMAIL = (
        "accounts.update_email",
        "Адрес для уведомлений изменён",
        "Хабарламалар мекенжайы өзгертілді",
        "Notification address changed",
    )
    OFFICE_LOGOUT = ("office.logout", "Выход из системы", "Жүйеден шығу", "Signed out")
    # api
    API_TOKEN_ISSUED = (
        "api.token_issued",
        "Выдан токен API",
        "API токені берілді",
        "API token issued",
    )
    API_TOKEN_REVOKED = (
        "api.token_revoked",
        "Токен API отозван",
        "API токені кері қайтарылды",
        "API token revoked",
    )
    # admin (every change made in the Django admin, with the fields before and after)
    ADMIN_ADD = (
        "admin.add",
        "Запись создана в админке",
        "Әкімшілік бөлімде жазба құрылды",
        "Record added in the admin",
    )
    ADMIN_CHANGE = (
        "admin.change",
        "Запись изменена в админке",
        "Әкімшілік бөлімде жазба өзгертілді",
        "Record changed in the admin",
    )
    ADMIN_DELETE = (
        "admin.delete",
        "Запись удалена в админке",
        "Әкімшілік бөлімде жазба жойылды",
        "Record deleted in the admin",
    )
    ADMIN_SET_PASSWORD = (
        "admin.set_password",
        "Пароль изменён в админке",
        "Әкімшілік бөлімде құпиясөз өзгертілді",
        "Password changed in the admin",
    )
    # catalog
    CATALOG_VERSION_CREATED = (
        "catalog.version_created",
        "Версия регламента загружена",
        "Регламент нұсқасы жүктелді",
        "Catalogue version loaded",
    )
    CATALOG_VERSION_UPDATED = (
        "catalog.version_updated",
        "Версия регламента обновлена",
        "Регламент нұсқасы жаңартылды",
        "Catalogue version updated",
    )
    # calendar
    CALENDAR_OVERRIDE_SAVED = (
        "calendar.override_saved",
        "День производственного календаря изменён",
        "Өндірістік күнтізбе күні өзгертілді",
        "Working-calendar day set",
    )
    CALENDAR_OVERRIDE_DELETED = (
        "calendar.override_deleted",
        "Изменение дня календаря удалено",
        "Күнтізбе күнінің өзгерісі жойылды",
        "Working-calendar day reset",
    )
    # cases
    CASES_REGISTER_PAPER = (
        "cases.register_paper",
        "Зарегистрировано заявление на бумаге",
        "Қағаз түріндегі өтініш тіркелді",
        "Paper application registered",
    )
    CASES_REFUSE_INTAKE = (
        "cases.refuse_intake",
        "Отказ в приёме документов",
        "Құжаттарды қабылдаудан бас тарту",
        "Intake refused",
    )
    CASES_CREATE_DRAFT = (
        "cases.create_draft",
        "Создан черновик заявления",
        "Өтініш жобасы құрылды",
        "Draft created",
    )
    CASES_SAVE_DRAFT = ("cases.save_draft", "Черновик сохранён", "Жоба сақталды", "Draft saved")
    CASES_ADD_DRAFT_ATTACHMENT = (
        "cases.add_draft_attachment",
        "Файл приложен к черновику",
        "Жобаға файл тіркелді",
        "File attached to the draft",
    )
    CASES_REMOVE_DRAFT_ATTACHMENT = (
        "cases.remove_draft_attachment",
        "Файл удалён из черновика",
        "Жобадан файл жойылды",
        "File removed from the draft",
    )
    CASES_SUBMIT_PORTAL = (
        "cases.submit_portal",
        "Подписанное заявление зарегистрировано (портал)",
        "Қол қойылған өтініш тіркелді (портал)",
        "Signed application registered (portal)",
    )
    CASES_ADD_ATTACHMENT = (
        "cases.add_attachment",
        "Файл приложен к делу",
        "Іске файл тіркелді",
        "File attached to the case",
    )
    CASES_MOVE_DRAFT_VERSION = (
        "cases.move_draft_version",
        "Черновик переведён на действующую версию регламента",
        "Жоба регламенттің қолданыстағы нұсқасына ауыстырылды",
        "Draft moved to the version in force",
    )
    # registry
    REGISTRY_EXCHANGE_ATTACHED = (
        "registry.exchange_attached",
        "Запрос в ГБД привязан к делу",
        "МДБ-ға сұрау іске байланыстырылды",
        "Registry lookup linked to the case",
    )
    # workflow
    WORKFLOW_ASSIGN = (
        "workflow.assign",
        "Назначен исполнитель",
        "Орындаушы тағайындалды",
        "Executor assigned",
    )
    WORKFLOW_REASSIGN = (
        "workflow.reassign",
        "Исполнитель заменён",
        "Орындаушы ауыстырылды",
        "Executor reassigned",
    )
    WORKFLOW_CHECK = (
        "workflow.check",
        "Проверена полнота документов",
        "Құжаттардың толықтығы тексерілді",
        "Completeness checked",
    )
    WORKFLOW_PREPARE = (
        "workflow.prepare",
        "Подготовлен проект решения",
        "Шешім жобасы дайындалды",
        "Decision prepared",
    )
    WORKFLOW_RETURN = (
        "workflow.return",
        "Проект решения возвращён",
        "Шешім жобасы қайтарылды",
        "Decision returned",
    )
    WORKFLOW_SIGN = (
        "workflow.sign",
        "Решение подписано руководителем",
        "Шешімге басшы қол қойды",
        "Decision signed by the head",
    )
    WORKFLOW_HANDOVER = (
        "workflow.handover",
        "Результат выдан на руки",
        "Нәтиже қолға берілді",
        "Result handed over",
    )
    WORKFLOW_OVERDUE = (
        "workflow.overdue",
        "Срок этапа истёк",
        "Кезең мерзімі өтті",
        "Step overdue",
    )
    # results
    RESULTS_ISSUE = (
        "results.issue",
        "Выдан подписанный результат",
        "Қол қойылған нәтиже берілді",
        "Signed result issued",
    )
    RESULTS_REVOKE = (
        "results.revoke",
        "Выходной документ отозван",
        "Шығыс құжат кері қайтарылды",
        "Result document revoked",
    )

    # mobilesign (eGov mobile QR signing)
    MOBILESIGN_START = (
        "mobilesign.start",
        "Показан QR-код для подписи в eGov mobile",
        "eGov mobile арқылы қол қоюға QR-код көрсетілді",
        "eGov mobile signing QR code shown",
    )
    MOBILESIGN_SERVE_API1 = (
        "mobilesign.serve_api1",
        "eGov mobile запросил описание подписи",
        "eGov mobile қол қою сипаттамасын сұрады",
        "eGov mobile fetched the signing description",
    )
    MOBILESIGN_SERVE_API2 = (
        "mobilesign.serve_api2",
        "eGov mobile получил документ для подписи",
        "eGov mobile қол қоюға құжатты алды",
        "eGov mobile fetched the document to sign",
    )
    MOBILESIGN_ACCEPT = (
        "mobilesign.accept",
        "Подпись из eGov mobile принята",
        "eGov mobile қолтаңбасы қабылданды",
        "eGov mobile signature accepted",
    )
    MOBILESIGN_REFUSE = (
        "mobilesign.refuse",
        "Подпись из eGov mobile отклонена",
        "eGov mobile қолтаңбасы қабылданбады",
        "eGov mobile signature refused",
    )
    MOBILESIGN_COMPLETE = (
        "mobilesign.complete",
        "Регистрация или вход по подписи из eGov mobile завершены",
        "eGov mobile қолтаңбасы бойынша тіркелу немесе кіру аяқталды",
        "Sign-up or log-in by an eGov mobile signature completed",
    )


def event_of(code: str) -> Event | None:
    """The event stored under ``code``; None for a code not (or no longer) in the set."""
    try:
        return Event(code)
    except ValueError:
        return None
