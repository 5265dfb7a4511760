"""The only bridge between the ORM and the engine: prefetched catalog rows -> frozen domain values.

Every function here reads only what the selectors prefetched; none of them queries.
"""

from __future__ import annotations

from catalog import models as m
from configurator.domain import types as t

__all__ = ["device_spec", "pairing_spec"]


def _source(row) -> t.Source:
    source = row.source
    return t.Source(source.document.key, source.section, source.page, source.document.title)


def _protocol(protocol: m.Protocol) -> t.ProtocolSpec:
    return t.ProtocolSpec(
        protocol.slug,
        protocol.name,
        protocol.bus,
        protocol.bitrate,
        protocol.notes,
        _source(protocol),
        tuple(protocol.aliases),
        protocol.master,
    )


def _port(port: m.Port) -> t.PortSpec:
    return t.PortSpec(
        name=port.name,
        connector=port.connector,
        role=port.role,
        buses=tuple(port.buses),
        positions=port.positions,
        pinout=port.pinout,
        termination=port.termination,
        termination_note=port.termination_note,
        note=port.note,
        pins=tuple(
            t.PinSpec(
                pin.position,
                pin.signal,
                pin.label,
                pin.terminal,
                pin.channel,
                pin.note,
                _source(pin),
                pin.polarity_assumed,
            )
            for pin in port.pin_assignments.all()
        ),
        source=_source(port),
        bitrates=tuple(port.bitrates),
    )


def _setting(setting: m.Setting, side: str = "") -> t.SettingSpec:
    return t.SettingSpec(
        setting.name,
        setting.value,
        setting.menu_path,
        setting.optional,
        setting.note,
        _source(setting),
        side,
        setting.fallback,
    )


def _notes(notes) -> tuple[t.NoteSpec, ...]:
    return tuple(t.NoteSpec(note.kind, note.text, _source(note), tuple(note.translated().items())) for note in notes)


def device_spec(device: m.Device) -> t.DeviceSpec:
    return t.DeviceSpec(
        slug=device.slug,
        manufacturer=device.manufacturer.name,
        model=device.model,
        kind=device.kind,
        voltage_class=device.voltage_class,
        source=_source(device),
        max_packs=device.max_packs,
        ports=tuple(_port(port) for port in device.ports.all()),
        protocols=tuple(
            t.DeviceProtocolSpec(
                _protocol(dp.protocol),
                dp.method,
                dp.menu_path,
                dp.value,
                dp.note,
                _source(dp),
                dp.priority,
                dp.firmware,
                tuple(dp.limitations),
                dp.derivation,
                tuple(_setting(extra) for extra in dp.extras.all()),
            )
            for dp in device.device_protocols.all()
        ),
        dip_banks=tuple(
            t.DipBankSpec(
                name=bank.name,
                switch_count=bank.switch_count,
                switches=tuple(t.DipSwitchSpec(s.position, s.function, s.bit, s.label) for s in bank.switches.all()),
                on_direction=bank.on_direction,
                master_address=bank.master_address,
                first_slave_address=bank.first_slave_address,
                max_packs=bank.max_packs,
                all_packs_pattern=bank.all_packs_pattern,
                last_pack_pattern=bank.last_pack_pattern,
                numbering_stated=bank.numbering_stated,
                note=bank.note,
                source=_source(bank),
            )
            for bank in device.dip_banks.all()
        ),
        settings=tuple(_setting(setting) for setting in device.settings.all()),
        notes=_notes(device.catalog_notes.all()),
        sold_as=(*device.aliases, *device.variants),
        maker_named=device.manufacturer.named,
    )


def _ref(pin: m.PinAssignment | None) -> int | str | None:
    return None if pin is None else pin.key


def pairing_spec(pairing: m.DocumentedPairing, adapter: t.DeviceSpec | None = None) -> t.PairingSpec:
    sides = {pairing.battery_id: "battery", pairing.inverter_id: "inverter", pairing.adapter_id: "adapter"}
    end = lambda port: (port.device.slug, port.name) if port is not None else None  # noqa: E731
    return t.PairingSpec(
        slug=pairing.slug,
        battery=pairing.battery.slug,
        inverter=pairing.inverter.slug,
        bus=pairing.bus,
        documented_by=pairing.documented_by,
        source=_source(pairing),
        adapter=adapter,
        protocol=_protocol(pairing.protocol) if pairing.protocol else None,
        battery_end=end(pairing.battery_port),
        inverter_end=end(pairing.inverter_port),
        standard_cable=pairing.standard_cable,
        crimp=tuple(
            t.CrimpSpec(c.signal, _ref(c.battery_pin), _ref(c.inverter_pin), c.note) for c in pairing.conductors.all()
        ),
        settings=tuple(_setting(s, sides.get(s.device_id, "")) for s in pairing.settings.all()),
        notes=_notes(pairing.catalog_notes.all()),
        battery_firmware=pairing.battery_firmware,
        inverter_firmware=pairing.inverter_firmware,
        limitations=tuple(pairing.limitations),
    )
