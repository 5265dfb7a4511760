"""The answers checker (configurator.invariants) on hand-made answers: each rule flags the answer that breaks it
and passes the one that keeps it. No database: the answers are built from small specs and result values."""

from dataclasses import replace

import pytest

from configurator.domain.result import (
    Cable,
    Conductor,
    Configuration,
    CutConductor,
    DeviceRef,
    PackSetting,
    SwitchState,
    Termination,
    TerminationStep,
)
from configurator.domain.types import DeviceSpec, PinSpec, PortSpec, Source
from configurator.invariants import KINDS, Answer, answer_violations

SOURCE = Source("doc.txt", "section")


def port(name: str, role: str, buses=("can",), pins=None, connector="rj45") -> PortSpec:
    pins = pins if pins is not None else dict.fromkeys(range(1, 9), "nc") | {4: "can_h", 5: "can_l"}
    return PortSpec(name, connector, role, tuple(buses), 8, pins=tuple(PinSpec(k, s) for k, s in pins.items()))


def device(slug: str, kind: str, *ports: PortSpec, voltage="lv") -> DeviceSpec:
    return DeviceSpec(slug, "Maker", slug, kind, voltage, SOURCE, ports=ports)


BATTERY = device("b", "battery", port("CAN", "inverter_link"), port("Link", "parallel", buses=("rs485",)))
INVERTER = device("i", "inverter", port("BMS", "battery_link"))


def conductor(b, i, signal="can_h") -> Conductor:
    return Conductor(signal, b, i)


def result(**changes) -> Configuration:
    good = Configuration(
        battery=DeviceRef("b", "Maker b", "battery", "lv"),
        inverter=DeviceRef("i", "Maker i", "inverter", "lv"),
        adapter=None,
        verdict="derived",
        reasons=(),
        bus="can",
        protocol="Pylon CAN",
        battery_port="CAN",
        inverter_port="BMS",
        cable=Cable(True, False, "t568b", "rj45", "rj45", (conductor(4, 4), conductor(5, 5, "can_l"))),
        termination=Termination(
            (
                TerminationStep("inverter", "inverter port 'BMS'", "Built in."),
                TerminationStep("battery", "battery port 'CAN'", "Built in."),
            ),
            "check",
        ),
    )
    return replace(good, **changes)


def kinds(answer_result, *, bus="best", battery=BATTERY, inverter=INVERTER, refused=False) -> list[str]:
    answer = Answer(battery, inverter, None, bus, 1, answer_result, refused=refused)
    return [violation.kind for violation in answer_violations(answer)]


def test_a_sound_answer_breaks_no_rule():
    assert kinds(result()) == []
    assert kinds(result(), bus="can") == []


def test_every_kind_is_described():
    assert all(KINDS.values())


def test_a_replaced_bus_is_flagged_unless_the_request_was_refused():
    assert kinds(result(), bus="rs485") == ["bus_replaced"]
    assert kinds(result(), bus="rs485", refused=True) == []


def test_incompatible_needs_evidence():
    incompatible = result(verdict="incompatible", bus=None, cable=None, termination=None)
    no_ports = device("x", "inverter", voltage="unknown")
    assert kinds(incompatible, inverter=no_ports) == ["incompatible_without_evidence"]
    rs485_only = device("r", "inverter", port("BMS", "battery_link", buses=("rs485",)))
    assert kinds(incompatible, inverter=rs485_only) == []  # both document their ports: no common bus
    hv = device("h", "inverter", port("BMS", "battery_link"), voltage="hv")
    assert kinds(incompatible, inverter=hv) == []  # a documented voltage clash


def test_a_terminator_on_a_port_of_another_bus_is_flagged():
    steps = (
        TerminationStep("inverter", "inverter port 'BMS'", ""),
        TerminationStep("battery", "battery port 'Link', on the last pack of the stack", ""),
    )
    assert kinds(result(termination=Termination(steps, ""))) == ["terminator_off_the_bus"]
    assert kinds(result(termination=Termination(steps[:1], ""))) == ["termination_not_two_ends"]


def test_a_straight_cable_needs_every_position_documented_on_both_sides():
    partial = device("p", "inverter", port("BMS", "battery_link", pins={4: "can_h", 5: "can_l"}))
    assert kinds(result(), inverter=partial) == ["straight_over_unknown_pins"]


def test_a_straight_cable_never_joins_two_supplies():
    pins = dict.fromkeys(range(1, 9), "nc") | {4: "can_h", 5: "can_l", 7: "vcc"}
    battery = device("b", "battery", port("CAN", "inverter_link", pins=pins))
    inverter = device("i", "inverter", port("BMS", "battery_link", pins=pins))
    assert kinds(result(), battery=battery, inverter=inverter) == ["unsafe_join"]


def test_a_conductor_joining_different_signals_is_flagged():
    cable = Cable(False, False, "t568b", "rj45", "rj45", (conductor(4, 5),))
    assert "unsafe_join" in kinds(result(cable=cable))


def test_a_conductor_on_an_unlisted_pin_is_flagged():
    cable = Cable(False, False, "t568b", "rj45", "rj45", (conductor(4, 9),))
    assert kinds(result(cable=cable)) == ["conductor_end_unknown"]


def test_cuts_beside_a_straight_cable_or_an_empty_one_are_flagged():
    cut = (CutConductor("battery", 1, "white/orange", "not needed"),)
    straight = result().cable
    assert kinds(result(cable=replace(straight, cut=cut))) == ["straight_with_cuts"]
    empty = Cable(False, False, "t568b", "rj45", "rj45", (), cut)
    assert kinds(result(cable=empty)) == ["empty_cable_with_cuts"]
    moved = replace(straight, conductors=(conductor(4, 5), conductor(5, 4, "can_l")))
    assert "straight_not_pin_to_pin" in kinds(result(cable=moved))


@pytest.mark.parametrize(
    ("battery_class", "inverter_class", "flagged"), [("hv", "unknown", True), ("hv", "hv", False)]
)
def test_an_hv_battery_needs_a_voltage_warning_first(battery_class, inverter_class, flagged):
    battery = replace(BATTERY, voltage_class=battery_class)
    inverter = replace(INVERTER, voltage_class=inverter_class)
    assert ("hv_without_voltage_warning" in kinds(result(), battery=battery, inverter=inverter)) is flagged
    warned = result(warnings=("HV battery: check the inverter's battery voltage range first.",))
    assert "hv_without_voltage_warning" not in kinds(warned, battery=battery, inverter=inverter)


def test_protocol_bits_need_a_protocol():
    master = PackSetting(1, "master", False, 0, (SwitchState(5, False, "protocol_bit"),))
    assert kinds(result(protocol=None, packs=(master,))) == ["protocol_bits_without_protocol"]
    assert kinds(result(packs=(master,))) == []
    unknown = PackSetting(1, "master", False, 0, (SwitchState(5, False, "protocol_bit", state="unknown"),))
    assert kinds(result(protocol=None, packs=(unknown,))) == []
