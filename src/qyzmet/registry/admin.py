from django.contrib import admin

from .models import GatewayExchange


@admin.register(GatewayExchange)
class GatewayExchangeAdmin(admin.ModelAdmin):
    """Read-only: the exchange log is evidence."""

    list_display = (
        "started_at",
        "service_id",
        "subject_identifier",
        "outcome",
        "attempts",
        "duration_ms",
    )
    list_filter = ("outcome", "service_id")
    search_fields = ("subject_identifier", "message_id")
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
