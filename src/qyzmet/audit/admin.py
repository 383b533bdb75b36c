"""The audit log in the admin (read-only), and the base of every admin page that changes a
model (:class:`AuditedModelAdmin`): no change in the admin escapes the chain."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .actions import record
from .models import AuditRecord


def snapshot(obj) -> dict:
    """What an admin change is recorded as: every concrete field as text, many-to-many
    relations as sorted ids, the password hash only as whether it is usable."""
    values: dict = {}
    for field in obj._meta.concrete_fields:
        if field.name == "password":
            values["password"] = "usable" if obj.has_usable_password() else "unusable"
        else:
            values[field.name] = field.value_to_string(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


class AuditedModelAdmin(admin.ModelAdmin):
    """A model the admin may change, every change an audited action in the chain: the same
    transaction as the change (the admin's views are atomic), the acting administrator,
    ``admin.add`` / ``admin.change`` / ``admin.delete`` with the object's fields before and
    after (many-to-many included, so groups and permissions are seen too)."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk is not None:
            current = self.model._default_manager.filter(pk=obj.pk).first()
            before = snapshot(current) if current is not None else None
        form._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        with transaction.atomic():
            record(
                request.user,
                "admin.change" if change else "admin.add",
                obj=obj,
                before=getattr(form, "_audit_before", None),
                after=snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, "admin.delete", obj=obj, before=snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "actor_label", "event", "case_id", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_id")
    ordering = ("-id",)

    @admin.display(description=_("действие"), ordering="action")
    def event(self, record: AuditRecord) -> str:
        event = record.event
        return f"{event.text()} ({record.action})" if event else record.action

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
