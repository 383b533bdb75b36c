from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditRecord


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
