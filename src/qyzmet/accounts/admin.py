"""Users and groups in the admin: every change (role, IIN/BIN, staff flags, groups,
permissions, password) is an audited action with the fields before and after
(``qyzmet.audit.admin.AuditedModelAdmin``)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction

from qyzmet.audit.actions import record
from qyzmet.audit.admin import AuditedModelAdmin

from .models import User


@admin.register(User)
class QyzmetUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "iin", "bin", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "iin", "bin")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "qyzmet",
            {
                "fields": (
                    "role",
                    "iin",
                    "bin",
                    "patronymic",
                    "position_kk",
                    "position_ru",
                    "position_en",
                )
            },
        ),
    )
    add_fieldsets = (*UserAdmin.add_fieldsets, ("qyzmet", {"fields": ("role", "iin", "bin")}))

    def user_change_password(self, request, id, form_url=""):
        """The admin's password form (outside save_model): audited in its transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                record(request.user, "admin.set_password", obj=user, after={"password": "set"})
        return response


admin.site.unregister(Group)


@admin.register(Group)
class QyzmetGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass
