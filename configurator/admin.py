"""Saved configurations, commissioning records and issued sheets in the admin: for looking up what was issued,
never for editing it (the database refuses a change or a delete too: migrations 0002, 0004, 0008 and 0010). And
the verdict matrix's state, for the team: whether the lists answer from a current matrix."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.admin import request_actor
from catalog.models import CatalogState, Device
from configurator.models import CommissioningRecord, IssuedSheet, SavedConfiguration, VerdictMatrix
from configurator.verdict_matrix import Versions


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


class TeamOnly:
    """Shown to the team (staff accounts) only: what the worker did, not what an account issued."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request_actor(request).is_team

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)


@admin.register(IssuedSheet)
class IssuedSheetAdmin(TeamOnly, IssuedAdmin):
    """The sheets issued for saved configurations: who rendered each (the worker, or a first download that came
    before it), what it cost, and its download. The PDF's bytes are never loaded for the list."""

    list_display = ["configuration", "paper", "size", "render_ms", "peak_memory_mb", "rendered_by", "rendered_at"]
    list_filter = ["paper", "rendered_by", "rendered_at"]
    search_fields = ["configuration__public_id"]
    list_select_related = ["configuration"]
    date_hierarchy = "rendered_at"
    exclude = ["pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "configuration__result")

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "pdf"] + ["download"]

    @admin.display(description=_("download"))
    def download(self, sheet: IssuedSheet) -> str:
        address = reverse("saved_sheet", args=[sheet.configuration.public_id])
        return format_html('<a href="{}?paper={}">{}</a>', address, sheet.paper, sheet.configuration.public_id)


@admin.register(VerdictMatrix)
class VerdictMatrixAdmin(TeamOnly, IssuedAdmin):
    """The matrix's one row, with the catalog's version beside it: current, or how many changes it lags (the
    lists then compute the changed devices live and say so), or waiting for its first full refresh."""

    list_display = ["__str__", "state", "refreshed_at", "pairs", "seconds"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "state"]

    @admin.display(description=_("state"))
    def state(self, matrix: VerdictMatrix) -> str:
        waiting = _("waiting for a full refresh (the catalog was loaded anew)")
        catalog = CatalogState.objects.filter(pk=1).first()
        if catalog is None:
            return waiting
        known = Versions(catalog.generation, catalog.version, matrix.generation, matrix.version)
        if not known.matrix_usable:  # the lists then compute every answer now (verdict_matrix.stale_since)
            return waiting
        behind = known.version - known.matrix_version
        if behind <= 0:
            return _("current")
        return _("%(count)d catalog changes behind: the lists compute the changed devices now") % {"count": behind}
