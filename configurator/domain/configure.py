"""The engine: battery + inverter (+ their documented pairings) -> one ``Configuration``."""

from __future__ import annotations

from dataclasses import dataclass

from configurator.domain.cable import LINK_SIGNALS, compute_cable_mapping, missing_link_signals
from configurator.domain.errors import BusNotOffered, ConfigurationError, TooManyPacks
from configurator.domain.packs import compute_pack_settings, pack_limit
from configurator.domain.result import Configuration, DeviceRef, OptionChoices, SettingLine, Verdict
from configurator.domain.termination import chained_port, plan_termination
from configurator.domain.types import (
    MAX_PACKS,
    DeviceProtocolSpec,
    DeviceSpec,
    NoteSpec,
    Options,
    PairingSpec,
    PortSpec,
    ProtocolSpec,
    Source,
)
from configurator.domain.vocabulary import BUS_NAMES

__all__ = ["available_options", "configure", "require_bus"]

BUS_ORDER = ("can", "rs485")
DOCUMENTED_BY = {
    "battery_maker": "the battery maker",
    "inverter_maker": "the inverter maker",
    "installer_guide": "an installer guide",
}


def _ref(device: DeviceSpec | None) -> DeviceRef | None:
    if device is None:
        return None
    return DeviceRef(device.slug, device.name, device.kind, device.voltage_class)


def _link_ports(device: DeviceSpec, role: str, bus: str) -> list[PortSpec]:
    return [port for port in device.ports if port.role == role and bus in port.buses]


def _best_port(ports: list[PortSpec], bus: str) -> PortSpec | None:
    """The first port that lists the bus's signals; else the first port on the bus."""
    known = [p for p in ports if all(p.with_signal({s}) for s in LINK_SIGNALS[bus])]
    return (known or ports or [None])[0]


def _protocols_on(device: DeviceSpec | None, bus: str) -> dict[str, DeviceProtocolSpec]:
    if device is None:
        return {}
    return {dp.protocol.slug: dp for dp in device.protocols if dp.protocol.bus == bus}


def _pick_pairing(pairings: tuple[PairingSpec, ...], options: Options) -> PairingSpec | None:
    usable = [p for p in pairings if options.bus in ("best", p.bus)]

    def rank(p: PairingSpec):
        return (not p.crimp, p.protocol is None, p.adapter is not None, BUS_ORDER.index(p.bus), p.slug)

    return min(usable, key=rank, default=None)


def _voltage_clash(battery: DeviceSpec, inverter: DeviceSpec) -> str | None:
    b, i = battery.voltage_class, inverter.voltage_class
    if {b, i} == {"hv", "lv"}:
        return f"{battery.name} is a {b.upper()} battery and {inverter.name} a {i.upper()} inverter."
    return None


VOLTAGE_WORDS = {
    "lv": "a low-voltage (48 V) device",
    "lv_hv": "low voltage alone and high voltage only when stacked through its HV box",
    "unknown": "of a voltage class the catalog does not know",
    "n_a": "of no stated voltage class",
}


def _voltage_question(battery: DeviceSpec, inverter: DeviceSpec) -> str | None:
    """An HV device opposite anything but another HV one (a documented HV/LV clash is a verdict, not a question):
    a safety question before a communication one."""
    b, i = battery.voltage_class, inverter.voltage_class
    if "hv" not in (b, i) or b == i or {b, i} == {"hv", "lv"}:
        return None
    hv, other = (battery, inverter) if b == "hv" else (inverter, battery)
    return (
        f"Voltage first: {hv.name} is a high-voltage (HV) device, hundreds of volts DC; {other.name} is "
        f"{VOLTAGE_WORDS.get(other.voltage_class, other.voltage_class)}. Confirm from both manuals that the "
        "inverter's battery input takes this battery's voltage before connecting anything."
    )


def _link_buses(device: DeviceSpec, role: str) -> set[str]:
    return {bus for port in device.ports if port.role == role for bus in port.buses}


def _no_link_is_known(battery: DeviceSpec, inverter: DeviceSpec) -> list[str]:
    """The sides whose link port the catalog does not know: then "no common bus" is unknown, not incompatible."""
    unknown = []
    for device, role in ((battery, "inverter_link"), (inverter, "battery_link")):
        if not _link_buses(device, role):
            unknown.append(
                f"The catalog does not know {device.name}'s BMS link port (no port, or its bus is not in the "
                f"source): read its manual for the port, its bus and its pins."
            )
    return unknown


@dataclass
class _Link:
    bus: str
    battery_port: PortSpec | None
    inverter_port: PortSpec | None
    protocol: ProtocolSpec | None
    protocol_derived: bool


def _common_protocol(battery_side: DeviceSpec, inverter_side: DeviceSpec, bus: str) -> ProtocolSpec | None:
    ours, theirs = _protocols_on(battery_side, bus), _protocols_on(inverter_side, bus)
    common = sorted(ours.keys() & theirs.keys())
    return ours[common[0]].protocol if common else None


def _undocumented_link(battery: DeviceSpec, inverter: DeviceSpec, options: Options) -> tuple[_Link | None, list[str]]:
    """The best bus for a pair no source documents: known pins and a shared protocol first."""
    buses = BUS_ORDER if options.bus == "best" else (options.bus,)
    candidates = []
    for bus in buses:
        b_port = _best_port(_link_ports(battery, "inverter_link", bus), bus)
        i_port = _best_port(_link_ports(inverter, "battery_link", bus), bus)
        if b_port is None or i_port is None:
            continue
        protocol = _common_protocol(battery, inverter, bus)
        complete = not missing_link_signals(bus, b_port, i_port)
        candidates.append(
            (
                not (complete and protocol),
                not complete,
                BUS_ORDER.index(bus),
                _Link(bus, b_port, i_port, protocol, True),
            )
        )
    if not candidates:
        offered = {
            side.name: sorted({b for p in side.ports if p.role == role for b in p.buses})
            for side, role in ((battery, "inverter_link"), (inverter, "battery_link"))
        }
        why = "; ".join(
            f"{name} offers {', '.join(map(str.upper, buses)) or 'no documented link port'}"
            for name, buses in offered.items()
        )
        wanted = "" if options.bus == "best" else f" {BUS_NAMES[options.bus]}"
        return None, [f"No common{wanted} bus: {why}."]
    return min(candidates, key=lambda c: c[:3])[3], []


def _end_port(
    pairing: PairingSpec, end, devices: dict[str, DeviceSpec], fallback: DeviceSpec, role: str
) -> PortSpec | None:
    if end is not None and end[0] in devices:
        port = devices[end[0]].port(end[1])
        if port is not None:
            return port
    return _best_port(_link_ports(fallback, role, pairing.bus), pairing.bus)


def _setting_lines(side: str, settings) -> list[SettingLine]:
    return [SettingLine(side, s.name, s.value, s.menu_path, s.optional, s.note, s.source) for s in settings]


def _protocol_line(side: str, dp: DeviceProtocolSpec | None) -> list[SettingLine]:
    if dp is None or dp.method in ("fixed", "automatic"):
        return []
    if dp.method == "dip":
        return [
            SettingLine(
                side,
                f"Protocol: {dp.protocol.name}",
                dp.value,
                "DIP switches of the master pack (x: per address)",
                note=dp.note,
                source=dp.source,
            )
        ]
    if dp.method == "lcd_menu" and not dp.value:
        return []
    return [
        SettingLine(
            side,
            dp.menu_path.rsplit(">", 1)[-1].strip() or "Protocol",
            dp.value,
            dp.menu_path,
            note=dp.note,
            source=dp.source,
        )
    ]


def _notes(*owners) -> list[NoteSpec]:
    return [note for owner in owners if owner is not None for note in owner.notes]


WARNING_NOTES = ("warning", "conflict")


def _note_warnings(*owners) -> list[str]:
    """The owners' warning and conflict notes as warnings, conflicts marked as such."""
    return [
        ("Sources disagree: " if note.kind == "conflict" else "") + note.text
        for note in _notes(*owners)
        if note.kind in WARNING_NOTES
    ]


def configure(
    battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...] = (), options: Options | None = None
) -> Configuration:
    """Everything an installer needs to connect this battery to this inverter, from the catalog alone."""
    options = options or Options()
    if options.bus not in ("best", *BUS_ORDER):
        raise ConfigurationError(f"Unknown bus '{options.bus}': choose can, rs485 or best.")
    if options.colours not in ("t568b", "t568a"):
        raise ConfigurationError(f"Unknown colour standard '{options.colours}': choose t568b or t568a.")
    if not 1 <= options.packs <= MAX_PACKS:
        raise TooManyPacks(f"Configure between 1 and {MAX_PACKS} packs; {options.packs} were asked for.")
    if battery.kind != "battery" or inverter.kind != "inverter":
        raise ConfigurationError("Pick a battery and an inverter.")
    base = {"battery": _ref(battery), "inverter": _ref(inverter)}
    pairing = _pick_pairing(
        tuple(p for p in pairings if p.battery == battery.slug and p.inverter == inverter.slug), options
    )
    adapter = pairing.adapter if pairing else None
    reasons: list[str] = []
    sources: set[Source] = {battery.source, inverter.source}

    voltage = _voltage_question(battery, inverter)
    if pairing is None:
        clash = _voltage_clash(battery, inverter)
        if clash:
            return Configuration(
                **base, adapter=None, verdict=Verdict.INCOMPATIBLE, reasons=(clash,), sources=tuple(sorted(sources))
            )
        link, why = _undocumented_link(battery, inverter, options)
        if link is None and (unknown := _no_link_is_known(battery, inverter)):
            return Configuration(
                **base,
                adapter=None,
                verdict=Verdict.NEEDS_CHECK,
                reasons=("No source documents this pair, and the link cannot be worked out.", *unknown),
                warnings=tuple(w for w in (voltage, *_note_warnings(battery, inverter)) if w),
                sources=tuple(sorted(sources)),
            )
        if link is None:
            return Configuration(
                **base, adapter=None, verdict=Verdict.INCOMPATIBLE, reasons=tuple(why), sources=tuple(sorted(sources))
            )
    else:
        devices = {d.slug: d for d in (battery, inverter, adapter) if d is not None}
        b_port = _end_port(pairing, pairing.battery_end, devices, battery, "inverter_link")
        i_port = _end_port(pairing, pairing.inverter_end, devices, inverter, "battery_link")
        protocol, derived = pairing.protocol, False
        if protocol is None:
            battery_side = (
                adapter if pairing.battery_end and adapter and pairing.battery_end[0] == adapter.slug else battery
            )
            inverter_side = (
                adapter if pairing.inverter_end and adapter and pairing.inverter_end[0] == adapter.slug else inverter
            )
            protocol, derived = _common_protocol(battery_side, inverter_side, pairing.bus), True
        link = _Link(pairing.bus, b_port, i_port, protocol, derived)
        sources.add(pairing.source)
        by = DOCUMENTED_BY.get(pairing.documented_by, pairing.documented_by)
        reasons.append(f"Documented by {by}: {pairing.source.document}, section '{pairing.source.section}'.")
        if adapter is not None:
            reasons.append(f"The link runs through the {adapter.name}.")

    bus_name = BUS_NAMES[link.bus]
    missing = (
        missing_link_signals(link.bus, link.battery_port, link.inverter_port)
        if link.battery_port and link.inverter_port
        else ["a link port"]
    )
    if pairing is not None:
        verdict = Verdict.DOCUMENTED
        if link.protocol is None:
            reasons.append(
                "The source names no protocol and the catalog finds none both sides speak: check it on site."
            )
        elif link.protocol_derived:
            reasons.append(f"The source names no protocol; both sides speak {link.protocol.name} (derived).")
    else:
        reasons.append("No source documents this pair: the answer is derived from the two devices' own data.")
        if link.protocol is None:
            reasons.append(f"Both have a {bus_name} port, but the catalog finds no protocol both speak.")
        else:
            reasons.append(f"Both speak {link.protocol.name} over {bus_name}.")
        if missing:
            reasons.append("Pins not in the catalog: " + "; ".join(missing) + ".")
        verdict = Verdict.DERIVED if link.protocol and not missing and not voltage else Verdict.NEEDS_CHECK
        if voltage and link.protocol and not missing:
            reasons.append("The voltage classes need checking first (see the warnings).")

    cable = None
    documented_cable = bool(pairing and (pairing.crimp or pairing.standard_cable))  # a source gives the cable
    if link.battery_port and link.inverter_port and missing and not documented_cable:
        # Unknown pins on a side: no conductor is invented and nothing is cut; the installer reads the manual.
        if pairing is not None:
            reasons.append("Pins not in the catalog: " + "; ".join(missing) + ".")
        reasons.append(
            "The cable cannot be worked out from the catalog: take both pin tables from the makers' manuals "
            "(BMS port) and join CAN_H to CAN_H, CAN_L to CAN_L (RS485 + to +, - to -)."
        )
    elif link.battery_port and link.inverter_port:
        cable = compute_cable_mapping(
            link.bus,
            link.battery_port,
            link.inverter_port,
            colours=options.colours,
            crimp=pairing.crimp if pairing else (),
            documented_standard=pairing.standard_cable if pairing else None,
        )
        sources.update(p.source for p in (link.battery_port, link.inverter_port) if p.source)
        for port in (link.battery_port, link.inverter_port):
            sources.update(pin.source for pin in port.pins if pin.source)

    battery_protocols = _protocols_on(battery, link.bus)
    chosen = battery_protocols.get(link.protocol.slug) if link.protocol else None
    bank = battery.dip_banks[0] if battery.dip_banks else None
    # The master's protocol switches: the documented pattern; unknown where no protocol (or none set by DIP) is
    # known for this pair; no DIP protocol at all when the battery picks its protocol another way.
    picks_by_dip = any(dp.method == "dip" for dp in battery.protocols)
    pattern = chosen.value if chosen and chosen.method == "dip" else (None if picks_by_dip or not chosen else "")
    packs = compute_pack_settings(options.packs, bank, max_packs=battery.max_packs, protocol_pattern=pattern)
    if bank is not None and bank.source:
        sources.add(bank.source)
    parallel_ports = [p for p in battery.ports if p.role == "parallel"]
    parallel = chained_port(link.bus, parallel_ports)
    termination = None
    if link.battery_port and link.inverter_port:
        termination = plan_termination(link.bus, link.battery_port, link.inverter_port, options.packs, parallel)

    pairing_settings = pairing.settings if pairing else ()
    battery_settings = _setting_lines("battery", [s for s in pairing_settings if s.side == "battery"])
    if not battery_settings:
        battery_settings = _protocol_line("battery", chosen)
    battery_settings += _setting_lines("battery", battery.settings)
    inverter_protocol = _protocols_on(inverter, link.bus).get(link.protocol.slug) if link.protocol else None
    inverter_settings = _setting_lines("inverter", [s for s in pairing_settings if s.side == "inverter"])
    if not inverter_settings:
        inverter_settings = _protocol_line("inverter", inverter_protocol)
    inverter_settings += _setting_lines("inverter", inverter.settings)
    adapter_settings = _setting_lines("adapter", [s for s in pairing_settings if s.side == "adapter"])
    if adapter is not None:
        adapter_settings += _setting_lines("adapter", adapter.settings)
    for line in (*battery_settings, *inverter_settings, *adapter_settings):
        if line.source:
            sources.add(line.source)
    if link.protocol is not None and link.protocol.source:
        sources.add(link.protocol.source)

    warnings = [voltage] if voltage else []
    warnings += _note_warnings(battery, inverter, adapter, pairing)
    for note in _notes(battery, inverter, adapter, pairing):
        if note.kind in WARNING_NOTES:
            if note.source:
                sources.add(note.source)
        elif pairing is not None and note in pairing.notes:
            reasons.append(note.text)
    if options.packs > 1 and parallel is None and parallel_ports:
        names = ", ".join(f"'{p.name}'" for p in parallel_ports)
        buses = sorted({BUS_NAMES.get(b, b) for p in parallel_ports for b in p.buses}) or [
            "a bus the sources do not state"
        ]
        warnings.append(
            f"The packs talk among themselves through {names} over {' or '.join(buses)}: that is a bus of its own, "
            "with its own two ends; terminate it as the battery's manual says (not on the inverter link)."
        )
    if options.packs > 1 and pack_limit(battery.max_packs, bank) is None:
        warnings.append(
            f"The sources give no maximum number of packs in parallel for this battery; check its manual before "
            f"stacking {options.packs}."
        )
    if cable is not None:
        warnings.extend(cable.hazards if not cable.standard and not cable.documented else ())

    return Configuration(
        **base,
        adapter=_ref(adapter),
        verdict=verdict,
        reasons=tuple(reasons),
        bus=link.bus,
        protocol=link.protocol.name if link.protocol else None,
        protocol_slug=link.protocol.slug if link.protocol else None,
        bitrate=link.protocol.bitrate if link.protocol else None,
        battery_port=link.battery_port.name if link.battery_port else None,
        inverter_port=link.inverter_port.name if link.inverter_port else None,
        cable=cable,
        packs=packs,
        termination=termination,
        battery_settings=tuple(battery_settings),
        inverter_settings=tuple(inverter_settings),
        adapter_settings=tuple(adapter_settings),
        warnings=tuple(dict.fromkeys(warnings)),
        sources=tuple(sorted(s for s in sources if s is not None)),
        pairing=pairing.slug if pairing else None,
    )


def require_bus(options: Options, choices: OptionChoices) -> None:
    """Refuse a bus asked for by name that the pair does not talk over (BusNotOffered): the answer is on the bus
    asked for, or there is none."""
    if options.bus != "best" and options.bus not in choices.buses:
        raise BusNotOffered(options.bus, choices.buses)


def available_options(
    battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...] = ()
) -> OptionChoices:
    """The buses this pair can talk over (each one the engine would configure) and the pack limit."""
    buses = tuple(
        bus
        for bus in BUS_ORDER
        if (result := configure(battery, inverter, pairings, Options(bus=bus))).verdict != Verdict.INCOMPATIBLE
        and result.bus == bus
    )
    limit = pack_limit(battery.max_packs, battery.dip_banks[0] if battery.dip_banks else None)
    return OptionChoices(buses, min(limit or MAX_PACKS, MAX_PACKS), limit is not None)
