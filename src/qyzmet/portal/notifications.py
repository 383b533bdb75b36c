"""E-mail to the applicant when their portal application is registered, refused or issued
(p.11): its texts in three languages, sent by a task worker (``tasks.send_status_mail``). The
actions that change the status queue it in their transaction (``qyzmet.cases.notify``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from qyzmet.cases.models import Status
from qyzmet.core.i18n import translate

logger = logging.getLogger(__name__)

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


def send_status_mail(application_id: int, status: str) -> bool:
    """Mail the applicant about ``status`` of their application (no e-mail on file: no mail)."""
    from qyzmet.cases.models import Application

    application = (
        Application.objects.select_related("applicant_user", "service_version")
        .filter(pk=application_id)
        .first()
    )
    user = application and application.applicant_user
    if user is None or not user.email:
        return False
    subject = translate(
        SUBJECTS[status], settings.LANGUAGE_CODE, number=application.registration_number
    )
    try:
        send_mail(subject, _body(application, status), None, [user.email])
    except Exception:  # a mail server's failure must not surface in the applicant's request
        logger.exception("notification mail for application %s failed", application_id)
        return False
    return True
