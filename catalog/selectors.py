"""Read functions over the catalog, used by commands, the admin, the API and the configurator."""

from collections import defaultdict

from django.db.models import QuerySet

from catalog.catalog_files import CatalogIndex, DeviceFacts, PortFacts, pin_key
from catalog.models import Device, Document, DocumentedPairing, Manufacturer, PinAssignment, Port, Protocol
from catalog.querysets import devices_full, pairings_full

__all__ = ["catalog_index_get", "device_export_list", "home_counts_get", "pairing_export_list"]


def catalog_index_get() -> CatalogIndex:
    """What the database holds, in the shape the catalog-file checks need (five queries)."""
    ports: dict[int, dict[str, PortFacts]] = defaultdict(dict)
    by_id: dict[int, PortFacts] = {}
    for port_id, device_id, name, buses in Port.objects.values_list("id", "device_id", "name", "buses"):
        ports[device_id][name] = by_id[port_id] = PortFacts(buses=frozenset(buses))
    for port_id, position, terminal, signal in PinAssignment.objects.values_list(
        "port_id", "position", "terminal", "signal"
    ):
        by_id[port_id].pins[pin_key({"position": position, "terminal": terminal})] = signal
    return CatalogIndex(
        documents=set(Document.objects.values_list("key", flat=True)),
        manufacturers=set(Manufacturer.objects.values_list("slug", flat=True)),
        protocols=dict(Protocol.objects.values_list("slug", "bus")),
        devices={
            slug: DeviceFacts(kind=kind, manufacturer=manufacturer, ports=ports.get(device_id, {}))
            for device_id, slug, kind, manufacturer in Device.objects.values_list(
                "id", "slug", "kind", "manufacturer__slug"
            )
        },
        pairings=set(DocumentedPairing.objects.values_list("slug", flat=True)),
    )


def device_export_list() -> QuerySet[Device]:
    return devices_full().order_by("manufacturer__slug", "slug")


def pairing_export_list() -> QuerySet[DocumentedPairing]:
    return pairings_full().order_by("slug")


def home_counts_get() -> dict[str, int]:
    return {
        "device_count": Device.objects.filter(is_published=True).count(),
        "pairing_count": DocumentedPairing.objects.count(),
    }
