"""First stage: which link. The documented pairing (if one fits the request), else the bus both sides offer;
on that bus the protocol (by documented preference, never by sort order) and each end's port (by documented
constraints, or as asked). Everything chosen says why, as findings."""

from __future__ import annotations

from dataclasses import dataclass

from configurator.domain.cable import LINK_SIGNALS, missing_link_signals
from configurator.domain.errors import OptionNotOffered
from configurator.domain.findings import Code, Finding, Severity, finding
from configurator.domain.types import DeviceProtocolSpec, DeviceSpec, Options, PairingSpec, PortSpec, ProtocolSpec
from configurator.domain.vocabulary import BUS_NAMES, Basis, PortRole, Verdict

__all__ = [
    "BUS_ORDER",
    "Link",
    "NoLink",
    "choose_link",
    "choose_port",
    "choose_protocol",
    "protocols_on",
    "selection",
    "shared_protocols",
    "voltage_clash",
]

# Which bus to try first when the request leaves it open and no source decides: CAN, the more common BMS link.
BUS_ORDER = ("can", "rs485")


@dataclass(frozen=True)
class Link:
    bus: str
    battery_end: DeviceSpec  # the device at the cable's battery end: the battery, or the adapter
    battery_port: PortSpec | None
    inverter_end: DeviceSpec  # the inverter, or the adapter
    inverter_port: PortSpec | None
    protocol: ProtocolSpec | None
    protocol_basis: str
    protocol_choices: tuple[ProtocolSpec, ...] = ()
    pairing: PairingSpec | None = None
    adapter: DeviceSpec | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def battery_side(self) -> str:
        return "adapter" if self.adapter is not None and self.battery_end is self.adapter else "battery"

    @property
    def inverter_side(self) -> str:
        return "adapter" if self.adapter is not None and self.inverter_end is self.adapter else "inverter"


@dataclass(frozen=True)
class NoLink:
    """No link can be configured: incompatible on evidence, or not known."""

    verdict: str
    reasons: tuple[Finding, ...]


def protocols_on(device: DeviceSpec | None, bus: str) -> dict[str, DeviceProtocolSpec]:
    if device is None:
        return {}
    return {dp.protocol.slug: dp for dp in device.protocols if dp.protocol.bus == bus}


def shared_protocols(battery: DeviceSpec, inverter: DeviceSpec, bus: str) -> list[DeviceProtocolSpec]:
    """The battery side's selections of the protocols both ends speak on ``bus``, in the battery's order."""
    theirs = protocols_on(inverter, bus)
    return [dp for slug, dp in protocols_on(battery, bus).items() if slug in theirs]


def selection(device: DeviceSpec, link: Link) -> DeviceProtocolSpec | None:
    """How ``device`` is set to the link's protocol (its DIP pattern, menu value, ...), where the catalog has it."""
    return protocols_on(device, link.bus).get(link.protocol.slug) if link.protocol else None


def choose_protocol(
    battery: DeviceSpec, inverter: DeviceSpec, bus: str, asked: str = ""
) -> tuple[ProtocolSpec | None, str, tuple[ProtocolSpec, ...], list[Finding]]:
    """The protocol both ends speak on ``bus``: the one asked for, the only one, or the one a source prefers
    (the battery's ranking first, then the inverter's). Several without a preference: none is chosen, and the
    installer is offered the choice. Returns (protocol, basis, choices, findings)."""
    ours, theirs = protocols_on(battery, bus), protocols_on(inverter, bus)
    common = shared_protocols(battery, inverter, bus)
    if asked:
        named = [dp.protocol for dp in common if dp.protocol.named(asked)]  # by slug, name or an alias
        if not named:
            names = tuple(dp.protocol.slug for dp in common)
            raise OptionNotOffered(
                "protocol",
                f"This pair does not share the protocol '{asked}' on {BUS_NAMES.get(bus, bus)}.",
                names,
                code="protocol_not_shared",
                asked=asked,
                bus=bus,
            )
        protocol = named[0]
        return protocol, Basis.DERIVED, (), [finding(Code.PROTOCOL_ASKED, protocol=protocol.name)]
    if not common:
        return None, Basis.UNKNOWN, (), [finding(Code.PROTOCOL_NONE, bus=bus)]
    if len(common) == 1:
        protocol = common[0].protocol
        return protocol, Basis.DERIVED, (), [finding(Code.PROTOCOL_SHARED, protocol=protocol.name, bus=bus)]
    for side, device, table in (("battery", battery, ours), ("inverter", inverter, theirs)):
        ranked = sorted(
            (table[dp.protocol.slug].priority, dp.protocol.slug) for dp in common if table[dp.protocol.slug].priority
        )
        if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
            protocol = table[ranked[0][1]].protocol
            return (
                protocol,
                Basis.DERIVED,
                (),
                [finding(Code.PROTOCOL_BY_PREFERENCE, protocol=protocol.name, device=device.name, side=side)],
            )
    choices = tuple(sorted((dp.protocol for dp in common), key=lambda p: p.name.lower()))
    return (
        None,
        Basis.UNKNOWN,
        choices,
        [finding(Code.PROTOCOL_CHOICE, Severity.WARNING, protocols=tuple(p.name for p in choices), bus=bus)],
    )


def _complete(port: PortSpec, bus: str) -> bool:
    return all(port.with_signal({signal}) for signal in LINK_SIGNALS[bus])


def choose_port(
    device: DeviceSpec, role: str, bus: str, protocol: ProtocolSpec | None, asked: str = "", side: str = ""
) -> tuple[PortSpec | None, list[Finding]]:
    """The device's port for this link: the one asked for; else among its ports of this role on the bus, those
    that run at the protocol's bit rate (where a source gives the port's rates), those whose link pins are known
    first. Several left: the first in the maker's order, said as such."""
    ports = [port for port in device.ports if port.role == role and bus in port.buses]
    if asked:
        port = device.port(asked)
        if port is None or port not in ports:
            field = f"{side}_port" if side in ("battery", "inverter") else "port"
            names = tuple(p.name for p in ports)
            raise OptionNotOffered(
                field,
                f"{device.name} has no {BUS_NAMES.get(bus, bus)} link port named '{asked}'.",
                names,
                code="no_such_port",
                device=device.name,
                bus=bus,
                asked=asked,
            )
        return port, [finding(Code.PORT_ASKED, device=device.name, port=port.name)]
    notes = []
    fitting = []
    for port in ports:
        if protocol and protocol.bitrate and port.bitrates and protocol.bitrate not in port.bitrates:
            notes.append(
                finding(
                    Code.PORT_BITRATE,
                    device=device.name,
                    port=port.name,
                    bitrates=port.bitrates,
                    bitrate=protocol.bitrate,
                )
            )
        else:
            fitting.append(port)
    pool = [port for port in fitting if _complete(port, bus)] or fitting
    if len(pool) > 1:
        notes.append(
            finding(
                Code.PORT_OF_SEVERAL,
                Severity.WARNING,
                device=device.name,
                side=side,
                ports=tuple(p.name for p in pool),
                chosen=pool[0].name,
            )
        )
    return (pool[0] if pool else None), notes


def _pick_pairing(pairings: tuple[PairingSpec, ...], options: Options) -> PairingSpec | None:
    """The documented pairing that answers the request: on the bus, protocol and ports asked for, where asked.
    Among several, the one whose source gives the most (a crimp, a protocol), direct before through an adapter."""

    def fits(p: PairingSpec) -> bool:
        return (
            options.bus in ("best", p.bus)
            and (not options.protocol or p.protocol is None or p.protocol.named(options.protocol))
            and (not options.battery_port or p.battery_end is None or p.battery_end[1] == options.battery_port)
            and (not options.inverter_port or p.inverter_end is None or p.inverter_end[1] == options.inverter_port)
        )

    def rank(p: PairingSpec):
        return (not p.crimp, p.protocol is None, p.adapter is not None, BUS_ORDER.index(p.bus), p.slug)

    return min(filter(fits, pairings), key=rank, default=None)


def _documented_link(battery: DeviceSpec, inverter: DeviceSpec, pairing: PairingSpec, options: Options) -> Link:
    adapter = pairing.adapter
    devices = {d.slug: d for d in (battery, inverter, adapter) if d is not None}
    b_dev = devices.get(pairing.battery_end[0], battery) if pairing.battery_end else battery
    # Through an adapter the cable runs from the battery to the adapter, unless the source puts its battery end
    # on the adapter (then: adapter to inverter).
    default_inverter_end = adapter if adapter is not None and b_dev is not adapter else inverter
    i_dev = (
        devices.get(pairing.inverter_end[0], default_inverter_end) if pairing.inverter_end else default_inverter_end
    )
    findings: list[Finding] = []
    protocol, basis, choices = pairing.protocol, Basis.DOCUMENTED, ()
    if protocol is None:
        protocol, basis, choices, found = choose_protocol(b_dev, i_dev, pairing.bus, options.protocol)
        findings += found
    else:
        findings.append(finding(Code.PROTOCOL_DOCUMENTED, protocol=protocol.name))
    ports = []
    for end, device, role, side in (
        (pairing.battery_end, b_dev, PortRole.INVERTER_LINK, "battery"),
        (pairing.inverter_end, i_dev, PortRole.BATTERY_LINK, "inverter"),
    ):
        named = device.port(end[1]) if end is not None else None
        if named is not None:
            ports.append(named)
            continue
        asked = getattr(options, f"{side}_port")
        port, found = choose_port(device, role, pairing.bus, protocol, asked, side)
        ports.append(port)
        findings += found
    return Link(
        pairing.bus, b_dev, ports[0], i_dev, ports[1], protocol, basis, choices, pairing, adapter, tuple(findings)
    )


def _offered(device: DeviceSpec, role: str) -> tuple[str, ...]:
    return tuple(bus for bus in BUS_ORDER if any(p.role == role and bus in p.buses for p in device.ports))


def _undocumented_link(battery: DeviceSpec, inverter: DeviceSpec, options: Options) -> Link | NoLink:
    """The best bus for a pair no source documents: known pins and a shared protocol first."""
    buses = BUS_ORDER if options.bus == "best" else (options.bus,)
    if options.protocol and options.bus == "best":
        buses = (
            tuple(
                bus
                for bus in buses
                if any(dp.protocol.named(options.protocol) for dp in protocols_on(battery, bus).values())
            )
            or buses
        )
    for device, asked in ((battery, options.battery_port), (inverter, options.inverter_port)):
        port = device.port(asked) if asked else None
        if port is not None and options.bus == "best":
            buses = tuple(bus for bus in buses if bus in port.buses) or buses
    candidates = []
    for bus in buses:
        b_ports = [p for p in battery.ports if p.role == PortRole.INVERTER_LINK and bus in p.buses]
        i_ports = [p for p in inverter.ports if p.role == PortRole.BATTERY_LINK and bus in p.buses]
        if not b_ports or not i_ports:
            continue
        protocol, basis, choices, findings = choose_protocol(battery, inverter, bus, options.protocol)
        b_port, b_found = choose_port(battery, PortRole.INVERTER_LINK, bus, protocol, options.battery_port, "battery")
        i_port, i_found = choose_port(
            inverter, PortRole.BATTERY_LINK, bus, protocol, options.inverter_port, "inverter"
        )
        if b_port is None or i_port is None:
            continue  # every port of the bus runs at another bit rate
        complete = not missing_link_signals(bus, b_port, i_port)
        link = Link(
            bus, battery, b_port, inverter, i_port, protocol, basis, choices, findings=(*findings, *b_found, *i_found)
        )
        candidates.append((not (complete and (protocol or choices)), not complete, BUS_ORDER.index(bus), link))
    if candidates:
        return min(candidates, key=lambda c: c[:3])[3]
    unknown = [
        finding(Code.LINK_PORT_UNKNOWN, device=device.name, side=side)
        for device, role, side in (
            (battery, PortRole.INVERTER_LINK, "battery"),
            (inverter, PortRole.BATTERY_LINK, "inverter"),
        )
        if not _offered(device, role)
    ]
    if unknown:
        return NoLink(Verdict.NEEDS_CHECK, (finding(Code.LINK_NOT_WORKED_OUT), *unknown))
    return NoLink(
        Verdict.INCOMPATIBLE,
        (
            finding(
                Code.NO_COMMON_BUS,
                bus="" if options.bus == "best" else options.bus,
                battery=battery.name,
                battery_buses=_offered(battery, PortRole.INVERTER_LINK),
                inverter=inverter.name,
                inverter_buses=_offered(inverter, PortRole.BATTERY_LINK),
            ),
        ),
    )


def voltage_clash(battery: DeviceSpec, inverter: DeviceSpec) -> Finding | None:
    """A documented HV/LV pair: incompatible on evidence (unless a source documents the pair)."""
    b, i = battery.voltage_class, inverter.voltage_class
    if {b, i} == {"hv", "lv"}:
        return finding(
            Code.VOLTAGE_CLASH, battery=battery.name, battery_class=b, inverter=inverter.name, inverter_class=i
        )
    return None


def choose_link(
    battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...], options: Options
) -> Link | NoLink:
    """The link for this request: the documented pairing that fits it; else, short of a voltage clash, the bus both
    sides offer; else why there is none."""
    own = tuple(p for p in pairings if p.battery == battery.slug and p.inverter == inverter.slug)
    pairing = _pick_pairing(own, options)
    if pairing is not None:
        return _documented_link(battery, inverter, pairing, options)
    if not own and (clash := voltage_clash(battery, inverter)):
        return NoLink(Verdict.INCOMPATIBLE, (clash,))
    return _undocumented_link(battery, inverter, options)
