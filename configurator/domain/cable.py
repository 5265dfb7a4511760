"""The BMS cable: which conductor joins which pin, whether a straight patch cable will do, what to cut.

Signals pair by meaning (CAN_H to CAN_H, RS485 + to +, any ground to any ground), never by the makers' labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from configurator.domain.colours import conductor_colour
from configurator.domain.result import Cable, Conductor, CutConductor
from configurator.domain.types import GROUNDS, MODULAR, CrimpSpec, PinSpec, PortSpec
from configurator.domain.vocabulary import POLARITY_UNSTATED

__all__ = ["LINK_SIGNALS", "compute_cable_mapping", "missing_link_signals"]

# The two lines each bus needs; a ground is joined too where both ends have one.
LINK_SIGNALS = {"can": ("can_h", "can_l"), "rs485": ("rs485_p", "rs485_n")}
SUPPLIES = frozenset({"vcc", "enable_p", "enable_n"})
# What two pins on one position may both carry in a straight cable: the same bus line (or two grounds). Two
# supplies, two outputs, two TX lines or two "other" pins facing each other must never be joined.
JOINABLE = frozenset({"can_h", "can_l", "rs485_p", "rs485_n"})
IDLE = frozenset({"nc"})


def _order(key: int | str) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, key)


def _meaning(signal: str) -> str:
    return "ground" if signal in GROUNDS else signal


@dataclass(frozen=True)
class _Choice:
    """The pin chosen for one signal on each side, and a note when a side offered several."""

    signal: str
    battery: PinSpec | None
    inverter: PinSpec | None
    notes: tuple[str, ...]


def _choose(signal: str, battery: PortSpec, inverter: PortSpec) -> _Choice:
    wanted = GROUNDS if signal == "ground" else {signal}
    on_battery = {pin.key: pin for pin in battery.with_signal(wanted)}
    on_inverter = {pin.key: pin for pin in inverter.with_signal(wanted)}
    common = sorted(on_battery.keys() & on_inverter.keys(), key=_order)
    if common:
        b = i = common[0]
    else:
        b = min(on_battery, key=_order, default=None)
        i = min(on_inverter, key=_order, default=None)
    notes = []
    for side, found, chosen in (("battery", on_battery, b), ("inverter", on_inverter, i)):
        if len(found) > 1:
            where = ", ".join(str(key) for key in sorted(found, key=_order))
            notes.append(f"The {side} has {signal.replace('_', ' ').upper()} on {where}; the cable uses {chosen}.")
    return _Choice(signal, on_battery.get(b), on_inverter.get(i), tuple(notes))


def missing_link_signals(bus: str, battery: PortSpec, inverter: PortSpec) -> list[str]:
    """The link signals one side does not list (an unknown or partial pin table)."""
    missing = []
    for signal in LINK_SIGNALS[bus]:
        for side, port in (("battery", battery), ("inverter", inverter)):
            if not port.with_signal({signal}):
                missing.append(f"{signal} on the {side}'s port '{port.name}'")
    return missing


def _straight_hazards(battery: PortSpec, inverter: PortSpec, aligned: set[int | str]) -> list[str]:
    """What a pin-n-to-pin-n cable would join that must not meet."""
    if not (battery.modular and battery.connector == inverter.connector):
        return [f"The ends differ ({battery.connector} at the battery, {inverter.connector} at the inverter)."]
    hazards = []
    blind_positions: dict[str, list[int]] = {"battery": [], "inverter": []}
    for position in range(1, (battery.positions or MODULAR[battery.connector]) + 1):
        b, i = battery.pin(position), inverter.pin(position)
        if position in aligned:
            continue
        empty_rule = False
        for here, there, side, other in ((b, i, "battery", "inverter"), (i, b, "inverter", "battery")):
            if here is not None and here.signal == "must_be_empty":
                what = "is not documented" if there is None else f"is {there.label or there.signal}"
                hazards.append(
                    f"Pin {position} must stay empty on the {side} ({here.label or 'NULL'}); on the {other} it {what}."
                )
                empty_rule = True
        for side, pin in (("battery", b), ("inverter", i)):
            if pin is None and not empty_rule:
                blind_positions[side].append(position)
        if b is None or i is None or b.signal in IDLE or i.signal in IDLE:
            continue
        if "must_be_empty" in (b.signal, i.signal):
            continue  # reported above
        if _meaning(b.signal) == _meaning(i.signal) and (b.signal in JOINABLE or b.signal in GROUNDS):
            continue
        if b.signal in SUPPLIES or i.signal in SUPPLIES:
            kind = "a supply or enable line"
        elif (b.signal in GROUNDS) != (i.signal in GROUNDS):
            kind = "a ground and a signal"
        elif b.signal == i.signal:
            kind = "two outputs of the same kind"
        else:
            kind = "two different signals"
        hazards.append(
            f"Pin {position} would join {kind}: battery {b.label or b.signal} with inverter {i.label or i.signal}."
        )
    for side, positions in blind_positions.items():
        if positions:
            listed = ", ".join(map(str, positions))
            hazards.append(
                f"Pin{'s' if len(positions) > 1 else ''} {listed} not documented on the {side}: a straight cable "
                f"would join {'them' if len(positions) > 1 else 'it'} blind."
            )
    return hazards


def _polarity_notes(conductors: list[Conductor], battery: PortSpec, inverter: PortSpec) -> list[str]:
    notes = []
    for c in conductors:
        if not c.signal.startswith("rs485_") or c.signal == "rs485_gnd":
            continue
        b_letter = c.battery_label.strip().upper()[:1] if c.battery_label else ""
        i_letter = c.inverter_label.strip().upper()[:1] if c.inverter_label else ""
        sign = "+" if c.signal == "rs485_p" else "-"
        if b_letter and i_letter and b_letter in "AB" and i_letter in "AB" and b_letter != i_letter:
            notes.append(
                f"Polarity: the battery calls RS485 {sign} '{c.battery_label}', the inverter '{c.inverter_label}'; "
                f"they are joined by meaning ({sign} to {sign})."
            )
    if not any(c.signal in ("rs485_p", "rs485_n") for c in conductors):
        return notes
    for side, port in (("battery", battery), ("inverter", inverter)):
        if any(POLARITY_UNSTATED in pin.note for pin in port.with_signal({"rs485_p", "rs485_n"})):
            notes.append(
                f"The {side}'s maker does not state which RS485 line is + and which is -; A is read as +. "
                "If the link stays silent, swap the two RS485 conductors."
            )
    return notes


def _conductor(signal, b: PinSpec | None, i: PinSpec | None, b_ref, i_ref, colour_of, note="") -> Conductor:
    return Conductor(
        signal=signal,
        battery_position=b_ref,
        inverter_position=i_ref,
        battery_label=b.label if b else "",
        inverter_label=i.label if i else "",
        colour=colour_of(b_ref, i_ref),
        note=note,
    )


def _colour_rule(battery: PortSpec, inverter: PortSpec, colours: str):
    """Colours come from the end whose plug stays standard: the battery's, else the inverter's."""
    if battery.connector == "rj45":
        return "battery", lambda b, i: conductor_colour(colours, b)
    if inverter.connector == "rj45":
        return "inverter", lambda b, i: conductor_colour(colours, i)
    return None, lambda b, i: None


def _cut(kept: str | None, port: PortSpec | None, used: set, colours: str, reason: str) -> tuple[CutConductor, ...]:
    if kept is None or port is None or not port.modular:
        return ()
    count = port.positions or MODULAR[port.connector]
    return tuple(
        CutConductor(kept, n, conductor_colour(colours, n), reason) for n in range(1, count + 1) if n not in used
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
    Without one, each link signal (and a ground, where both ends have one) is joined by meaning; the cable is a
    straight patch cable only when the link signals share positions and no other position joins what must not meet.
    """
    kept, colour_of = _colour_rule(battery, inverter, colours)
    kept_port = battery if kept == "battery" else inverter if kept == "inverter" else None
    choices = [_choose(signal, battery, inverter) for signal in (*LINK_SIGNALS[bus], "ground")]
    link = [c for c in choices if c.signal != "ground"]
    ground = choices[-1]
    joins_ground = ground.battery is not None and ground.inverter is not None
    notes: list[str] = [note for choice in (*link, *([ground] if joins_ground else [])) for note in choice.notes]
    aligned = {c.battery.key for c in link if c.battery and c.inverter and c.battery.key == c.inverter.key}
    hazards = _straight_hazards(battery, inverter, aligned)
    straight = len(aligned) == len(link) and not hazards
    for c in link:
        if c.battery and c.inverter and c.battery.key != c.inverter.key:
            name = c.signal.replace("_", " ").upper()
            notes.append(f"{name} is on {c.battery.key} at the battery and {c.inverter.key} at the inverter.")

    derived: list[Conductor] = []
    for choice in link + ([ground] if ground.battery and ground.inverter else []):
        if choice.battery is None or choice.inverter is None:
            continue
        b_ref, i_ref = choice.battery.key, choice.inverter.key
        signal = choice.battery.signal if choice.signal == "ground" else choice.signal
        if straight and b_ref != i_ref:
            continue  # a straight cable cannot join pins on different positions (here: the grounds)
        derived.append(_conductor(signal, choice.battery, choice.inverter, b_ref, i_ref, colour_of))
    if ground.battery is None or ground.inverter is None:
        side = "battery" if ground.battery is None else "inverter"
        if ground.battery is not None or ground.inverter is not None:
            notes.append(f"No common ground: the {side}'s port lists no ground pin. The link works without one.")
    elif straight and ground.battery.key != ground.inverter.key:
        notes.append(
            f"A straight cable leaves the grounds unconnected (battery {ground.battery.key}, "
            f"inverter {ground.inverter.key}); that is fine for the link."
        )

    if not crimp:
        conductors = derived
        standard = straight if documented_standard is None else documented_standard
        cut_reason = "not needed by the link"
        cut = () if standard else _cut(kept, kept_port, _kept_positions(kept, conductors), colours, cut_reason)
    else:
        conductors, cut = _documented(crimp, battery, inverter, kept, kept_port, colours, colour_of)
        standard = documented_standard if documented_standard is not None else False
        cut = () if standard else cut  # a straight patch cable is used whole
        ours = {(c.signal, c.battery_position, c.inverter_position) for c in derived}
        theirs = {(c.signal, c.battery_position, c.inverter_position) for c in conductors}
        if derived and ours != theirs:
            shown = ", ".join(f"{s} {b}→{i}" for s, b, i in sorted(ours, key=str))
            notes.append(f"The pin tables alone would give {shown}; the documented crimp is used.")
    if documented_standard is not None and documented_standard != straight and derived:
        verdict = "a straight cable would do" if straight else "a custom cable is needed"
        notes.append(f"The pin tables alone suggest {verdict}; the source's choice is used.")
    notes.extend(_polarity_notes(conductors, battery, inverter))
    return Cable(
        standard=standard,
        documented=bool(crimp),
        colours=colours,
        battery_connector=battery.connector,
        inverter_connector=inverter.connector,
        conductors=tuple(conductors),
        cut=cut,
        hazards=() if standard or crimp else tuple(hazards),  # a documented crimp stands on its source
        notes=tuple(notes),
    )


def _kept_positions(kept: str | None, conductors: list[Conductor]) -> set:
    return {c.battery_position if kept == "battery" else c.inverter_position for c in conductors}


def _documented(crimp, battery, inverter, kept, kept_port, colours, colour_of):
    conductors, unconnected = [], []
    for row in crimp:
        b, i = battery.pin(row.battery), inverter.pin(row.inverter)
        if row.inverter is None or row.battery is None:
            unconnected.append(row)
            continue
        conductors.append(_conductor(row.signal, b, i, row.battery, row.inverter, colour_of, row.note))
    used = _kept_positions(kept, conductors)
    cut = list(_cut(kept, kept_port, used, colours, "not in the documented crimp"))
    for row in unconnected:
        position = row.battery if kept == "battery" else row.inverter
        reason = f"{row.signal} is left unconnected by the source"
        cut = [CutConductor(c.end, c.position, c.colour, reason) if c.position == position else c for c in cut]
    return conductors, tuple(cut)
