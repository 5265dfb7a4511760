"""The catalog written out: each entity as its catalog-file mapping (the canonical form ``import_catalog`` reads
back unchanged), the whole catalog as files in the layout of ``fixtures/``, and as a zip.

A key whose value is its default is left out: the defaults are the JSON Schema's (``default``), the same the
importer fills in (catalog_files.with_defaults, without_defaults), so an export round-trips byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.db.models import Q

from catalog.catalog_files import CONNECTOR_POSITIONS, Flow, FlowList, dump_catalog_file, without_defaults
from catalog.models import Device, Document, DocumentedPairing, Manufacturer, PinAssignment, Protocol, Setting, Source
from catalog.selectors import device_export_list, pairing_export_list

__all__ = [
    "catalog_export",
    "catalog_export_files",
    "catalog_zip",
    "device_record",
    "document_record",
    "manufacturer_record",
    "pairing_record",
    "pin_ref",
    "protocol_record",
]


def _source(source: Source) -> Flow:
    data = Flow(document=source.document.key, section=source.section)
    if source.page:
        data["page"] = source.page
    return data


_FILE = "urn:configurator:catalog:file"


def _put(data: dict, key: str, value, default=None) -> None:
    """Write ``key`` only when it differs from a default the schema cannot state (a port's positions follow its
    connector)."""
    if value != default:
        data[key] = value


def _put_source(data: dict, source: Source, parent_source_id: int | None) -> None:
    if source.pk != parent_source_id:
        data["source"] = _source(source)


def _notes(notes, parent_source_id: int) -> list[dict]:
    rows = []
    for note in notes:
        row = {}
        row["kind"] = note.kind
        row["text"] = note.text
        row["translations"] = note.translated()
        _put_source(row, note.source, parent_source_id)
        rows.append(row)
    return rows


def _setting(setting: Setting, parent_source_id: int, side: str | None = None) -> dict:
    row = {}
    if side is not None:
        row["side"] = side
    row["name"] = setting.name
    row["menu_path"] = setting.menu_path
    row["value"] = setting.value
    row["optional"] = setting.optional
    row["fallback"] = setting.fallback
    row["note"] = setting.note
    _put_source(row, setting.source, parent_source_id)
    return row


def pin_ref(pin: PinAssignment | None) -> int | str | None:
    """How a crimp row names a pin (catalog_files.pin_key)."""
    return None if pin is None else pin.key


def document_record(document: Document) -> dict:
    data = {"key": document.key, "title": document.title}
    data["description"] = document.description
    data["url"] = document.url
    return without_defaults(data, _FILE + "#/$defs/document")


def manufacturer_record(manufacturer: Manufacturer) -> dict:
    data = {"slug": manufacturer.slug, "name": manufacturer.name}
    data["website"] = manufacturer.website
    data["named"] = manufacturer.named
    data["product_lines"] = FlowList(manufacturer.product_lines)
    data["notes"] = manufacturer.notes
    return without_defaults(data, _FILE + "#/$defs/manufacturer")


def protocol_record(protocol: Protocol) -> dict:
    data = {"slug": protocol.slug, "name": protocol.name, "bus": protocol.bus}
    data["bitrate"] = protocol.bitrate
    data["aliases"] = FlowList(protocol.aliases)
    data["master"] = protocol.master
    data["notes"] = protocol.notes
    data["published"] = protocol.is_published
    data["source"] = _source(protocol.source)
    return without_defaults(data, _FILE + "#/$defs/protocol")


def device_record(device: Device) -> dict:
    """A device as its catalog file's ``device:`` mapping (the device prefetched: catalog.querysets.devices_full)."""
    src = device.source_id
    data = {"slug": device.slug, "manufacturer": device.manufacturer.slug, "kind": device.kind, "model": device.model}
    data["family"] = device.family
    data["variants"] = FlowList(device.variants)
    data["aliases"] = FlowList(device.aliases)
    data["voltage_class"] = device.voltage_class
    data["max_packs"] = device.max_packs
    data["description"] = device.description
    data["published"] = device.is_published
    data["source"] = _source(device.source)
    data["notes"] = _notes(device.catalog_notes.all(), src)

    ports = []
    for port in device.ports.all():
        row = {"name": port.name, "connector": port.connector}
        _put(row, "positions", port.positions, CONNECTOR_POSITIONS.get(port.connector))
        row["role"] = port.role
        row["buses"] = FlowList(port.buses)
        row["bitrates"] = FlowList(port.bitrates)
        row["pinout"] = port.pinout
        row["termination"] = port.termination
        row["termination_note"] = port.termination_note
        row["note"] = port.note
        _put_source(row, port.source, src)
        pins = []
        for pin in port.pin_assignments.all():
            pin_row = Flow()
            pin_row["position"] = pin.position
            pin_row["terminal"] = pin.terminal
            pin_row["signal"] = pin.signal
            pin_row["label"] = pin.label
            pin_row["channel"] = pin.channel
            pin_row["polarity_assumed"] = pin.polarity_assumed
            pin_row["note"] = pin.note
            _put_source(pin_row, pin.source, port.source_id)
            pins.append(pin_row)
        row["pins"] = pins
        ports.append(row)
    data["ports"] = ports

    protocols = []
    for entry in sorted(device.device_protocols.all(), key=lambda dp: dp.protocol.slug):
        row = {"protocol": entry.protocol.slug, "method": entry.method}
        row["menu_path"] = entry.menu_path
        row["value"] = entry.value
        row["priority"] = entry.priority
        row["firmware"] = entry.firmware
        row["limitations"] = list(entry.limitations)
        row["derivation"] = entry.derivation
        row["note"] = entry.note
        _put_source(row, entry.source, src)
        row["extras"] = [_setting(extra, entry.source_id) for extra in entry.extras.all()]
        protocols.append(row)
    data["protocols"] = protocols

    banks = []
    for bank in device.dip_banks.all():
        row = {"name": bank.name, "switch_count": bank.switch_count}
        row["on_direction"] = bank.on_direction
        row["master_address"] = bank.master_address
        row["first_slave_address"] = bank.first_slave_address
        row["max_packs"] = bank.max_packs
        row["all_packs_pattern"] = bank.all_packs_pattern
        row["last_pack_pattern"] = bank.last_pack_pattern
        row["numbering_stated"] = bank.numbering_stated
        row["note"] = bank.note
        _put_source(row, bank.source, src)
        switches = []
        for switch in bank.switches.all():
            switch_row = Flow(position=switch.position, function=switch.function)
            switch_row["bit"] = switch.bit
            switch_row["label"] = switch.label
            switches.append(switch_row)
        row["switches"] = switches
        banks.append(row)
    data["dip_banks"] = banks
    data["settings"] = [_setting(setting, src) for setting in device.settings.all()]
    return without_defaults(data, "urn:configurator:catalog:device")


def pairing_record(pairing: DocumentedPairing) -> dict:
    """A documented pairing as its catalog file's ``pairing:`` mapping (prefetched: selectors.pairing_export_list)."""
    src = pairing.source_id
    data = {"slug": pairing.slug, "battery": pairing.battery.slug, "inverter": pairing.inverter.slug}
    if pairing.adapter is not None:
        data["adapter"] = pairing.adapter.slug
    data["bus"] = pairing.bus
    if pairing.protocol is not None:
        data["protocol"] = pairing.protocol.slug
    for end_key, port, default in (
        ("battery_end", pairing.battery_port, pairing.battery),
        ("inverter_end", pairing.inverter_port, pairing.inverter),
    ):
        if port is not None:
            end = Flow()
            if port.device_id != default.pk:
                end["device"] = port.device.slug
            end["port"] = port.name
            data[end_key] = end
    data["standard_cable"] = pairing.standard_cable
    data["battery_firmware"] = pairing.battery_firmware
    data["inverter_firmware"] = pairing.inverter_firmware
    data["limitations"] = list(pairing.limitations)
    data["documented_by"] = pairing.documented_by
    data["source"] = _source(pairing.source)
    crimp = []
    for conductor in pairing.conductors.all():
        row = Flow(
            signal=conductor.signal, battery=pin_ref(conductor.battery_pin), inverter=pin_ref(conductor.inverter_pin)
        )
        row["note"] = conductor.note
        crimp.append(row)
    data["crimp"] = crimp
    sides = {pairing.battery_id: "battery", pairing.inverter_id: "inverter", pairing.adapter_id: "adapter"}
    settings = [_setting(setting, src, side=sides[setting.device_id]) for setting in pairing.settings.all()]
    data["settings"] = settings
    data["notes"] = _notes(pairing.catalog_notes.all(), src)
    return without_defaults(data, "urn:configurator:catalog:pairing")


def catalog_export_files(
    *, manufacturers: list[str] | None = None, devices: list[str] | None = None
) -> dict[str, str]:
    """The catalog as {relative path: canonical YAML text}, in the layout of ``fixtures/``: all of it, or only
    the devices of some manufacturers (or some devices) and the documented pairings they are part of, with the
    shared documents, manufacturers and protocols files they need."""
    device_rows, pairing_rows = device_export_list(), pairing_export_list()
    if manufacturers is not None:
        device_rows = device_rows.filter(manufacturer__slug__in=manufacturers)
        pairing_rows = pairing_rows.filter(
            Q(battery__manufacturer__slug__in=manufacturers) | Q(inverter__manufacturer__slug__in=manufacturers)
        )
    if devices is not None:
        device_rows = device_rows.filter(slug__in=devices)
        pairing_rows = pairing_rows.filter(Q(battery__slug__in=devices) | Q(inverter__slug__in=devices))
    files = {
        "documents.yaml": {"documents": [document_record(doc) for doc in Document.objects.order_by("key")]},
        "manufacturers.yaml": {
            "manufacturers": [manufacturer_record(m) for m in Manufacturer.objects.order_by("slug")]
        },
        "protocols.yaml": {
            "protocols": [
                protocol_record(p) for p in Protocol.objects.select_related("source__document").order_by("slug")
            ]
        },
    }
    for device in device_rows:
        files[f"devices/{device.manufacturer.slug}/{device.slug}.yaml"] = {"device": device_record(device)}
    for pairing in pairing_rows.distinct():
        files[f"pairings/{pairing.slug}.yaml"] = {"pairing": pairing_record(pairing)}
    return {path: dump_catalog_file(data) for path, data in files.items()}


def catalog_zip(files: dict[str, str]) -> bytes:
    """Catalog files as a zip archive, under a ``catalog/`` folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(f"catalog/{path}", files[path])
    return buffer.getvalue()


def catalog_export(*, outdir: Path) -> list[Path]:
    written = []
    for relative, text in catalog_export_files().items():
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
