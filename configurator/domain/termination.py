"""Where the bus terminators go: the bus segments of this installation, each with its two physical ends.

- The link segment is the bus the BMS cable carries: from the inverter's port (or the adapter's, where the cable
  ends on an adapter) to the battery side's far end: the master pack's link port, or, where the packs pass the
  link's own bus on through a parallel port of that bus (a daisy chain), the last pack's parallel port.
- The packs' own segment: where the packs talk among themselves over a parallel port of another bus, from the
  master's parallel port to the last pack's.
- Through an adapter, the adapter's other side is a segment of its own; the catalog does not document it.
Each end is terminated from its port's facts; an end whose termination is not documented says "check".
"""

from __future__ import annotations

from configurator.domain.findings import Code, Finding, finding
from configurator.domain.result import (
    ADAPTER_SEGMENT,
    LINK_SEGMENT,
    PACK_SEGMENT,
    Segment,
    Termination,
    TerminationEnd,
)
from configurator.domain.types import PortSpec
from configurator.domain.vocabulary import Basis, TerminationKind

__all__ = ["chained_port", "pack_segment_port", "plan_termination", "terminated_packs"]

ACTIONS = {
    TerminationKind.BUILT_IN: Code.TERM_BUILT_IN,
    TerminationKind.SWITCHABLE: Code.TERM_SWITCH_ON,
    TerminationKind.PLUG_IN: Code.TERM_PLUG_IN,
    TerminationKind.NONE: Code.TERM_FIT_RESISTOR,
}


def _action(port: PortSpec | None) -> tuple[Finding, str]:
    if port is None:
        return finding(Code.TERM_CHECK), Basis.UNKNOWN
    note = port.termination_note
    code = ACTIONS.get(port.termination)
    if code is None:
        return finding(Code.TERM_CHECK, note=note), Basis.UNKNOWN
    return finding(code, note=note), Basis.DOCUMENTED


def _end(side: str, device: str, port: PortSpec | None, pack: int | None = None) -> TerminationEnd:
    action, basis = _action(port)
    return TerminationEnd(side, device, port.name if port else "", action, basis, pack, port.source if port else None)


def chained_port(bus: str, parallel_ports: tuple[PortSpec, ...] | list[PortSpec]) -> PortSpec | None:
    """The parallel port that carries the link's own bus on to the next pack, where the catalog has one."""
    return next((port for port in parallel_ports if bus in port.buses), None)


def pack_segment_port(bus: str, parallel_ports: tuple[PortSpec, ...] | list[PortSpec]) -> PortSpec | None:
    """The parallel port of another (stated) bus: the packs' own segment."""
    if chained_port(bus, parallel_ports) is not None:
        return None
    return next((port for port in parallel_ports if port.buses), None)


def plan_termination(
    bus: str,
    battery_port: PortSpec,
    inverter_port: PortSpec,
    packs: int = 1,
    parallel: tuple[PortSpec, ...] | list[PortSpec] | PortSpec | None = (),
    *,
    names: dict[str, str] | None = None,
    battery_side: str = "battery",
    inverter_side: str = "inverter",
) -> Termination:
    """The segments and their ends. ``battery_side``/``inverter_side``: which device each end of the cable is on
    (battery, inverter or adapter); ``names``: the devices' names by side (an "adapter" entry adds the adapter's
    other side as a segment of its own)."""
    names = names or {}
    if isinstance(parallel, PortSpec):
        parallel = (parallel,)
    parallel = tuple(parallel or ())
    on_battery = battery_side == "battery"
    chained = chained_port(bus, parallel) if on_battery and packs > 1 else None
    if chained is not None:
        far = _end("battery", names.get("battery", ""), chained, pack=packs)
    else:
        pack = 1 if on_battery and packs > 1 else None
        far = _end(battery_side, names.get(battery_side, ""), battery_port, pack=pack)
    near = _end(inverter_side, names.get(inverter_side, ""), inverter_port)
    segments = [Segment(LINK_SEGMENT, bus, (near, far))]
    own = pack_segment_port(bus, parallel) if on_battery and packs > 1 else None
    if own is not None:
        ends = (
            _end("battery", names.get("battery", ""), own, pack=1),
            _end("battery", names.get("battery", ""), own, pack=packs),
        )
        segments.append(Segment(PACK_SEGMENT, own.buses[0] if len(own.buses) == 1 else None, ends))
    if names.get("adapter"):
        other = "battery" if battery_side == "adapter" else "inverter"
        ends = (_end(other, names.get(other, ""), None), _end("adapter", names["adapter"], None))
        segments.append(Segment(ADAPTER_SEGMENT, None, ends))
    return Termination(tuple(segments))


def terminated_packs(termination: Termination | None) -> frozenset[int]:
    """The packs at an end of one of the battery's segments: their termination switches go ON."""
    if termination is None:
        return frozenset()
    return frozenset(
        end.pack if end.pack is not None else 1
        for segment in termination.segments
        if segment.kind != ADAPTER_SEGMENT
        for end in segment.ends
        if end.side == "battery"
    )
