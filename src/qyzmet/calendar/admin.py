"""Admin: the table of the Government's transfers of days off, editable by an administrator.

Every save and delete goes through actions.py (permission-checked and audited), and invalidates
the cached calendar (signals.py), so an edit takes effect without a restart.
"""

from functools import lru_cache

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from qyzmet.accounts.models import Role
from qyzmet.core.refusals import Refused

from . import actions
from .models import DayOverride
from .working_time import Schedule, WorkingCalendar, get_calendar


@lru_cache(maxsize=4)
def _calendar_without_overrides(schedule: Schedule) -> WorkingCalendar:
    return WorkingCalendar(schedule)


def _may_edit(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "assumed", "basis", "without_override", "effect")
    list_editable = ("kind", "assumed")
    list_filter = ("kind", "assumed")
    date_hierarchy = "date"
    search_fields = ("basis", "note")
    ordering = ("-date",)
    fields = ("date", "kind", "basis", "assumed", "note", "updated_at")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("день недели"))
    def weekday(self, obj: DayOverride) -> str:
        return obj.date.strftime("%A")

    @admin.display(description=_("без переноса"))
    def without_override(self, obj: DayOverride) -> str:
        # What holidays + the weekend alone say, so that a pointless row stands out.
        info = _calendar_without_overrides(get_calendar().schedule).explain(obj.date)
        label = _("рабочий") if info.working else _("выходной")
        return f"{label} ({info.holiday})" if info.holiday else str(label)

    @admin.display(description=_("итог"), boolean=True)
    def effect(self, obj: DayOverride) -> bool:
        return get_calendar().is_working_day(obj.date)

    def has_add_permission(self, request) -> bool:
        return _may_edit(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return _may_edit(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _may_edit(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_staff) or _may_edit(request.user)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change) -> None:
        try:
            actions.save_day_override(request.user, obj)
        except Refused as refusal:
            self.message_user(request, refusal.message(), level=messages.ERROR)

    def delete_model(self, request, obj) -> None:
        actions.delete_day_override(request.user, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            actions.delete_day_override(request.user, obj)
