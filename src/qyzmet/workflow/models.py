"""The process engine's state: one row per step of a case (DESIGN.md, principle 2).

Inboxes, overdue lists and SLA statistics are plain indexed queries over this table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    """Step codes of regulation p.5 / p.8; the catalogue gives each its role and norm."""

    REGISTER = "register", _("регистрация заявления")
    ASSIGN = "assign", _("выбор ответственного исполнителя")
    CHECK = "check", _("проверка полноты документов")
    PREPARE = "prepare", _("подготовка результата")
    SIGN = "sign", _("подписание результата руководителем")
    HANDOVER = "handover", _("выдача результата на бумажном носителе")


class TaskState(models.TextChoices):
    OPEN = "open", _("в работе")
    DONE = "done", _("выполнено")
    CANCELLED = "cancelled", _("отменено")


class Task(models.Model):
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="tasks"
    )
    # The case's service and channel, copied when the task is created (``engine._new_task``,
    # the one place tasks are made): they never change after registration, and the dashboard
    # counts open tasks per service and channel from this table alone (issue 13, item 12).
    service_code = models.CharField(max_length=64)
    channel = models.CharField(max_length=8)
    step = models.CharField(max_length=12, choices=Step.choices)
    role = models.CharField(max_length=16)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # The norm the due time came from, as the catalogue stated it (kept for the timeline).
    norm = models.JSONField(default=dict)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)
    # Set by the periodic sweep when an open task passes its due time (for notifications and
    # reports); "is it overdue now" is always computed from due_at.
    overdue = models.BooleanField(default=False)
    met_norm = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("задача")
        verbose_name_plural = _("задачи")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step"],
                condition=Q(state="open"),
                name="one_open_task_per_step",
            )
        ]
        indexes = [
            # Inboxes: open tasks of a person / of a role, by due time.
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(state="open"),
                name="task_open_assignee_idx",
            ),
            models.Index(
                fields=["role", "due_at"],
                condition=Q(state="open", assignee__isnull=True),
                name="task_open_role_idx",
            ),
            # The same filtered by step (the inbox's step filter): without it PostgreSQL reads
            # the open tasks of the step and drops those of other roles (25 ms at 1M cases).
            models.Index(
                fields=["role", "step", "due_at"],
                condition=Q(state="open", assignee__isnull=True),
                name="task_open_role_step_idx",
            ),
            # Dashboard: counts per step; overdue sweep.
            models.Index(
                fields=["step", "due_at"], condition=Q(state="open"), name="task_open_step_idx"
            ),
            # The dashboard's lists of open tasks (every role's: overdue, due today, all), by
            # due time: one index range scan up to the page's end.
            models.Index(
                fields=["due_at", "id"], condition=Q(state="open"), name="task_open_due_idx"
            ),
            # Dashboard: counts per service and channel (open, overdue, due today), an
            # index-only scan without the applications.
            models.Index(
                fields=["service_code", "channel", "due_at"],
                condition=Q(state="open"),
                name="task_open_service_idx",
            ),
            # On-time statistics per step for a period.
            models.Index(
                fields=["completed_at"], include=["step", "met_norm"], name="task_completed_idx"
            ),
            models.Index(fields=["application", "created_at"], name="task_timeline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.step} of {self.application_id} ({self.state})"
