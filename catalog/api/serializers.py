"""Catalog API serializers: compact ``Brief`` forms for lists and nesting, full forms for one device, sources,
the change feed and webhooks. Catalog *writes* take each entity's catalog-file shape, declared once in the JSON
Schema of fixtures/schema/ (catalog.shapes, catalog.api.schema): no serializer repeats it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from catalog.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictSlugField,
)
from catalog.models import (
    CatalogChange,
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    Document,
    Manufacturer,
    Note,
    PinAssignment,
    Port,
    Protocol,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from catalog.models import Setting as SettingRow
from catalog.models import Source as SourceRow
from catalog.webhooks import target_problem

__all__ = [
    "ChangeSerializer",
    "DeviceBriefSerializer",
    "DeviceSerializer",
    "DocumentSerializer",
    "ManufacturerSerializer",
    "PairingRecordSerializer",
    "ProtocolDetailSerializer",
    "ProtocolSerializer",
    "SourceRowSerializer",
    "SourceSerializer",
    "WebhookDeliverySerializer",
    "WebhookEndpointSerializer",
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
        fields = [
            "slug",
            "name",
            "bus",
            "bitrate",
            "aliases",
            "master",
            "notes",
            "source",
            "is_published",
            "device_count",
        ]


class ProtocolSelectionSerializer(serializers.ModelSerializer):
    """How one published device is set to the protocol."""

    device = serializers.CharField(source="device.slug")
    kind = serializers.CharField(source="device.kind")

    class Meta:
        model = DeviceProtocol
        fields = ["device", "kind", "method", "menu_path", "value", "priority", "firmware", "derivation"]


class ProtocolDetailSerializer(ProtocolSerializer):
    """One protocol with its selections: each published device that speaks it, and how it is set there."""

    selections = ProtocolSelectionSerializer(many=True, source="published_selections", read_only=True)

    class Meta(ProtocolSerializer.Meta):
        fields = [*ProtocolSerializer.Meta.fields, "selections"]


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
    translations = serializers.SerializerMethodField(
        help_text="The note in other languages, by language code (de, it, es, fr): the catalog editors' words."
    )

    class Meta:
        model = Note
        fields = ["kind", "text", "translations", "source"]

    def get_translations(self, note) -> dict[str, str]:
        return note.translated()


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


# --- the other catalog entities -------------------------------------------------------------------------------------


class DocumentSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceRow
        fields = ["id", "section", "page"]


class DocumentSerializer(serializers.ModelSerializer):
    """A source document with the sections the catalog cites from it."""

    sources = DocumentSourceSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["key", "title", "description", "url", "sources"]


class SourceRowSerializer(serializers.ModelSerializer):
    """A section (and page) of a document that facts cite. Added by citing it in a catalog write, or here."""

    document = serializers.SlugRelatedField(slug_field="key", queryset=Document.objects.all())
    section = StrictCharField(max_length=300)
    page = StrictCharField(max_length=40, required=False, allow_blank=True, default="")

    class Meta:
        model = SourceRow
        fields = ["id", "document", "section", "page"]
        validators = []  # the unique (document, section, page) is answered by the view as a field error

    def validate_section(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(gettext("Name the section."))
        return value


class ChangeSerializer(serializers.ModelSerializer):
    """One entity changed by one committed catalog transaction."""

    url = serializers.SerializerMethodField(help_text="The entity in the API; null once it is deleted.")
    account = serializers.SlugRelatedField(
        slug_field="name",
        read_only=True,
        allow_null=True,
        help_text="The partner account that made it (API, import for an account); null: the team or the admin.",
    )

    class Meta:
        model = CatalogChange
        fields = ["version", "entity", "key", "kind", "changed_at", "account", "url"]

    def get_url(self, change: CatalogChange) -> str | None:
        if change.kind == CatalogChange.Kind.DELETED:
            return None
        path = reverse(f"api:{change.entity}-detail", args=[change.key])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """Where to send the account's events. The signing secret (Standard Webhooks) is shown to the account."""

    url = StrictCharField(max_length=500, help_text="http(s) URL of a public host.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=len(WebhookEvent)
    )
    devices = serializers.ListField(
        child=StrictSlugField(max_length=120),
        required=False,
        max_length=200,
        help_text="Only these devices (and their pairings and configurations); empty: every device.",
    )
    description = StrictCharField(max_length=200, required=False, allow_blank=True)
    is_active = StrictBooleanField(required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "devices", "is_active", "secret", "created_at"]
        read_only_fields = ["id", "secret", "created_at"]

    def validate_url(self, value: str) -> str:
        if problem := target_problem(value):
            raise serializers.ValidationError(problem)
        return value

    def validate_events(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_devices(self, value: list[str]) -> list[str]:
        value = list(dict.fromkeys(value))
        known = set(Device.objects.filter(slug__in=value).values_list("slug", flat=True))
        if unknown := [slug for slug in value if slug not in known]:
            raise serializers.ValidationError(gettext("No such device: {slugs}.").format(slugs=", ".join(unknown)))
        return value


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "last_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
        ]


class PairingRecordSerializer(serializers.BaseSerializer):
    """A documented pairing as read and written: its catalog-file mapping (the ``CatalogPairing`` component, from
    the catalog files' JSON Schema)."""

    def to_representation(self, instance):
        return instance


class _PairingRecordSchema(OpenApiSerializerExtension):
    target_class = PairingRecordSerializer

    def map_serializer(self, auto_schema, direction):
        return {"$ref": "#/components/schemas/CatalogPairing"}

    def get_name(self, auto_schema, direction):
        return "PairingRecord"
