"""Saved configurations and commissioning records in the admin: for looking up what was issued, never for editing
it (the database refuses a change or a delete too: migrations 0002, 0004 and 0008)."""

from django.contrib import admin

from catalog.admin import request_actor
from catalog.models import Device
from configurator.models import CommissioningRecord, SavedConfiguration


class IssuedAdmin(admin.ModelAdmin):
    """Every field shown, nothing added, changed or deleted: an issued row stays as it was issued."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SavedConfiguration)
class SavedConfigurationAdmin(IssuedAdmin):
    list_display = ["public_id", "battery_slug", "inverter_slug", "packs", "verdict", "created_at"]
    list_filter = ["verdict", "bus", "colours", "created_at"]
    search_fields = ["public_id", "battery_slug", "inverter_slug"]
    date_hierarchy = "created_at"


@admin.register(CommissioningRecord)
class CommissioningRecordAdmin(IssuedAdmin):
    """Issued records, read-only. The team sees all; a distributor sees the records of its makers' batteries."""

    list_display = ["public_id", "revision", "configuration", "installer", "company", "commissioned_on", "issued_at"]
    list_filter = ["commissioned_on", "issued_at"]
    search_fields = ["public_id", "configuration__public_id", "installer", "company"]
    list_select_related = ["configuration"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        actor = request_actor(request)
        if actor.is_team:
            return queryset
        if not actor.is_distributor:
            return queryset.none()
        batteries = Device.objects.filter(manufacturer_id__in=actor.manufacturer_ids).values("slug")
        return queryset.filter(configuration__battery_slug__in=batteries)

    def has_module_permission(self, request) -> bool:
        actor = request_actor(request)
        return request.user.is_active and request.user.is_staff and (actor.is_team or actor.is_distributor)

    def has_view_permission(self, request, obj=None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
