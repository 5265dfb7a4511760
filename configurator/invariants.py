"""What must hold of every answer the engine gives, checked from the outside: written from the domain's rules
(``shared`` domain notes, issue "Answers an installer can trust"), not from the engine's own helpers, so that it can
catch the engine out. Plain Python over the catalog's specs and the engine's result (no database); its words go
through the message catalogs, since the admin's publish check lists them.

``answer_violations`` judges one answer; ``manage.py check_answers`` sweeps the whole catalog with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from configurator.domain.result import Configuration, Verdict
from configurator.domain.types import DeviceSpec, PairingSpec, PinSpec, PortSpec
from configurator.messages import message

__all__ = ["KINDS", "Answer", "Violation", "answer_violations"]

# What each violation means, in the order the sweep reports them (in the reader's language: the publish check
# lists them in the admin).
KINDS = {
    "bus_replaced": _("the bus asked for was silently replaced by another"),
    "incompatible_without_evidence": _(
        "'incompatible' although nothing documents a clash (a side's ports are unknown)"
    ),
    "terminator_off_the_bus": _("a terminator placed on a port that does not carry the link's bus"),
    "termination_not_two_ends": _("a bus segment without exactly two ends"),
    "straight_over_unknown_pins": _("a straight patch cable across positions one side does not document"),
    "straight_with_cuts": _("a straight patch cable together with conductors to cut"),
    "straight_not_pin_to_pin": _("a straight patch cable whose conductors do not join pin n to pin n"),
    "unsafe_join": _("a conductor (or a straight cable's position) joins two things that must not meet"),
    "conductor_end_unknown": _("a conductor ends on a pin the pin tables do not list"),
    "empty_cable_with_cuts": _("a cable with no conductor at all, and conductors listed to cut"),
    "unknown_cable_with_cuts": _("a cable the catalog cannot work out, with conductors listed to cut"),
    "link_signal_missing": _("a cable given as known that does not join every line of the bus"),
    "enable_loop_dropped": _("a side's link port has enable pins and the cable has no conductor for them"),
    "pattern_not_followed": _("a pack's DIP switches differ from the bank's documented pattern (an x drawn OFF, ...)"),
    "hv_without_voltage_warning": _("an HV device opposite an LV or unknown one, with no voltage warning first"),
    "protocol_bits_without_protocol": _("protocol DIP switches drawn ON/OFF although no protocol was found"),
    "selection_dropped": _("a side's catalogued setting for the link's protocol is missing from its settings"),
    "derived_without_chain": _("a setting marked derived that does not say what it is derived from"),
    "inverter_told_nothing": _("'nothing to set' on an inverter no source says detects the protocol by itself"),
}

LINK = {"can": ("can_h", "can_l"), "rs485": ("rs485_p", "rs485_n")}
GROUNDS = frozenset({"gnd", "can_gnd", "rs485_gnd"})
# Signals that carry the same meaning on both sides and may be joined: the bus lines, and any ground with any
# ground. Everything else (supplies, enable lines, dry contacts, TX/RX, "other") joined with its own kind is two
# outputs or two supplies facing each other: never safe.
JOINABLE = frozenset({"can_h", "can_l", "rs485_p", "rs485_n"})
# An enable loop joins one side's enable line to the other's of the same sign: the battery's enable input to the
# inverter's enable output. Safe only sign to sign.
ENABLE = frozenset({"enable_p", "enable_n"})
IDLE = "nc"
MODULAR_POSITIONS = {"rj45": 8, "rj12": 6, "rj11": 6, "rj9": 4}
VOLTAGE_WORDS = re.compile(r"\b(HV|LV|volt|voltage)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    """One request and what the product answered: a configuration, or a refusal (a form or API error) with the
    engine's result behind it where there is one (an incompatible pair is refused with its verdict)."""

    battery: DeviceSpec
    inverter: DeviceSpec
    adapter: DeviceSpec | None
    bus: str  # what was asked: best | can | rs485
    packs: int
    result: Configuration | None  # what was shown, or the result behind a refusal; None: nothing to judge
    refused: bool = False
    pairings: tuple[PairingSpec, ...] = ()  # the pair's documented pairings (what a source says of the cable)


@dataclass(frozen=True)
class Violation:
    kind: str
    battery: str
    inverter: str
    bus: str
    packs: int
    detail: str

    def __str__(self) -> str:
        return f"{self.battery} + {self.inverter} (bus {self.bus}, {self.packs} pack(s)): {self.detail}"


def _safe_join(battery: PinSpec | None, inverter: PinSpec | None) -> bool:
    """May these two pins be joined by a conductor? Only the same bus line, or two grounds."""
    if battery is None or inverter is None:
        return False
    if battery.signal in GROUNDS and inverter.signal in GROUNDS:
        return True
    return battery.signal == inverter.signal and battery.signal in JOINABLE | ENABLE


def _straight_position_safe(battery: PinSpec | None, inverter: PinSpec | None) -> bool:
    """In a straight cable every position is joined: documented on both sides, and either a safe join or a pin
    that is internally unconnected (NC) facing something that need not stay empty."""
    if battery is None or inverter is None:
        return False
    if "must_be_empty" in (battery.signal, inverter.signal):
        return False
    if IDLE in (battery.signal, inverter.signal):
        return True
    return _safe_join(battery, inverter)


def _port(name: str | None, *devices: DeviceSpec | None) -> PortSpec | None:
    for device in devices:
        if device is not None and name is not None and (port := device.port(name)) is not None:
            return port
    return None


def _link_buses(device: DeviceSpec, role: str) -> set[str]:
    return {bus for port in device.ports if port.role == role for bus in port.buses}


def _evidence_of_clash(answer: Answer) -> bool:
    """Positive evidence that the pair cannot work: a documented HV/LV clash, or both sides documenting their link
    ports and no bus in common."""
    classes = {answer.battery.voltage_class, answer.inverter.voltage_class}
    if classes == {"hv", "lv"}:
        return True
    battery_buses = _link_buses(answer.battery, "inverter_link")
    inverter_buses = _link_buses(answer.inverter, "battery_link")
    if answer.bus in LINK:
        return bool(battery_buses) and bool(inverter_buses) and answer.bus not in battery_buses & inverter_buses
    return bool(battery_buses) and bool(inverter_buses) and not battery_buses & inverter_buses


def answer_violations(answer: Answer) -> list[Violation]:
    """Every rule this answer breaks (empty when it keeps them all)."""
    found: list[tuple[str, str]] = []
    result = answer.result
    if result is None:
        return []
    if not answer.refused and answer.bus in LINK and result.bus not in (None, answer.bus):
        found.append(
            (
                "bus_replaced",
                gettext("asked {asked}, answered {answered}").format(asked=answer.bus, answered=result.bus),
            )
        )
    if result.verdict == Verdict.INCOMPATIBLE and not _evidence_of_clash(answer):
        found.append(("incompatible_without_evidence", " ".join(map(message, result.reasons))[:160]))
    found += _voltage(answer, result)
    if result.verdict == Verdict.INCOMPATIBLE or result.bus is None:
        return _as_violations(answer, found)
    battery_port = _port(result.battery_port, answer.battery, answer.adapter)
    inverter_port = _port(result.inverter_port, answer.inverter, answer.adapter)
    pairing = next((p for p in answer.pairings if p.slug == result.pairing), None)
    found += _cable(result, battery_port, inverter_port, straight_documented=bool(pairing and pairing.standard_cable))
    found += _termination(answer, result)
    found += _protocol_bits(result)
    found += _patterns(answer, result)
    found += _settings(answer, result, pairing)
    return _as_violations(answer, found)


def _as_violations(answer: Answer, found: Iterable[tuple[str, str]]) -> list[Violation]:
    return [
        Violation(kind, answer.battery.slug, answer.inverter.slug, answer.bus, answer.packs, detail)
        for kind, detail in found
    ]


def _voltage(answer: Answer, result: Configuration) -> list[tuple[str, str]]:
    classes = (answer.battery.voltage_class, answer.inverter.voltage_class)
    if "hv" not in classes or classes == ("hv", "hv") or result.verdict == Verdict.INCOMPATIBLE:
        return []
    with translation.override("en"):  # the rule reads the warning's English words, whoever asks
        first = message(result.warnings[0]) if result.warnings else ""
    if VOLTAGE_WORDS.search(first):
        return []
    detail = gettext("battery {battery}, inverter {inverter}, verdict {verdict}")
    return [
        ("hv_without_voltage_warning", detail.format(battery=classes[0], inverter=classes[1], verdict=result.verdict))
    ]


def _cable(
    result: Configuration, battery: PortSpec | None, inverter: PortSpec | None, *, straight_documented: bool
) -> list[tuple[str, str]]:
    """The cable's rules. A straight cable a source documents (e.g. "a standard network cable works") stands on
    that source even where the catalog's pin tables are partial."""
    cable = result.cable
    if cable is None:
        return []
    found = []
    if not cable.conductors and cable.cut:
        detail = ngettext(
            "{count} conductor to cut, none to join", "{count} conductors to cut, none to join", len(cable.cut)
        )
        found.append(("empty_cable_with_cuts", detail.format(count=len(cable.cut))))
    if not cable.known and cable.cut:
        detail = ngettext("{count} conductor to cut", "{count} conductors to cut", len(cable.cut))
        found.append(("unknown_cable_with_cuts", detail.format(count=len(cable.cut))))
    if cable.standard and cable.cut:
        cut = ", ".join(str(c.position) for c in cable.cut)
        found.append(("straight_with_cuts", gettext("cut at positions {positions}").format(positions=cut)))
    if cable.standard and any(c.battery_position != c.inverter_position for c in cable.conductors):
        found.append(("straight_not_pin_to_pin", gettext("a conductor changes position")))
    if battery is None or inverter is None:
        return found
    joined = {c.signal for c in cable.conductors if c.battery_position is not None and c.inverter_position is not None}
    if cable.known and not cable.documented and not set(LINK[result.bus]) <= joined:
        said = gettext("joins only: {signals}").format(signals=", ".join(sorted(joined)) or "-")
        found.append(("link_signal_missing", said))
    for port in (battery, inverter):
        needed = {pin.signal for pin in port.pins if pin.signal in ENABLE}
        if needed - {c.signal for c in cable.conductors} and not cable.documented:
            said = gettext("port '{port}' has {signals}").format(port=port.name, signals=", ".join(sorted(needed)))
            found.append(("enable_loop_dropped", said))
    for conductor in cable.conductors:
        b, i = battery.pin(conductor.battery_position), inverter.pin(conductor.inverter_position)
        # A straight cable a source documents puts each signal on the same position at both ends, listed or not.
        unlisted = (conductor.battery_position is not None and b is None) or (
            conductor.inverter_position is not None and i is None
        )
        if unlisted and not (cable.standard and straight_documented):
            found.append(("conductor_end_unknown", f"{conductor.battery_position} -> {conductor.inverter_position}"))
        elif b is not None and i is not None and not _safe_join(b, i):
            said = gettext("battery {battery} ({battery_signal}) with inverter {inverter} ({inverter_signal})")
            found.append(
                (
                    "unsafe_join",
                    said.format(battery=b.key, battery_signal=b.signal, inverter=i.key, inverter_signal=i.signal),
                )
            )
    if cable.standard and not straight_documented:
        count = MODULAR_POSITIONS.get(battery.connector)
        if count is None or battery.connector != inverter.connector:
            said = gettext("{battery} to {inverter}").format(battery=battery.connector, inverter=inverter.connector)
            found.append(("straight_over_unknown_pins", said))
        else:
            unknown = [n for n in range(1, count + 1) if battery.pin(n) is None or inverter.pin(n) is None]
            if unknown:
                said = gettext("positions {positions} undocumented on a side")
                found.append(("straight_over_unknown_pins", said.format(positions=", ".join(map(str, unknown)))))
            unsafe = [
                n
                for n in range(1, count + 1)
                if n not in unknown and not _straight_position_safe(battery.pin(n), inverter.pin(n))
            ]
            if unsafe:
                said = gettext("a straight cable joins positions {positions}")
                found.append(("unsafe_join", said.format(positions=", ".join(map(str, unsafe)))))
    return found


def _termination(answer: Answer, result: Configuration) -> list[tuple[str, str]]:
    """Two ends per segment; every end on a named port sits on a port of that segment's bus (a segment whose bus
    the sources do not state has no port to check)."""
    if result.termination is None:
        return []
    found = []
    devices = {"battery": answer.battery, "inverter": answer.inverter, "adapter": answer.adapter}
    for segment in result.termination.segments:
        if len(segment.ends) != 2:
            said = ngettext("{segment}: {count} end", "{segment}: {count} ends", len(segment.ends))
            found.append(("termination_not_two_ends", said.format(segment=segment.kind, count=len(segment.ends))))
        for end in segment.ends:
            if not end.port:
                continue
            port = _port(end.port, devices.get(end.side))
            if port is None or segment.bus is None or segment.bus not in port.buses:
                found.append(("terminator_off_the_bus", f"{segment.kind} ({segment.bus}): {end.side} '{end.port}'"))
    return found


def _protocol_bits(result: Configuration) -> list[tuple[str, str]]:
    if result.protocol is not None or not result.packs:
        return []
    master = result.packs[0]
    drawn = [
        switch.position
        for switch in master.switches
        if switch.function == "protocol_bit" and switch.state in ("on", "off")
    ]
    if drawn:
        said = gettext("master switches {switches} drawn ON/OFF with no protocol")
        return [("protocol_bits_without_protocol", said.format(switches=", ".join(map(str, drawn))))]
    return []


def _settings(answer: Answer, result: Configuration, pairing: PairingSpec | None) -> list[tuple[str, str]]:
    """Each side that talks on the link directly shows its catalogued value for the link's protocol (unless the
    pairing's source gives that side's settings itself); a derived line says from what; an inverter is told there
    is nothing to set only where a source says it detects the protocol by itself."""
    found = []
    given_by_pairing = {s.side for s in pairing.settings} if pairing else set()
    for side, device, lines in (
        ("battery", answer.battery, result.battery_settings),
        ("inverter", answer.inverter, result.inverter_settings),
    ):
        for line in lines:
            if line.basis == "derived" and not (line.derivation or line.chain):
                found.append(("derived_without_chain", f"{side}: {line.name} = {line.value}"))
        chosen = next((dp for dp in device.protocols if dp.protocol.slug == result.protocol_slug), None)
        if chosen is None:
            continue
        nothing = [line for line in lines if line.finding is not None and line.finding.code == "setting_nothing"]
        if side == "inverter" and nothing and chosen.method != "automatic":
            found.append(("inverter_told_nothing", f"{device.slug} ({chosen.method})"))
        talks_directly = result.adapter is None  # through an adapter a side may talk to the adapter instead
        shown = any(line.value == chosen.value and line.finding is None for line in lines)
        valued = chosen.method in ("dip", "pc_tool", "lcd_menu") and chosen.value
        if valued and side not in given_by_pairing and talks_directly and not shown:
            found.append(("selection_dropped", f"{side}: {chosen.protocol.slug} = {chosen.value}"))
    return found


MARKS = {"1": "on", "0": "off", "x": "leave"}


def _patterns(answer: Answer, result: Configuration) -> list[tuple[str, str]]:
    """A bank's documented pattern is what its packs show: 1 ON, 0 OFF, x left as it is (never OFF)."""
    found = []
    banks = {bank.name: bank for bank in answer.battery.dip_banks}
    for pack in result.packs:
        for setting in pack.banks:
            bank = banks.get(setting.name)
            if bank is None:
                continue
            pattern = bank.last_pack_pattern if pack.last and bank.last_pack_pattern else bank.all_packs_pattern
            for switch in setting.switches:
                if len(pattern) >= switch.position:
                    wanted = MARKS.get(pattern[switch.position - 1].lower())
                    if wanted and switch.state != wanted:
                        said = gettext("pack {pack}, switch {switch}").format(pack=pack.index, switch=switch.position)
                        found.append(("pattern_not_followed", said))
    return found
