"""The Government's transfers of days off, as data an administrator can edit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import DAY_OFF, WORKING


class OverrideKind(models.TextChoices):
    WORKING = WORKING, _("рабочий день (перенесённый выходной)")
    DAY_OFF = DAY_OFF, _("выходной день (перенесённый день отдыха)")


class DayOverride(models.Model):
    """One date whose status a Government decree changes, on top of the `holidays` calendar.

    ``working`` beats a weekend or a holiday (the Saturday worked in exchange for a day off);
    ``day_off`` makes a weekday a day off (the other half of a transfer, where `holidays` lacks
    it). See seed.py for what is seeded and why.
    """

    date = models.DateField(_("дата"), unique=True)
    kind = models.CharField(_("вид"), max_length=16, choices=OverrideKind.choices)
    basis = models.TextField(_("основание (постановление, номер, дата)"))
    assumed = models.BooleanField(
        _("не подтверждено"),
        default=False,
        help_text=_("Отметьте, если текст постановления не проверен по первоисточнику."),
    )
    note = models.TextField(_("примечание"), blank=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("перенос дня отдыха")
        verbose_name_plural = _("переносы дней отдыха")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[WORKING, DAY_OFF]),
                name="calendar_dayoverride_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"
