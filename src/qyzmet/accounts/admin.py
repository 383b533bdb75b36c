from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class QyzmetUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "iin", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "iin", "bin")
    fieldsets = (*UserAdmin.fieldsets, ("qyzmet", {"fields": ("role", "iin", "bin", "patronymic")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("qyzmet", {"fields": ("role", "iin", "bin")}))
