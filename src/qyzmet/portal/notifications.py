"""E-mail to the applicant when their portal application is registered, refused or issued
(p.11): its texts in three languages, sent by a task worker (``tasks.send_status_mail``). The
actions that change the status queue it in their transaction (``qyzmet.cases.notify``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext_lazy

from qyzmet.cases.models import Status
from qyzmet.core.i18n import translate

SUBJECTS = {
    Status.REGISTERED: gettext_lazy("Заявление {number} зарегистрировано"),
    Status.REFUSED: gettext_lazy("По заявлению {number} принят мотивированный отказ"),
    Status.ISSUED: gettext_lazy("Результат по заявлению {number} готов"),
}


def _body(application, status: str) -> str:
    from .queries import case_view

    lines = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            view = case_view(application)
            lines.append(translate(SUBJECTS[status], number=application.registration_number))
            lines.append(view.title)
            lines.append(view.status_text)
            lines += [f"- {reason}" for reason in view.refusal_reasons]
            lines.append("")
    return "\n".join(lines)


def _message(application_id: int, status: str):
    from qyzmet.cases.models import Application

    application = (
        Application.objects.select_related("applicant_user", "service_version")
        .filter(pk=application_id)
        .first()
    )
    user = application and application.applicant_user
    if user is None or not user.email:
        return None
    subject = translate(
        SUBJECTS[status], settings.LANGUAGE_CODE, number=application.registration_number
    )
    return EmailMessage(subject, _body(application, status), None, [user.email])


def compose_status_mail(mail):
    """The message of a ``cases.StatusMail`` (None: the applicant has no e-mail address)."""
    return _message(mail.application_id, mail.status)


def send_status_mail(application_id: int, status: str) -> bool:
    """Mail the applicant about ``status`` of their application now (no e-mail on file: no
    mail, False). A mail server's failure raises: the task's delivery retries it."""
    message = _message(application_id, status)
    if message is None:
        return False
    message.send()
    return True
