"""The catalog in the Django admin. Validation lives in the models (clean() and constraints), not here."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from catalog.models import (
    Account,
    ApiToken,
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    Document,
    DocumentedPairing,
    Manufacturer,
    Note,
    PairingConductor,
    PinAssignment,
    Port,
    Protocol,
    Setting,
    Source,
)
from catalog.tokens import api_token_create

# --- sources -------------------------------------------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["key", "title"]
    search_fields = ["key", "title", "description"]
    list_filter = []
    list_select_related = []


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["section", "document", "page"]
    list_filter = ["document"]
    search_fields = ["section", "document__key", "document__title"]
    autocomplete_fields = ["document"]
    list_select_related = ["document"]


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "device_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_filter = []
    list_select_related = []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(device_count=Count("devices"))

    @admin.display(description=_("devices"), ordering="device_count")
    def device_count(self, obj):
        return obj.device_count


# --- devices -------------------------------------------------------------------------------------------------


class PortInline(admin.TabularInline):
    model = Port
    extra = 0
    show_change_link = True
    fields = ["position", "name", "connector", "positions", "role", "buses", "pinout", "termination", "source"]
    autocomplete_fields = ["source"]


class DeviceProtocolInline(admin.TabularInline):
    model = DeviceProtocol
    extra = 0
    fields = ["protocol", "method", "menu_path", "value", "note", "source"]
    autocomplete_fields = ["protocol", "source"]


class DipSwitchBankInline(admin.TabularInline):
    model = DipSwitchBank
    extra = 0
    show_change_link = True
    fields = [
        "position",
        "name",
        "switch_count",
        "master_address",
        "first_slave_address",
        "max_packs",
        "last_pack_pattern",
        "source",
    ]
    autocomplete_fields = ["source"]


class DeviceSettingInline(admin.TabularInline):
    model = Setting
    fk_name = "device"
    extra = 0
    fields = ["position", "name", "menu_path", "value", "optional", "note", "source"]
    autocomplete_fields = ["source"]
    verbose_name_plural = _("settings (whenever the device is used)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pairing__isnull=True).select_related("source__document")


class NoteInline(admin.StackedInline):
    """Notes hang on a device or a pairing; subclasses say which."""

    model = Note
    extra = 0
    fields = ["position", "kind", "text", "source"]
    autocomplete_fields = ["source"]


class DeviceNoteInline(NoteInline):
    fk_name = "device"


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["model", "manufacturer", "kind", "voltage_class", "family", "is_published"]
    list_filter = ["kind", "voltage_class", "is_published", "manufacturer"]
    search_fields = ["model", "slug", "family", "manufacturer__name", "description"]
    autocomplete_fields = ["manufacturer", "source"]
    list_select_related = ["manufacturer"]
    prepopulated_fields = {"slug": ["model"]}
    inlines = [PortInline, DeviceProtocolInline, DipSwitchBankInline, DeviceSettingInline, DeviceNoteInline]

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete widgets print str(device): load the maker with it.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("manufacturer"), may_have_duplicates


class PinAssignmentInline(admin.TabularInline):
    model = PinAssignment
    extra = 0
    fields = ["position", "terminal", "signal", "label", "channel", "note", "source"]
    autocomplete_fields = ["source"]


@admin.register(Port)
class PortAdmin(admin.ModelAdmin):
    list_display = ["name", "device", "connector", "positions", "role", "pinout", "termination"]
    list_filter = ["connector", "role", "pinout", "termination", "device__manufacturer"]
    search_fields = ["name", "device__model", "device__slug", "device__manufacturer__name"]
    autocomplete_fields = ["device", "source"]
    list_select_related = ["device__manufacturer"]
    inlines = [PinAssignmentInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("device__manufacturer"), may_have_duplicates


@admin.register(PinAssignment)
class PinAssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "port", "device", "signal", "label"]
    list_filter = ["signal"]
    search_fields = ["label", "terminal", "port__name", "port__device__model"]
    autocomplete_fields = ["port", "source"]
    list_select_related = ["port__device__manufacturer"]

    @admin.display(description=_("device"), ordering="port__device__model")
    def device(self, obj):
        return obj.port.device


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["name", "bus", "bitrate", "slug"]
    list_filter = ["bus"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["source"]
    list_select_related = []
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DeviceProtocol)
class DeviceProtocolAdmin(admin.ModelAdmin):
    list_display = ["device", "protocol", "method", "menu_path", "value"]
    list_filter = ["method", "protocol__bus"]
    search_fields = ["device__model", "protocol__name", "value"]
    autocomplete_fields = ["device", "protocol", "source"]
    list_select_related = ["device__manufacturer", "protocol"]


class DipSwitchInline(admin.TabularInline):
    model = DipSwitch
    extra = 0
    fields = ["position", "function", "bit", "label"]


@admin.register(DipSwitchBank)
class DipSwitchBankAdmin(admin.ModelAdmin):
    list_display = ["name", "device", "switch_count", "master_address", "max_packs", "last_pack_pattern"]
    search_fields = ["name", "device__model"]
    list_filter = ["switch_count"]
    autocomplete_fields = ["device", "source"]
    list_select_related = ["device__manufacturer"]
    inlines = [DipSwitchInline]


@admin.register(DipSwitch)
class DipSwitchAdmin(admin.ModelAdmin):
    list_display = ["position", "bank", "function", "bit", "label"]
    list_filter = ["function"]
    search_fields = ["bank__name", "bank__device__model", "label"]
    autocomplete_fields = ["bank"]
    list_select_related = ["bank"]


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    list_display = ["name", "device", "pairing", "menu_path", "value", "optional"]
    list_filter = ["optional"]
    search_fields = ["name", "menu_path", "value", "device__model"]
    autocomplete_fields = ["device", "pairing", "source"]
    list_select_related = ["device__manufacturer", "pairing"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "device", "pairing"]
    list_filter = ["kind"]
    search_fields = ["text", "device__model", "pairing__slug"]
    autocomplete_fields = ["device", "pairing", "source"]
    list_select_related = ["device__manufacturer", "pairing"]


# --- documented pairings -------------------------------------------------------------------------------------


class PairingConductorInline(admin.TabularInline):
    model = PairingConductor
    extra = 0
    fields = ["position", "signal", "battery_pin", "inverter_pin", "note"]
    autocomplete_fields = ["battery_pin", "inverter_pin"]


class PairingSettingInline(admin.TabularInline):
    model = Setting
    fk_name = "pairing"
    extra = 0
    fields = ["position", "device", "name", "menu_path", "value", "optional", "note", "source"]
    autocomplete_fields = ["device", "source"]


class PairingNoteInline(NoteInline):
    fk_name = "pairing"


@admin.register(DocumentedPairing)
class DocumentedPairingAdmin(admin.ModelAdmin):
    list_display = ["slug", "battery", "inverter", "adapter", "bus", "protocol", "standard_cable", "documented_by"]
    list_filter = ["bus", "documented_by", "standard_cable"]
    search_fields = ["slug", "battery__model", "inverter__model", "battery__manufacturer__name"]
    autocomplete_fields = ["battery", "inverter", "adapter", "protocol", "battery_port", "inverter_port", "source"]
    list_select_related = ["battery", "inverter", "adapter", "protocol"]
    inlines = [PairingConductorInline, PairingSettingInline, PairingNoteInline]


@admin.register(PairingConductor)
class PairingConductorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pairing", "signal"]
    list_filter = ["signal"]
    search_fields = ["pairing__slug"]
    autocomplete_fields = ["pairing", "battery_pin", "inverter_pin"]
    list_select_related = ["pairing", "battery_pin", "inverter_pin"]


# --- partner accounts and API tokens ----------------------------------------------------------------------------


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["name", "prefix", "read_only", "expires_at", "created_at", "last_used_at"]
    readonly_fields = ["name", "prefix", "read_only", "created_at", "last_used_at"]
    can_delete = True
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # new tokens come from the API token page, which shows the token once


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["manufacturers", "users"]
    inlines = [ApiTokenInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "prefix", "read_only", "expires_at", "last_used_at"]
    list_filter = ["read_only", "account__kind"]
    search_fields = ["name", "prefix", "account__name"]
    autocomplete_fields = ["account"]
    list_select_related = ["account"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["account", "name", "read_only", "expires_at", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        row, token = api_token_create(
            account=obj.account, name=obj.name, read_only=obj.read_only, expires_at=obj.expires_at
        )
        obj.pk, obj.prefix, obj.digest, obj.created_at = row.pk, row.prefix, row.digest, row.created_at
        messages.warning(
            request,
            f"The new token is {token} . Copy it now: it is stored only as a digest and will not be shown again.",
        )
