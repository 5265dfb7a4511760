"""The BMS cable: which conductor joins which pin, whether a straight patch cable will do, what to cut.

Signals pair by meaning (CAN_H to CAN_H, RS485 + to +, any ground to any ground, Enable + to Enable +), never by
the makers' labels. A side that does not document a signal the link needs leaves that end empty: the cable is
then ``unknown``, with the known ends filled in and nothing to cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from configurator.domain.colours import conductor_colour
from configurator.domain.findings import Code, Finding, Severity, finding
from configurator.domain.result import CUSTOM, STRAIGHT, UNKNOWN_CABLE, Cable, Conductor, CutConductor
from configurator.domain.types import GROUNDS, MODULAR, CrimpSpec, PinSpec, PortSpec
from configurator.domain.vocabulary import Basis, Signal

__all__ = ["ENABLE_SIGNALS", "LINK_SIGNALS", "compute_cable_mapping", "missing_link_signals", "rs485_letter"]

# The two lines each bus needs; a ground is joined too where both ends have one.
LINK_SIGNALS = {"can": (Signal.CAN_H, Signal.CAN_L), "rs485": (Signal.RS485_P, Signal.RS485_N)}
# An enable loop: where either side's link port has these pins, the link needs them joined (the battery does not
# wake without it).
ENABLE_SIGNALS = (Signal.ENABLE_P, Signal.ENABLE_N)
SUPPLIES = frozenset({Signal.VCC, Signal.ENABLE_P, Signal.ENABLE_N})
# What two pins on one position may both carry in a straight cable: the same bus line, the same enable line, or
# two grounds. Two supplies, two outputs, two TX lines or two "other" pins facing each other must never be joined.
JOINABLE = frozenset({Signal.CAN_H, Signal.CAN_L, Signal.RS485_P, Signal.RS485_N})
IDLE = frozenset({Signal.NC})


def _order(key: int | str) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, key)


def _meaning(signal: str) -> str:
    return "ground" if signal in GROUNDS else signal


@dataclass(frozen=True)
class _Side:
    """One end's pins for this bus: the link signals from one channel, its ground, its enable pins."""

    pins: dict[str, list[PinSpec]]  # signal (or "ground") -> candidates, best first
    notes: tuple[Finding, ...]


def _side(name: str, port: PortSpec, bus: str) -> _Side:
    link = LINK_SIGNALS[bus]
    on_bus = [pin for pin in port.pins if pin.signal in link]
    channels = sorted({pin.channel for pin in on_bus if pin.channel is not None})
    complete = [ch for ch in channels if {p.signal for p in on_bus if p.channel == ch} >= set(link)]
    notes = []
    channel = None
    if complete:
        channel = complete[0]
        if len(complete) > 1:
            notes.append(
                finding(
                    Code.CHANNEL_OF_SEVERAL,
                    Severity.WARNING,
                    side=name,
                    port=port.name,
                    channels=complete,
                    chosen=channel,
                )
            )
        on_bus = [pin for pin in on_bus if pin.channel == channel]
    grounds = [pin for pin in port.pins if pin.signal in GROUNDS]
    same = [pin for pin in grounds if pin.channel == channel] if channel is not None else []
    loose = [pin for pin in grounds if pin.channel is None]
    pins = {signal: [p for p in on_bus if p.signal == signal] for signal in link}
    pins["ground"] = same or loose or grounds
    for signal in ENABLE_SIGNALS:
        pins[signal] = [p for p in port.pins if p.signal == signal]
    return _Side(pins, tuple(notes))


def _pick(signal: str, battery: _Side, inverter: _Side) -> tuple[PinSpec | None, PinSpec | None, list[Finding]]:
    on_battery = {pin.key: pin for pin in battery.pins[signal]}
    on_inverter = {pin.key: pin for pin in inverter.pins[signal]}
    common = sorted(on_battery.keys() & on_inverter.keys(), key=_order)
    if common:
        b = i = common[0]
    else:
        b = min(on_battery, key=_order, default=None)
        i = min(on_inverter, key=_order, default=None)
    notes = []
    for side, found, chosen in (("battery", on_battery, b), ("inverter", on_inverter, i)):
        if len(found) > 1:
            where = tuple(sorted(found, key=_order))
            notes.append(finding(Code.SIGNAL_ON_SEVERAL, side=side, signal=signal, positions=where, chosen=chosen))
    return on_battery.get(b), on_inverter.get(i), notes


def missing_link_signals(bus: str, battery: PortSpec, inverter: PortSpec) -> list[tuple[str, str, str]]:
    """The link signals one side does not list (an unknown or partial pin table): (signal, side, port name)."""
    missing = []
    for signal in LINK_SIGNALS[bus]:
        for side, port in (("battery", battery), ("inverter", inverter)):
            if not port.with_signal({signal}):
                missing.append((str(signal), side, port.name))
    return missing


def _straight_hazards(battery: PortSpec, inverter: PortSpec, aligned: set[int | str]) -> list[Finding]:
    """What a pin-n-to-pin-n cable would join that must not meet."""
    if not (battery.modular and battery.connector == inverter.connector):
        return [finding(Code.HAZARD_ENDS_DIFFER, battery=battery.connector, inverter=inverter.connector)]
    hazards = []
    blind: dict[str, list[int]] = {"battery": [], "inverter": []}
    for position in range(1, (battery.positions or MODULAR[battery.connector]) + 1):
        b, i = battery.pin(position), inverter.pin(position)
        if position in aligned:
            continue
        empty_rule = False
        for here, there, side in ((b, i, "battery"), (i, b, "inverter")):
            if here is not None and here.signal == Signal.MUST_BE_EMPTY:
                other = None if there is None else (there.label or there.signal)
                hazards.append(
                    finding(Code.HAZARD_MUST_BE_EMPTY, position=position, side=side, label=here.label, other=other)
                )
                empty_rule = True
        for side, pin in (("battery", b), ("inverter", i)):
            if pin is None and not empty_rule:
                blind[side].append(position)
        if b is None or i is None or b.signal in IDLE or i.signal in IDLE:
            continue
        if Signal.MUST_BE_EMPTY in (b.signal, i.signal):
            continue  # reported above
        if _meaning(b.signal) == _meaning(i.signal) and (b.signal in JOINABLE or b.signal in GROUNDS):
            continue
        if b.signal == i.signal and b.signal in (Signal.ENABLE_P, Signal.ENABLE_N):
            continue  # the enable loop, joined on purpose
        if b.signal in SUPPLIES or i.signal in SUPPLIES:
            kind = "supply"
        elif (b.signal in GROUNDS) != (i.signal in GROUNDS):
            kind = "ground_signal"
        elif b.signal == i.signal:
            kind = "same_outputs"
        else:
            kind = "different"
        hazards.append(
            finding(
                Code.HAZARD_JOIN,
                position=position,
                kind=kind,
                battery=b.label or b.signal,
                inverter=i.label or i.signal,
            )
        )
    for side, positions in blind.items():
        if positions:
            hazards.append(finding(Code.HAZARD_BLIND, side=side, positions=positions))
    return hazards


_LETTER = re.compile(r"(?:^|[^A-Z])(?:RS)?485[-_ /]?([AB])|(?:^|[^A-Z0-9])([AB])(?:$|[^A-Z])|^D([+-])$|^DATA([+-])$")


def rs485_letter(label: str) -> str:
    """Which RS485 line a maker's label names: "A" or "B" (from "485A", "RS485 A+", "A", "B-"), "" if none.
    A label written as D+/D- or DATA+/DATA- names the sign, not the letter: "+" or "-"."""
    match = _LETTER.search(label.strip().upper())
    if not match:
        return ""
    return next(group for group in match.groups() if group)


def _polarity_notes(conductors: list[Conductor], battery: PortSpec, inverter: PortSpec) -> list[Finding]:
    notes = []
    for c in conductors:
        if c.signal not in (Signal.RS485_P, Signal.RS485_N):
            continue
        b, i = rs485_letter(c.battery_label), rs485_letter(c.inverter_label)
        if b in ("A", "B") and i in ("A", "B") and b != i:
            notes.append(
                finding(
                    Code.POLARITY_NAMES_DIFFER, signal=c.signal, battery=c.battery_label, inverter=c.inverter_label
                )
            )
    if not any(c.signal in (Signal.RS485_P, Signal.RS485_N) for c in conductors):
        return notes
    assumed = [
        (side, port.name)
        for side, port in (("battery", battery), ("inverter", inverter))
        if any(pin.polarity_assumed for pin in port.with_signal({Signal.RS485_P, Signal.RS485_N}))
    ]
    if assumed:  # one note: the sides whose maker does not say which line is +
        sides, ports = zip(*assumed, strict=True)
        notes.append(finding(Code.POLARITY_ASSUMED, Severity.WARNING, sides=sides, ports=ports))
    return notes


def _colour_rule(battery: PortSpec, inverter: PortSpec, colours: str):
    """Colours come from the end whose plug stays standard: the battery's, else the inverter's."""
    if battery.connector == "rj45":
        return "battery", lambda b, i: conductor_colour(colours, b)
    if inverter.connector == "rj45":
        return "inverter", lambda b, i: conductor_colour(colours, i)
    return None, lambda b, i: None


def _cut(kept: str | None, port: PortSpec | None, used: set, colours: str, reason: Finding) -> list[CutConductor]:
    if kept is None or port is None or not port.modular:
        return []
    other = "inverter" if kept == "battery" else "battery"
    count = port.positions or MODULAR[port.connector]
    return [
        CutConductor(kept, other, n, conductor_colour(colours, n), reason)
        for n in range(1, count + 1)
        if n not in used
    ]


def _join(signal, b: PinSpec | None, i: PinSpec | None, colour_of, basis: str, note: str = "") -> Conductor:
    b_ref = b.key if b else None
    i_ref = i.key if i else None
    notes = [note] if note else [pin.note for pin in (b, i) if pin and pin.note and signal in ENABLE_SIGNALS]
    return Conductor(
        signal=str(signal),
        battery_position=b_ref,
        inverter_position=i_ref,
        battery_label=b.label if b else "",
        inverter_label=i.label if i else "",
        colour=colour_of(b_ref, i_ref) if b_ref is not None or i_ref is not None else None,
        note=" ".join(notes),
        basis=basis if b is not None and i is not None else Basis.UNKNOWN,
    )


def compute_cable_mapping(
    bus: str,
    battery: PortSpec,
    inverter: PortSpec,
    *,
    colours: str = "t568b",
    crimp: tuple[CrimpSpec, ...] = (),
    documented_standard: bool | None = None,
) -> Cable:
    """The cable between two ports over one bus.

    With a documented crimp, its rows are the conductors and a note says where the pin tables suggest otherwise.
    Without one, each link signal (one channel per side), the enable loop where either side has one, and a
    ground where both ends have one are joined by meaning. The cable is a straight patch cable only when every
    joined signal shares its position and no other position joins what must not meet (or a source says so).
    A link signal that one side does not list makes the cable ``unknown``: its ends are left empty to fill in.
    """
    kept, colour_of = _colour_rule(battery, inverter, colours)
    kept_port = battery if kept == "battery" else inverter if kept == "inverter" else None
    b_side, i_side = _side("battery", battery, bus), _side("inverter", inverter, bus)
    notes: list[Finding] = [*b_side.notes, *i_side.notes]
    picks = {}
    for signal in (*LINK_SIGNALS[bus], *ENABLE_SIGNALS, "ground"):
        b, i, found = _pick(signal, b_side, i_side)
        picks[signal] = (b, i)
        if signal != "ground" or (b and i):
            notes.extend(found)
    needed = [*LINK_SIGNALS[bus], *(s for s in ENABLE_SIGNALS if any(picks[s]))]
    known = all(picks[s][0] and picks[s][1] for s in LINK_SIGNALS[bus])
    ground_b, ground_i = picks["ground"]

    if not crimp and documented_standard:
        return _documented_straight(bus, battery, inverter, colours, colour_of, picks, needed, notes)
    if not crimp and not known:
        conductors = [_join(s, *picks[s], colour_of, Basis.UNKNOWN) for s in needed]
        if ground_b and ground_i:
            conductors.append(_join(ground_b.signal, ground_b, ground_i, colour_of, Basis.DERIVED))
        return Cable(
            kind=UNKNOWN_CABLE,
            basis=Basis.UNKNOWN,
            colours=colours,
            battery_connector=battery.connector,
            inverter_connector=inverter.connector,
            conductors=tuple(conductors),
            notes=(_unknown_note(bus, battery, inverter), *notes),
        )

    aligned = {picks[s][0].key for s in needed if all(picks[s]) and picks[s][0].key == picks[s][1].key}
    hazards = _straight_hazards(battery, inverter, aligned)
    straight = len(aligned) == len(needed) and not hazards
    derived = [_join(s, *picks[s], colour_of, Basis.DERIVED) for s in needed]
    if ground_b and ground_i and not (straight and ground_b.key != ground_i.key):
        derived.append(_join(ground_b.signal, ground_b, ground_i, colour_of, Basis.DERIVED))
    if (ground_b is None) != (ground_i is None):
        notes.append(finding(Code.NO_COMMON_GROUND, side="battery" if ground_b is None else "inverter"))
    elif ground_b and ground_i and straight and ground_b.key != ground_i.key:
        notes.append(finding(Code.GROUNDS_LEFT_OPEN, battery=ground_b.key, inverter=ground_i.key))
    if crimp:  # the source's table says where each conductor goes: how the pin tables place them is not news
        derivation = {Code.SIGNAL_MOVES, Code.SIGNAL_ON_SEVERAL, Code.NO_COMMON_GROUND, Code.GROUNDS_LEFT_OPEN}
        notes = [note for note in notes if note.code not in derivation]

    if not crimp:
        conductors = derived
        standard = straight if documented_standard is None else documented_standard
        reason = finding(Code.CUT_NOT_NEEDED)
        cut = [] if standard else _cut(kept, kept_port, _kept_positions(kept, conductors), colours, reason)
        basis = Basis.DOCUMENTED if documented_standard is not None else Basis.DERIVED
    else:
        conductors, cut = _documented(crimp, battery, inverter, kept, kept_port, colours, colour_of)
        standard = bool(documented_standard)
        cut = [] if standard else cut  # a straight patch cable is used whole
        ours = {(c.signal, c.battery_position, c.inverter_position) for c in derived}
        theirs = {(c.signal, c.battery_position, c.inverter_position) for c in conductors}
        if known and ours != theirs:
            joins = tuple(f"{s} {b}->{i}" for s, b, i in sorted(ours, key=str))
            notes.append(finding(Code.CRIMP_DIFFERS, joins=joins))
        basis = Basis.DOCUMENTED
    if any((c.battery_position if kept == "battery" else c.inverter_position) is None for c in conductors):
        cut = []  # a conductor's end on the kept plug is not known yet: no conductor of it is known to be spare
    if documented_standard is not None and documented_standard != straight:
        notes.append(finding(Code.STANDARD_DIFFERS, suggests=STRAIGHT if straight else CUSTOM))
    notes.extend(_polarity_notes(conductors, battery, inverter))
    return Cable(
        kind=STRAIGHT if standard else CUSTOM,
        basis=basis,
        colours=colours,
        battery_connector=battery.connector,
        inverter_connector=inverter.connector,
        conductors=tuple(conductors),
        cut=tuple(cut),
        hazards=() if standard or crimp else tuple(hazards),  # a documented cable stands on its source
        notes=tuple(notes),
    )


def _unknown_note(bus: str, battery: PortSpec, inverter: PortSpec) -> Finding:
    return finding(
        Code.CABLE_UNKNOWN, Severity.WARNING, bus=bus, battery_port=battery.name, inverter_port=inverter.name
    )


def _documented_straight(bus, battery, inverter, colours, colour_of, picks, needed, notes) -> Cable:
    """A straight patch cable a source documents: every position joined to the same one. A signal that one pin
    table lists is therefore on the same position at the other end; one neither lists stays to fill in."""
    conductors = []
    for signal in needed:
        b, i = picks[signal]
        if b and i and b.key != i.key:
            notes.append(finding(Code.SIGNAL_MOVES, signal=signal, battery=b.key, inverter=i.key))
            continue  # the pin tables contradict the source's straight cable: said, not drawn
        known = b or i
        position = known.key if known else None
        conductors.append(
            Conductor(
                str(signal),
                position,
                position,
                b.label if b else "",
                i.label if i else "",
                colour_of(position, position) if position is not None else None,
                " ".join(pin.note for pin in (b, i) if pin and pin.note and signal in ENABLE_SIGNALS),
                Basis.DOCUMENTED if known else Basis.UNKNOWN,
            )
        )
    if any(c.basis == Basis.UNKNOWN for c in conductors):
        notes.insert(0, _unknown_note(bus, battery, inverter))
    straight = all(picks[s][0] and picks[s][1] and picks[s][0].key == picks[s][1].key for s in needed)
    if not straight and all(all(picks[s]) for s in needed):
        notes.append(finding(Code.STANDARD_DIFFERS, suggests=CUSTOM))
    notes.extend(_polarity_notes(conductors, battery, inverter))
    return Cable(
        kind=STRAIGHT,
        basis=Basis.DOCUMENTED,
        colours=colours,
        battery_connector=battery.connector,
        inverter_connector=inverter.connector,
        conductors=tuple(conductors),
        notes=tuple(notes),
    )


def _kept_positions(kept: str | None, conductors: list[Conductor]) -> set:
    return {c.battery_position if kept == "battery" else c.inverter_position for c in conductors}


def _documented(crimp, battery, inverter, kept, kept_port, colours, colour_of):
    conductors, unconnected = [], []
    for row in crimp:
        if row.inverter is None or row.battery is None:
            unconnected.append(row)
            continue
        b, i = battery.pin(row.battery), inverter.pin(row.inverter)
        # The source gives both positions even where a pin table does not list them.
        conductors.append(
            Conductor(
                row.signal,
                row.battery,
                row.inverter,
                b.label if b else "",
                i.label if i else "",
                colour_of(row.battery, row.inverter),
                row.note,
                Basis.DOCUMENTED,
            )
        )
    used = _kept_positions(kept, conductors)
    cut = _cut(kept, kept_port, used, colours, finding(Code.CUT_NOT_IN_CRIMP))
    for row in unconnected:
        position = row.battery if kept == "battery" else row.inverter
        reason = finding(Code.CUT_LEFT_OPEN, signal=row.signal)
        cut = [
            CutConductor(c.kept_plug, c.cut_at, c.position, c.colour, reason) if c.position == position else c
            for c in cut
        ]
    return conductors, cut
