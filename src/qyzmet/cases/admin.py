from django.contrib import admin, messages

from qyzmet.core.refusals import Refused

from .models import Application, Attachment, Decision, MailState, StatusMail


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


@admin.register(StatusMail)
class StatusMailAdmin(ReadOnlyAdmin):
    """The applicants' status mails; filter "not delivered" is the administrator's list of
    mails given up after the last retry (cases.notify). "Send again" is an audited action."""

    list_display = (
        "application",
        "status",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("state", "status")
    list_select_related = ("application",)
    actions = ["send_again"]

    @admin.action(description="Send again (not delivered mails)")
    def send_again(self, request, queryset):
        from .actions import resend_status_mail

        count = 0
        for mail in queryset.filter(state=MailState.FAILED):
            try:
                resend_status_mail(request.user, mail.pk)
            except Refused as refusal:
                self.message_user(request, refusal.message(), messages.ERROR)
                return
            count += 1
        self.message_user(request, f"{count} mail(s) queued again", messages.SUCCESS)
