"""Saved configurations in the admin: for looking up an issued sheet, never for editing one."""

from django.contrib import admin

from configurator.models import SavedConfiguration


@admin.register(SavedConfiguration)
class SavedConfigurationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "battery_slug", "inverter_slug", "packs", "verdict", "created_at"]
    list_filter = ["verdict", "bus", "colours", "created_at"]
    search_fields = ["public_id", "battery_slug", "inverter_slug"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SavedConfiguration._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an issued sheet stays; the database refuses it too (migration 0004)
