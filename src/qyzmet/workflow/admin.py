from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = (
        "application",
        "step",
        "role",
        "assignee",
        "state",
        "due_at",
        "completed_at",
        "met_norm",
    )
    list_filter = ("step", "state", "overdue")
    list_select_related = ("application", "assignee")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
