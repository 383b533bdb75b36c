from django.contrib import admin

from .models import ServiceVersion


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from the catalogue files (``qyzmet catalog load``)."""

    list_display = (
        "service_code",
        "version",
        "effective_from",
        "effective_until",
        "is_demo",
        "loaded_at",
    )
    list_filter = ("service_code", "is_demo")
    search_fields = ("service_code", "version", "title_ru", "title_kk", "title_en")
    ordering = ("service_code", "effective_from")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
