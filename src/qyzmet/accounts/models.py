from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who does what (regulation p.7): the clerk registers paper applications, the executor
    registers portal ones, checks and prepares, the head assigns and signs."""

    CLERK = "clerk", _("Сотрудник канцелярии")
    EXECUTOR = "executor", _("Исполнитель")
    HEAD = "head", _("Руководитель")
    ADMINISTRATOR = "administrator", _("Администратор")
    APPLICANT = "applicant", _("Услугополучатель")


STAFF_ROLES = frozenset({Role.CLERK, Role.EXECUTOR, Role.HEAD, Role.ADMINISTRATOR})


class User(AbstractUser):
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices, db_index=True)
    # Staff: the IIN in the person's own EDS certificate (the head's signature is matched
    # against it). Applicants: the login is the IIN or BIN they signed up with.
    iin = models.CharField(_("ИИН"), max_length=12, blank=True, db_index=True)
    bin = models.CharField(_("БИН"), max_length=12, blank=True, db_index=True)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return name or self.username
