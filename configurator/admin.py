"""Saved configurations in the admin: for looking up an issued sheet, never for editing one."""

from django.contrib import admin

from catalog.admin import request_actor
from catalog.models import Device
from configurator.models import CommissioningRecord, SavedConfiguration


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


@admin.register(CommissioningRecord)
class CommissioningRecordAdmin(admin.ModelAdmin):
    """Issued records, read-only. The team sees all; a distributor sees the records of its makers' batteries."""

    list_display = ["public_id", "revision", "configuration", "installer", "company", "commissioned_on", "issued_at"]
    list_filter = ["commissioned_on", "issued_at"]
    search_fields = ["public_id", "configuration__public_id", "installer", "company"]
    list_select_related = ["configuration"]
    readonly_fields = [f.name for f in CommissioningRecord._meta.fields]

    def _scope(self, request):
        actor = request_actor(request)
        if actor.is_team:
            return None
        if not actor.is_distributor:
            return []
        return list(Device.objects.filter(manufacturer_id__in=actor.manufacturer_ids).values_list("slug", flat=True))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        slugs = self._scope(request)
        return queryset if slugs is None else queryset.filter(configuration__battery_slug__in=slugs)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and self._scope(request) != []

    def has_view_permission(self, request, obj=None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an issued record stays; the database refuses it too (migration 0008)
