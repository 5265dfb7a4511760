"""Named prefetch bundles, shared by selectors, the admin and (later) the API. No rules here."""

from django.db.models import Prefetch, QuerySet

from catalog.models import (
    Device,
    DeviceProtocol,
    DipSwitchBank,
    DocumentedPairing,
    Note,
    PairingConductor,
    PinAssignment,
    Port,
    Setting,
)

__all__ = ["devices_full", "pairings_full"]

_SOURCE = ("source", "source__document")


_NOTES = Note.objects.select_related(*_SOURCE).prefetch_related("translations")


def devices_full(queryset: QuerySet[Device] | None = None) -> QuerySet[Device]:
    """Devices with everything a catalog file or a device page shows, in a fixed number of queries.

    A device's settings are ordered by position alone: Setting's default ordering (device, pairing, selection)
    joins eight more tables through the related models' orderings, for the same order within one device."""
    queryset = Device.objects.all() if queryset is None else queryset
    return queryset.select_related("manufacturer", *_SOURCE).prefetch_related(
        Prefetch(
            "ports",
            queryset=Port.objects.select_related(*_SOURCE).prefetch_related(
                Prefetch("pin_assignments", queryset=PinAssignment.objects.select_related(*_SOURCE))
            ),
        ),
        Prefetch(
            "device_protocols",
            queryset=DeviceProtocol.objects.select_related("protocol__source__document", *_SOURCE).prefetch_related(
                Prefetch("extras", queryset=Setting.objects.select_related(*_SOURCE).order_by("position", "id"))
            ),
        ),
        Prefetch("dip_banks", queryset=DipSwitchBank.objects.select_related(*_SOURCE).prefetch_related("switches")),
        Prefetch(
            "settings",
            queryset=Setting.objects.filter(pairing__isnull=True, selection__isnull=True)
            .select_related(*_SOURCE)
            .order_by("position", "id"),
        ),
        Prefetch("catalog_notes", queryset=_NOTES),
    )


def pairings_full(queryset: QuerySet[DocumentedPairing] | None = None) -> QuerySet[DocumentedPairing]:
    queryset = DocumentedPairing.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "battery",
        "inverter",
        "adapter",
        "protocol__source__document",
        "battery_port__device",
        "inverter_port__device",
        *_SOURCE,
    ).prefetch_related(
        Prefetch("conductors", queryset=PairingConductor.objects.select_related("battery_pin", "inverter_pin")),
        Prefetch("settings", queryset=Setting.objects.select_related("device", *_SOURCE)),
        Prefetch("catalog_notes", queryset=_NOTES),
    )
