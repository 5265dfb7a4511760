"""Catalog API serializers: compact ``Brief`` forms for lists and nesting, full forms for one device, and the
write form of a device, which has the shape of a catalog file's ``device:`` mapping (fixtures/README.md)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from catalog.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
    StrictSlugField,
)
from catalog.choices import (
    Bus,
    Connector,
    DeviceKind,
    Pinout,
    PortRole,
    Signal,
    Termination,
    VoltageClass,
)
from catalog.models import (
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    Manufacturer,
    Note,
    PinAssignment,
    Port,
    Protocol,
)
from catalog.models import Setting as SettingRow

__all__ = [
    "DeviceBriefSerializer",
    "DeviceSerializer",
    "DeviceWriteSerializer",
    "ManufacturerSerializer",
    "ProtocolSerializer",
    "SourceSerializer",
]


class SourceSerializer(serializers.Serializer):
    document = serializers.CharField(source="document.key", help_text="The source document's key.")
    title = serializers.CharField(source="document.title")
    section = serializers.CharField()
    page = serializers.CharField()


class ManufacturerSerializer(serializers.ModelSerializer):
    device_count = serializers.IntegerField(read_only=True, help_text="Published devices.")

    class Meta:
        model = Manufacturer
        fields = ["slug", "name", "named", "product_lines", "website", "device_count"]


class ProtocolSerializer(serializers.ModelSerializer):
    """A protocol as devices and pairings name it: its slug (what catalog files and device writes use), the names
    makers print for it, and how many published devices speak it."""

    source = SourceSerializer()
    device_count = serializers.IntegerField(read_only=True, help_text="Published devices that speak it.")

    class Meta:
        model = Protocol
        fields = ["slug", "name", "bus", "bitrate", "aliases", "master", "notes", "source", "device_count"]


class ManufacturerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Manufacturer
        fields = ["slug", "name"]


class DeviceBriefSerializer(serializers.ModelSerializer):
    manufacturer = ManufacturerBriefSerializer()
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "slug",
            "url",
            "name",
            "manufacturer",
            "model",
            "family",
            "variants",
            "aliases",
            "kind",
            "voltage_class",
            "max_packs",
            "is_published",
        ]

    def get_name(self, device: Device) -> str:
        return f"{device.manufacturer.name} {device.model}"

    def get_url(self, device: Device) -> str:
        path = reverse("api:device-detail", args=[device.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PinSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = PinAssignment
        fields = ["position", "terminal", "signal", "label", "channel", "polarity_assumed", "note", "source"]


class PortSerializer(serializers.ModelSerializer):
    pins = PinSerializer(many=True, source="pin_assignments")
    source = SourceSerializer()

    class Meta:
        model = Port
        fields = [
            "name",
            "connector",
            "positions",
            "role",
            "buses",
            "bitrates",
            "pinout",
            "termination",
            "termination_note",
            "note",
            "pins",
            "source",
        ]


class SettingSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = SettingRow
        fields = ["name", "menu_path", "value", "optional", "fallback", "note", "source"]


class DeviceProtocolSerializer(serializers.ModelSerializer):
    protocol = serializers.CharField(source="protocol.slug")
    name = serializers.CharField(source="protocol.name")
    bus = serializers.CharField(source="protocol.bus")
    bitrate = serializers.IntegerField(source="protocol.bitrate", allow_null=True)
    aliases = serializers.ListField(source="protocol.aliases", child=serializers.CharField())
    source = SourceSerializer()
    extras = SettingSerializer(many=True)

    class Meta:
        model = DeviceProtocol
        fields = [
            "protocol",
            "name",
            "aliases",
            "bus",
            "bitrate",
            "method",
            "menu_path",
            "value",
            "priority",
            "firmware",
            "limitations",
            "derivation",
            "note",
            "source",
            "extras",
        ]


class DipSwitchSerializer(serializers.ModelSerializer):
    class Meta:
        model = DipSwitch
        fields = ["position", "function", "bit", "label"]


class DipBankSerializer(serializers.ModelSerializer):
    switches = DipSwitchSerializer(many=True)
    source = SourceSerializer()

    class Meta:
        model = DipSwitchBank
        fields = [
            "name",
            "switch_count",
            "on_direction",
            "master_address",
            "first_slave_address",
            "max_packs",
            "all_packs_pattern",
            "last_pack_pattern",
            "numbering_stated",
            "note",
            "switches",
            "source",
        ]


class NoteSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Note
        fields = ["kind", "text", "source"]


class DeviceSerializer(DeviceBriefSerializer):
    source = SourceSerializer()
    ports = PortSerializer(many=True)
    protocols = DeviceProtocolSerializer(many=True, source="device_protocols")
    dip_banks = DipBankSerializer(many=True)
    settings = SettingSerializer(many=True)
    notes = NoteSerializer(many=True, source="catalog_notes")

    class Meta(DeviceBriefSerializer.Meta):
        fields = [
            *DeviceBriefSerializer.Meta.fields,
            "description",
            "source",
            "ports",
            "protocols",
            "dip_banks",
            "settings",
            "notes",
        ]


# --- writing: a catalog file's device mapping ---------------------------------------------------------------------


class SourceWriteSerializer(StrictSerializer):
    document = StrictCharField(max_length=120, help_text="The key of a document in the catalog.")
    section = StrictCharField(max_length=300)
    page = StrictCharField(max_length=40, required=False)


class PinWriteSerializer(StrictSerializer):
    position = StrictIntegerField(min_value=1, max_value=64, required=False)
    terminal = StrictCharField(max_length=40, required=False)
    signal = serializers.ChoiceField(choices=Signal.choices)
    label = StrictCharField(max_length=80, required=False, allow_blank=True)
    channel = StrictIntegerField(min_value=0, max_value=9, required=False)
    polarity_assumed = StrictBooleanField(required=False)
    note = StrictCharField(required=False, allow_blank=True)
    source = SourceWriteSerializer(required=False, help_text="Defaults to the port's source.")

    def validate(self, attrs):
        if "position" not in attrs and "terminal" not in attrs:
            raise serializers.ValidationError("A pin needs a position or a terminal name.")
        return attrs


class PortWriteSerializer(StrictSerializer):
    name = StrictCharField(max_length=120)
    connector = serializers.ChoiceField(choices=Connector.choices)
    positions = StrictIntegerField(min_value=1, max_value=64, required=False)
    role = serializers.ChoiceField(choices=PortRole.choices)
    buses = serializers.ListField(child=serializers.ChoiceField(choices=Bus.choices), required=False)
    bitrates = serializers.ListField(
        child=StrictIntegerField(min_value=1000, max_value=10_000_000), required=False, max_length=8
    )
    pinout = serializers.ChoiceField(choices=Pinout.choices, required=False)
    termination = serializers.ChoiceField(choices=Termination.choices, required=False)
    termination_note = StrictCharField(required=False, allow_blank=True)
    note = StrictCharField(required=False, allow_blank=True)
    source = SourceWriteSerializer(required=False, help_text="Defaults to the device's source.")
    pins = PinWriteSerializer(many=True, required=False)


_CATALOG_FILE_LIST = (
    "As in a catalog file (fixtures/README.md); checked against the catalog's JSON Schema and rules on write."
)


class DeviceWriteSerializer(StrictSerializer):
    """A whole device: what PUT stores (replacing ports, pins and the rest) and what POST creates."""

    slug = StrictSlugField(max_length=120)
    manufacturer = StrictSlugField(max_length=80, help_text="A manufacturer your account may edit.")
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    model = StrictCharField(max_length=200)
    family = StrictCharField(max_length=200, required=False, allow_blank=True)
    variants = serializers.ListField(child=StrictCharField(max_length=80), required=False)
    aliases = serializers.ListField(child=StrictCharField(max_length=120), required=False)
    voltage_class = serializers.ChoiceField(choices=VoltageClass.choices)
    max_packs = StrictIntegerField(min_value=1, max_value=64, required=False)
    description = StrictCharField(required=False, allow_blank=True)
    published = StrictBooleanField(required=False)
    source = SourceWriteSerializer()
    ports = PortWriteSerializer(many=True, required=False)
    protocols = serializers.ListField(child=serializers.DictField(), required=False, help_text=_CATALOG_FILE_LIST)
    dip_banks = serializers.ListField(child=serializers.DictField(), required=False, help_text=_CATALOG_FILE_LIST)
    settings = serializers.ListField(child=serializers.DictField(), required=False, help_text=_CATALOG_FILE_LIST)
    notes = serializers.ListField(child=serializers.DictField(), required=False, help_text=_CATALOG_FILE_LIST)
