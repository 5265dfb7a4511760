"""The engine: battery + inverter (+ their documented pairings) -> one ``Configuration``, in stages that each
return values: choose the link (link.py) -> judge it -> the cable (cable.py) -> termination (termination.py)
-> the packs' DIP switches (packs.py) -> settings -> warnings."""

from __future__ import annotations

from dataclasses import replace

from configurator.domain.cable import ENABLE_SIGNALS, compute_cable_mapping, missing_link_signals
from configurator.domain.errors import BusNotOffered, ConfigurationError, OptionNotOffered, TooManyPacks
from configurator.domain.findings import Code, Finding, Severity, finding
from configurator.domain.link import BUS_ORDER, Link, NoLink, choose_link, selection, shared_protocols
from configurator.domain.packs import compute_pack_settings, pack_limit
from configurator.domain.result import (
    Basis,
    Cable,
    Configuration,
    DeviceRef,
    FirmwareRequirement,
    OptionChoices,
    ProtocolOption,
    SettingLine,
    Termination,
)
from configurator.domain.termination import chained_port, plan_termination, terminated_packs
from configurator.domain.types import (
    MAX_PACKS,
    DeviceSpec,
    Options,
    PairingSpec,
    Source,
)
from configurator.domain.vocabulary import NoteKind, PortRole, SelectionMethod, Verdict

__all__ = ["available_options", "configure", "require_bus"]


def _ref(device: DeviceSpec | None, asked: str = "", field: str = "") -> DeviceRef | None:
    """The device as the result names it; ``asked``: the name it was picked by, one of those it is sold under
    (any case, spaces, dashes and dots), else refused."""
    if device is None:
        return None
    sold_as = device.sold_under(asked)
    if asked.strip() and not sold_as:
        raise OptionNotOffered(
            field,
            f"{device.name} is not sold as '{asked.strip()}' in the catalog.",
            device.sold_as,
            code="not_sold_as",
            device=device.name,
            asked=asked.strip(),
        )
    return DeviceRef(device.slug, device.name, device.kind, device.voltage_class, sold_as)


def _check(options: Options, battery: DeviceSpec, inverter: DeviceSpec) -> None:
    if options.bus not in ("best", *BUS_ORDER):
        raise ConfigurationError(
            f"Unknown bus '{options.bus}': choose can, rs485 or best.", code="unknown_bus", bus=options.bus
        )
    if options.colours not in ("t568b", "t568a"):
        raise ConfigurationError(
            f"Unknown colour standard '{options.colours}': choose t568b or t568a.",
            code="unknown_colours",
            colours=options.colours,
        )
    if not 1 <= options.packs <= MAX_PACKS:
        raise TooManyPacks(
            f"Configure between 1 and {MAX_PACKS} packs; {options.packs} were asked for.",
            code="packs_out_of_range",
            most=MAX_PACKS,
            packs=options.packs,
        )
    if battery.kind != "battery" or inverter.kind != "inverter":
        raise ConfigurationError("Pick a battery and an inverter.", code="pick_pair")


# ---- judge: the voltage and the evidence -------------------------------------------------------------------


def voltage_question(battery: DeviceSpec, inverter: DeviceSpec) -> Finding | None:
    """An HV device opposite anything but another HV one (a documented HV/LV clash is a verdict, not a question):
    a safety question before a communication one."""
    b, i = battery.voltage_class, inverter.voltage_class
    if "hv" not in (b, i) or b == i or {b, i} == {"hv", "lv"}:
        return None
    hv, other = (battery, inverter) if b == "hv" else (inverter, battery)
    return finding(
        Code.VOLTAGE_QUESTION, Severity.DANGER, hv=hv.name, other=other.name, other_class=other.voltage_class
    )


def judge(battery: DeviceSpec, inverter: DeviceSpec, link: Link, cable: Cable | None) -> tuple[str, list[Finding]]:
    """The verdict and the reasons for it. Documented: a source documents the pair. Derived: both devices'
    documented facts give every part of the link. Otherwise: needs_check, with what is missing."""
    reasons: list[Finding] = []
    pairing = link.pairing
    missing = (
        missing_link_signals(link.bus, link.battery_port, link.inverter_port)
        if link.battery_port and link.inverter_port
        else [("port", "battery" if link.battery_port is None else "inverter", "")]
    )
    if pairing is not None:
        reasons.append(
            finding(
                Code.DOCUMENTED_BY,
                source=pairing.source,
                by=pairing.documented_by,
                document=pairing.source.title or pairing.source.document,
                section=pairing.source.section,
            )
        )
        if link.adapter is not None:
            reasons.append(finding(Code.THROUGH_ADAPTER, adapter=link.adapter.name))
        reasons += link.findings
        if missing and not (cable and cable.documented):
            reasons.append(finding(Code.PINS_MISSING, missing=tuple(missing)))
        reasons += [
            finding(Code.PAIRING_NOTE, source=n.source, text=n.text, translations=n.translations)
            for n in pairing.notes
            if n.kind == NoteKind.INFO
        ]
        return Verdict.DOCUMENTED, reasons
    reasons.append(finding(Code.NOT_DOCUMENTED))
    reasons += link.findings
    if missing:
        reasons.append(finding(Code.PINS_MISSING, missing=tuple(missing)))
    voltage = voltage_question(battery, inverter)
    open_ends = cable is None or any(c.basis == Basis.UNKNOWN for c in cable.conductors) or not cable.known
    if link.protocol and not missing and not open_ends and not voltage:
        return Verdict.DERIVED, reasons
    if voltage and link.protocol and not missing:
        reasons.append(finding(Code.VOLTAGE_FIRST))
    return Verdict.NEEDS_CHECK, reasons


# ---- settings -------------------------------------------------------------------------------------------------


def _setting_lines(side: str, settings, basis: str = Basis.DOCUMENTED) -> list[SettingLine]:
    return [
        SettingLine(side, s.name, s.value, s.menu_path, s.optional, s.note, s.source, basis, fallback=s.fallback)
        for s in settings
    ]


VERBS = {"battery": "speak", "inverter": "accept", "adapter": "pass on"}
VALUED = (SelectionMethod.DIP, SelectionMethod.PC_TOOL, SelectionMethod.LCD_MENU)  # a selection that sets a value


def _cited(source: Source | None) -> str:
    return f"{source.title or source.document}, '{source.section}'" if source else "the catalog"


def _chain(side: str, device: DeviceSpec, link: Link) -> Finding | None:
    """Why a selection that a source states for the device alone is only derived for this pair: no source pairs
    the two, or the pairing's source does not name the protocol; the other end speaks it too (as its source says,
    or as derived)."""
    if link.protocol is None or (link.pairing is not None and link.pairing.protocol is not None):
        return None
    other = link.inverter_end if side == "battery" else link.battery_end
    theirs = selection(other, link)
    return finding(
        Code.SETTING_DERIVED,
        paired=link.pairing is not None,
        other=other.name,
        protocol=link.protocol.name,
        other_source=_cited(theirs.source if theirs else None),
        other_derivation=theirs.derivation if theirs else "",
    )


def _protocol_lines(side: str, device: DeviceSpec, link: Link) -> list[SettingLine]:
    """How this side is set to the link's protocol: its selection for that protocol and the selection's extra
    settings (documented, or derived with its chain), nothing to set (a battery that speaks only this protocol,
    or a device that detects it by itself), or a line saying what is not known. An inverter the sources only say
    speaks the protocol is not known to need nothing: its menu may still have to be told."""
    protocol = link.protocol
    if protocol is None:
        return [
            SettingLine(
                side, "", basis=Basis.UNKNOWN, finding=finding(Code.SETTING_PROTOCOL_UNKNOWN, device=device.name)
            )
        ]
    dp = selection(device, link)
    told_nothing = dp is not None and dp.method == SelectionMethod.FIXED and side != "battery"
    if dp is None or told_nothing or (dp.method in VALUED and not dp.value):
        unknown = finding(
            Code.SETTING_NOT_STATED if told_nothing else Code.SETTING_UNKNOWN,
            device=device.name,
            verb=VERBS[side],
            protocol=protocol.name,
            menu=dp.menu_path if dp else "",
        )
        return [SettingLine(side, "", basis=Basis.UNKNOWN, source=dp.source if dp else None, finding=unknown)]
    derived = bool(dp.derivation) or link.protocol_basis != Basis.DOCUMENTED
    basis = Basis.DERIVED if derived else Basis.DOCUMENTED
    chain = _chain(side, device, link) if derived else None
    if dp.method in (SelectionMethod.FIXED, SelectionMethod.AUTOMATIC):
        nothing = finding(Code.SETTING_NOTHING, device=device.name, protocol=protocol.name, how=dp.method)
        return [
            SettingLine(side, "", note=dp.note, source=dp.source, basis=basis, derivation=dp.derivation, chain=chain,
                        finding=nothing)
        ]  # fmt: skip
    if dp.method == SelectionMethod.DIP:
        name, where = f"Protocol: {protocol.name}", "DIP switches of the master pack (x: per address)"
    else:
        named = ">" in dp.menu_path  # the last step of a menu path names the setting; else it is the protocol's
        name, where = (
            (dp.menu_path.rsplit(">", 1)[-1].strip() if named else f"Protocol: {protocol.name}"),
            dp.menu_path,
        )
    main = SettingLine(side, name, dp.value, where, False, dp.note, dp.source, basis, dp.derivation, chain=chain)
    extras = [replace(line, derivation=dp.derivation, chain=chain) for line in _setting_lines(side, dp.extras, basis)]
    return [main, *extras]


def settings(link: Link, battery: DeviceSpec, inverter: DeviceSpec) -> dict[str, list[SettingLine]]:
    """Each side's settings, never none: the pairing's own (documented); else the side's selection of the link's
    protocol (derived where the protocol or the selection is), or a line saying it is not known; then the
    device's standing settings."""
    from_pairing = link.pairing.settings if link.pairing else ()
    lines = {}
    for side, device in (("battery", battery), ("inverter", inverter)):
        own = _setting_lines(side, [s for s in from_pairing if s.side == side])
        if not own:
            end = link.battery_end if side == "battery" else link.inverter_end
            # Through an adapter at this end, the device talks to the adapter: its setting is the pairing's to give.
            own = _protocol_lines(side, device, link) if end is device else []
        lines[side] = own + _setting_lines(side, device.settings)
    lines["adapter"] = _setting_lines("adapter", [s for s in from_pairing if s.side == "adapter"])
    if link.adapter is not None:
        lines["adapter"] += _setting_lines("adapter", link.adapter.settings)
    return lines


# ---- conditions: firmware and limitations ----------------------------------------------------------------------


def firmware(link: Link, battery: DeviceSpec, inverter: DeviceSpec) -> list[FirmwareRequirement]:
    """The firmware the sources require for this link: the pairing's, then each side's selection of the protocol."""
    found = []
    if link.pairing is not None:
        for side, device, condition in (
            ("battery", battery, link.pairing.battery_firmware),
            ("inverter", inverter, link.pairing.inverter_firmware),
        ):
            if condition:
                found.append(FirmwareRequirement(side, device.name, condition, "pairing", link.pairing.source))
    for side, device in (("battery", battery), ("inverter", inverter)):
        if (dp := selection(device, link)) is not None and dp.firmware:
            found.append(FirmwareRequirement(side, device.name, dp.firmware, "protocol", dp.source))
    return found


def limitations(link: Link, battery: DeviceSpec, inverter: DeviceSpec) -> list[Finding]:
    """What does not work over this link, as the pairing's source or either side's protocol selection says."""
    found = (
        [
            finding(Code.LIMITATION, Severity.WARNING, link.pairing.source, text=text)
            for text in link.pairing.limitations
        ]
        if link.pairing
        else []
    )
    for device in (battery, inverter):
        if (dp := selection(device, link)) is not None:
            found += [finding(Code.LIMITATION, Severity.WARNING, dp.source, text=text) for text in dp.limitations]
    return found


# ---- warnings -------------------------------------------------------------------------------------------------


def _note_warnings(*owners) -> list[Finding]:
    """The owners' warning and conflict notes, conflicts marked as such."""
    found = []
    for owner in owners:
        for note in owner.notes if owner is not None else ():
            code = {NoteKind.WARNING: Code.CATALOG_NOTE, NoteKind.CONFLICT: Code.SOURCES_DISAGREE}.get(note.kind)
            if code is not None:
                said = {"text": note.text, "translations": note.translations}
                found.append(finding(code, Severity.WARNING, note.source, **said))
    return found


def warnings(
    battery: DeviceSpec,
    inverter: DeviceSpec,
    link: Link,
    cable: Cable | None,
    options: Options,
    required: list[FirmwareRequirement],
) -> list[Finding]:
    found = [w for w in (voltage_question(battery, inverter),) if w]  # the voltage question first: a safety one
    found += [
        finding(
            Code.FIRMWARE_REQUIRED,
            Severity.WARNING,
            r.source,
            side=r.side,
            device=r.device,
            condition=r.condition,
            required_by=r.required_by,
        )
        for r in required
    ]
    found += limitations(link, battery, inverter)
    found += _note_warnings(battery, inverter, link.adapter, link.pairing)
    found += [f for f in link.findings if f.severity != Severity.INFO]
    if cable is not None:
        for needs, other, end in ((battery, inverter, "battery_position"), (inverter, battery, "inverter_position")):
            open_ends = [
                c
                for c in cable.conductors
                if c.signal in ENABLE_SIGNALS and c.basis == Basis.UNKNOWN and getattr(c, end) is not None
            ]
            if open_ends:  # one warning for the loop: its lines, and the pins they leave from
                found.append(
                    finding(
                        Code.ENABLE_END_UNKNOWN,
                        Severity.WARNING,
                        signals=tuple(c.signal for c in open_ends),
                        positions=tuple(getattr(c, end) for c in open_ends),
                        needs=needs.name,
                        other=other.name,
                    )
                )
        found += [n for n in cable.notes if n.code == Code.CABLE_UNKNOWN]  # the rest is said with the cable
    parallel = [p for p in battery.ports if p.role == PortRole.PARALLEL]
    if options.packs > 1 and link.battery_side == "battery" and chained_port(link.bus, parallel) is None:
        unstated = [p.name for p in parallel if not p.buses]
        if parallel and len(unstated) == len(parallel):
            found.append(finding(Code.PACK_BUS_UNKNOWN, Severity.WARNING, ports=tuple(unstated)))
    if options.packs > 1 and pack_limit(battery.max_packs, battery.dip_banks) is None:
        found.append(finding(Code.PACKS_NO_LIMIT, Severity.WARNING, packs=options.packs))
    return found


# ---- the whole -------------------------------------------------------------------------------------------------


def _sources(*groups) -> tuple[Source, ...]:
    found: set[Source] = set()
    for group in groups:
        for item in group:
            source = item if isinstance(item, Source) else getattr(item, "source", None)
            if source is not None:
                found.add(source)
    return tuple(sorted(found))


def configure(
    battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...] = (), options: Options | None = None
) -> Configuration:
    """Everything an installer needs to connect this battery to this inverter, from the catalog alone."""
    options = options or Options()
    _check(options, battery, inverter)
    base = {
        "battery": _ref(battery, options.battery_as, "battery_as"),
        "inverter": _ref(inverter, options.inverter_as, "inverter_as"),
    }
    link = choose_link(battery, inverter, pairings, options)
    if isinstance(link, NoLink):
        warned = _note_warnings(battery, inverter) if link.verdict != Verdict.INCOMPATIBLE else []
        voltage = voltage_question(battery, inverter)
        return Configuration(
            **base,
            adapter=None,
            verdict=link.verdict,
            reasons=link.reasons,
            warnings=tuple(w for w in (voltage, *warned) if w),
            sources=_sources((battery.source, inverter.source), warned),
        )

    cable = None
    if link.battery_port and link.inverter_port:
        cable = compute_cable_mapping(
            link.bus,
            link.battery_port,
            link.inverter_port,
            colours=options.colours,
            crimp=link.pairing.crimp if link.pairing else (),
            documented_standard=link.pairing.standard_cable if link.pairing else None,
        )
    verdict, reasons = judge(battery, inverter, link, cable)

    termination: Termination | None = None
    parallel = [p for p in battery.ports if p.role == PortRole.PARALLEL]
    if link.battery_port and link.inverter_port:
        names = {"battery": battery.name, "inverter": inverter.name}
        if link.adapter is not None:
            names["adapter"] = link.adapter.name
        termination = plan_termination(
            link.bus,
            link.battery_port,
            link.inverter_port,
            options.packs,
            parallel,
            names=names,
            battery_side=link.battery_side,
            inverter_side=link.inverter_side,
        )

    chosen = selection(battery, link)
    picks_by_dip = any(dp.method == SelectionMethod.DIP for dp in battery.protocols)
    # The master's protocol switches: the documented pattern; unknown where the protocol (or its DIP setting) is
    # not known for this pair; none at all when the battery picks its protocol another way.
    pattern = (
        chosen.value
        if chosen and chosen.method == SelectionMethod.DIP
        else (None if picks_by_dip or not chosen else "")
    )
    packs = compute_pack_settings(
        options.packs,
        battery.dip_banks,
        max_packs=battery.max_packs,
        protocol_pattern=pattern,
        terminated_packs=terminated_packs(termination),
    )
    lines = settings(link, battery, inverter)
    required = firmware(link, battery, inverter)
    warned = warnings(battery, inverter, link, cable, options, required)
    ports = [p for p in (link.battery_port, link.inverter_port) if p is not None]
    return Configuration(
        **base,
        adapter=_ref(link.adapter),
        verdict=verdict,
        reasons=tuple(dict.fromkeys(reasons)),
        bus=link.bus,
        protocol=link.protocol.name if link.protocol else None,
        protocol_slug=link.protocol.slug if link.protocol else None,
        bitrate=link.protocol.bitrate if link.protocol else None,
        protocol_basis=link.protocol_basis,
        protocol_choices=tuple(ProtocolOption(p.slug, p.name) for p in link.protocol_choices),
        battery_port=link.battery_port.name if link.battery_port else None,
        inverter_port=link.inverter_port.name if link.inverter_port else None,
        cable=cable,
        packs=packs,
        termination=termination,
        battery_settings=tuple(lines["battery"]),
        inverter_settings=tuple(lines["inverter"]),
        adapter_settings=tuple(lines["adapter"]),
        warnings=tuple(dict.fromkeys(warned)),
        sources=_sources(
            (battery.source, inverter.source),
            [link.pairing] if link.pairing else [],
            [link.protocol] if link.protocol else [],
            ports,
            [pin for port in ports for pin in port.pins] if cable is not None else [],
            battery.dip_banks,
            *lines.values(),
            reasons,
            warned,
        ),
        pairing=link.pairing.slug if link.pairing else None,
        firmware=tuple(required),
    )


def require_bus(options: Options, choices: OptionChoices) -> None:
    """Refuse a bus asked for by name that the pair does not talk over (BusNotOffered): the answer is on the bus
    asked for, or there is none."""
    if options.bus != "best" and options.bus not in choices.buses:
        raise BusNotOffered(options.bus, choices.buses)


def available_options(
    battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...] = ()
) -> OptionChoices:
    """The buses this pair can talk over (each one the engine would configure), on each the protocols both ends
    share and the ports each end offers, and the pack limit."""
    buses, protocols, battery_ports, inverter_ports = [], [], [], []
    for bus in BUS_ORDER:
        link = choose_link(battery, inverter, pairings, Options(bus=bus))
        if isinstance(link, NoLink):
            continue
        buses.append(bus)
        offered = shared_protocols(link.battery_end, link.inverter_end, bus)
        protocols.append((bus, tuple(ProtocolOption(dp.protocol.slug, dp.protocol.name) for dp in offered)))
        for ports, device, role in (
            (battery_ports, link.battery_end, PortRole.INVERTER_LINK),
            (inverter_ports, link.inverter_end, PortRole.BATTERY_LINK),
        ):
            ports.append((bus, tuple(p.name for p in device.ports if p.role == role and bus in p.buses)))
    limit = pack_limit(battery.max_packs, battery.dip_banks)
    return OptionChoices(
        tuple(buses),
        min(limit or MAX_PACKS, MAX_PACKS),
        limit is not None,
        tuple(protocols),
        tuple(battery_ports),
        tuple(inverter_ports),
    )
