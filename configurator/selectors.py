"""Reads for the configurator: one battery/inverter pair with everything the engine needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from catalog.choices import DeviceKind
from catalog.models import Device, DocumentedPairing
from catalog.querysets import devices_full, pairings_full
from configurator.models import IssuedSheet, SavedConfiguration, public_id_typed

__all__ = [
    "DeviceRows",
    "InverterRows",
    "PairRows",
    "battery_makers_get",
    "device_counterparts_get",
    "inverter_batteries_get",
    "inverter_get",
    "issued_sheet_download_get",
    "issued_sheet_get",
    "pair_get",
    "saved_configuration_get",
]


@dataclass(frozen=True)
class PairRows:
    battery: Device | None
    inverter: Device | None
    pairings: list[DocumentedPairing]
    adapters: dict[int, Device]


def _of_kind(device: Device | None, kind: str) -> Device | None:
    return device if device is not None and device.kind == kind else None


def pair_get(*, battery: str, inverter: str, drafts: bool = False) -> PairRows:
    """The two published devices (or drafts too, for a preview), their documented pairings and adapters, in a
    fixed number of queries."""
    candidates = Device.objects.filter(slug__in=[battery, inverter])
    if not drafts:
        candidates = candidates.filter(is_published=True)
    devices = {d.slug: d for d in devices_full(candidates)}
    pairings = list(
        pairings_full(DocumentedPairing.objects.filter(battery__slug=battery, inverter__slug=inverter)).order_by(
            "slug"
        )
    )
    adapters = devices_full(
        Device.objects.filter(pairings_as_adapter__battery__slug=battery, pairings_as_adapter__inverter__slug=inverter)
    ).distinct()
    return PairRows(
        battery=_of_kind(devices.get(battery), "battery"),
        inverter=_of_kind(devices.get(inverter), "inverter"),
        pairings=pairings,
        adapters={adapter.pk: adapter for adapter in adapters},
    )


@dataclass(frozen=True)
class InverterRows:
    inverter: Device | None
    batteries: list[Device]
    pairings: list[DocumentedPairing]
    adapters: dict[int, Device]


def inverter_batteries_get(*, inverter: str) -> InverterRows:
    """One published inverter, every published battery, their documented pairings with it and the adapters,
    in a fixed number of queries."""
    devices = list(
        devices_full(
            Device.objects.filter(is_published=True).filter(
                Q(slug=inverter, kind=DeviceKind.INVERTER) | Q(kind=DeviceKind.BATTERY)
            )
        ).order_by("manufacturer__name", "model")
    )
    found = next((d for d in devices if d.kind == DeviceKind.INVERTER), None)
    if found is None:
        return InverterRows(None, [], [], {})
    pairings = list(
        pairings_full(DocumentedPairing.objects.filter(inverter=found, battery__is_published=True)).order_by("slug")
    )
    adapters = devices_full(Device.objects.filter(pairings_as_adapter__inverter=found)).distinct()
    return InverterRows(
        inverter=found,
        batteries=[d for d in devices if d.kind == DeviceKind.BATTERY],
        pairings=pairings,
        adapters={adapter.pk: adapter for adapter in adapters},
    )


def inverter_get(*, inverter: str) -> Device | None:
    """One published inverter with everything its spec needs, or None (a fixed number of queries)."""
    return devices_full(Device.objects.filter(slug=inverter, kind=DeviceKind.INVERTER, is_published=True)).first()


def battery_makers_get() -> dict[str, int]:
    """The makers of published batteries, by name in alphabetical order, with how many each has (one query)."""
    rows = (
        Device.objects.filter(kind=DeviceKind.BATTERY, is_published=True)
        .values_list("manufacturer__name")
        .annotate(batteries=Count("id"))
    )
    return dict(sorted(rows, key=lambda row: row[0].casefold()))


@dataclass(frozen=True)
class DeviceRows:
    device: Device | None
    counterparts: list[Device]  # every published device of the other kind (batteries for an inverter)
    pairings: list[DocumentedPairing]
    adapters: dict[int, Device]


def device_counterparts_get(*, slug: str) -> DeviceRows:
    """One battery or inverter, published or draft, with every published device of the other kind, their
    documented pairings with it and the adapters, in a fixed number of queries (publishing a draft sweeps them)."""
    device = devices_full(Device.objects.filter(slug=slug, kind__in=[DeviceKind.BATTERY, DeviceKind.INVERTER])).first()
    if device is None:
        return DeviceRows(None, [], [], {})
    other = DeviceKind.INVERTER if device.kind == DeviceKind.BATTERY else DeviceKind.BATTERY
    counterparts = devices_full(Device.objects.filter(kind=other, is_published=True)).order_by("slug")
    side = "battery" if device.kind == DeviceKind.BATTERY else "inverter"
    others = "inverter" if side == "battery" else "battery"
    pairings = pairings_full(
        DocumentedPairing.objects.filter(**{side: device, f"{others}__is_published": True})
    ).order_by("slug")
    adapters = devices_full(Device.objects.filter(**{f"pairings_as_adapter__{side}": device})).distinct()
    return DeviceRows(device, list(counterparts), list(pairings), {adapter.pk: adapter for adapter in adapters})


def issued_sheet_get(*, configuration: SavedConfiguration, paper: str, language: str) -> IssuedSheet | None:
    """The kept sheet of a saved configuration on this paper in this language, or None (one indexed query)."""
    return IssuedSheet.objects.filter(configuration=configuration, paper=paper, language=language).first()


def issued_sheet_download_get(*, public_id: str, paper: str, language: str) -> IssuedSheet | None:
    """The kept sheet of the saved configuration with that (canonical) public id on this paper in this language,
    with the configuration's names but not its result, or None (one indexed query)."""
    found = IssuedSheet.objects.filter(configuration__public_id=public_id, paper=paper, language=language)
    return found.select_related("configuration").defer("configuration__result").first()


def saved_configuration_get(*, public_id: str) -> SavedConfiguration | None:
    """A saved configuration by its public id, or None. Read as people type it: any case, O for 0, I or L for 1."""
    typed = public_id_typed(public_id)
    return SavedConfiguration.objects.filter(public_id=typed).first()
