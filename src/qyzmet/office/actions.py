"""Writes of the staff desk itself: log-in and log-out of the provider's staff (regulation
p.10 "через услугодателя", процесс 1–2, условие 1), and the gateway lookup of the applicant
(процесс 4–5) whose exchange the registry logs.

Everything that changes a case goes through ``qyzmet.cases.actions`` and
``qyzmet.workflow.actions``; the views only call them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from qyzmet.accounts import actions as accounts
from qyzmet.accounts.models import STAFF_ROLES, Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.cases.models import ApplicantKind
from qyzmet.core.identifiers import normalize
from qyzmet.core.refusals import Refused, register

register(
    "office_login_refused",
    gettext_lazy("Отказ в авторизации: неверный логин или пароль сотрудника услугодателя."),
)
register(
    "office_staff_only",
    gettext_lazy(
        "Отказ в авторизации: вход в «Е-лицензирование» разрешён только сотрудникам услугодателя."
    ),
)
register(
    "admin_staff_only",
    gettext_lazy(
        "Отказ в авторизации: вход в панель администрирования разрешён только администраторам."
    ),
)
register(
    "office_account_disabled",
    gettext_lazy("Отказ в авторизации: учётная запись сотрудника заблокирована."),
)
register(
    "office_gbd_no_data",
    gettext_lazy(
        "Невозможно получить данные: сведения об услугополучателе с {identifier} отсутствуют в {source}. Проверьте номер, повторите запрос или введите данные вручную с указанием причины."
    ),
)
register(
    "office_applicant_kind",
    gettext_lazy("Выберите вид услугополучателя: физическое или юридическое лицо."),
)
register(
    "office_signature_missing",
    gettext_lazy("Подпись не получена. Выберите файл ключа, введите пароль и подпишите снова."),
)

User = get_user_model()


def log_in_staff(username: str, password: str, ip: str, *, site: str = "office"):
    """Condition 1 for the provider's staff: login and password. Refusals (процесс 2) say
    «отказ в авторизации» without telling whether the login exists (the same text and the
    same work for an unknown login as for a wrong password); after too many failures for the
    login, or from the address, further attempts are refused unchecked
    (``login_rate_limited``, :class:`~qyzmet.accounts.actions.LoginThrottle`).

    ``site="admin"``: the Django admin's log-in (``qyzmet.core.admin_site``) — the same
    counter (one password, one count of guesses), the same audit; it admits active accounts
    marked ``is_staff`` (the administrators), whatever their role."""
    username = (username or "").strip()[:150]
    throttle = accounts.LoginThrottle("office", username.lower(), ip)
    throttle.check()
    user = User.objects.filter(username__iexact=username).first() if username else None
    code = None
    if not accounts.check_password_evenly(user, password):
        code = "office_login_refused"
    elif site == "admin" and not (user.is_staff and user.is_active):
        code = "admin_staff_only"
    elif site != "admin" and user.role not in STAFF_ROLES:
        code = "office_staff_only"
    elif not user.is_active:
        code = "office_account_disabled"
    if code is not None:
        throttle.record_failure(code, login=username)
        raise Refused(code)
    throttle.record_success(user, "admin_password" if site == "admin" else "office_password")
    return user


def record_log_out(user, ip: str) -> None:
    audit.record_standalone(user, "office.logout", obj=user, after={"ip": ip})


@dataclass(frozen=True)
class LookupResult:
    """The applicant as GBD FL/UL gave it, ready to fill the intake form and to be kept with
    the application as ``applicant_details``."""

    kind: str
    identifier: str
    name: str
    details: dict


def lookup_applicant(actor, kind: str, identifier: str) -> LookupResult:
    """Process 4: ask GBD FL (IIN) or GBD UL (BIN) through the e-government gateway.
    Condition 2 fails → process 5 (``office_gbd_no_data``); the gateway's own refusals
    (``gateway_unavailable``, ``gateway_bad_signature``, …) pass through unchanged."""
    from qyzmet.registry.service import gateway_client

    require_role(actor, Role.CLERK)
    identifier = normalize(identifier or "")
    client = gateway_client()
    if kind == ApplicantKind.INDIVIDUAL:
        record = client.lookup_person(identifier, actor=actor)
        if record is None:
            raise Refused(
                "office_gbd_no_data",
                {
                    "identifier": format_lazy("{} {}", gettext_lazy("ИИН"), identifier),
                    "source": gettext_lazy("ГБД ФЛ"),
                },
            )
        return LookupResult(kind, record.iin, record.display_name, record.details())
    if kind == ApplicantKind.LEGAL_ENTITY:
        record = client.lookup_organization(identifier, actor=actor)
        if record is None:
            raise Refused(
                "office_gbd_no_data",
                {
                    "identifier": format_lazy("{} {}", gettext_lazy("БИН"), identifier),
                    "source": gettext_lazy("ГБД ЮЛ"),
                },
            )
        return LookupResult(kind, record.bin, record.display_name, record.details())
    raise Refused("office_applicant_kind", field_name="applicant_kind")
