from django.contrib import admin

from .models import Application, Attachment, Decision


class ReadOnlyAdmin(admin.ModelAdmin):
    """The register changes only through actions (audited); the admin only shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "registration_number",
        "applicant_name",
        "status",
        "channel",
        "registered_at",
        "deadline_at",
    )
    list_filter = ("status", "channel", "service_version")
    search_fields = ("registration_number", "applicant_iin", "applicant_bin", "applicant_name")
    list_select_related = ("service_version",)
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "application", "document_code", "content_type", "size")
    list_select_related = ("application",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "state", "prepared_at", "signed_at")
    list_select_related = ("application",)
