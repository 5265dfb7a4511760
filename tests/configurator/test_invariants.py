"""The answers checker (configurator.invariants) on hand-made answers: each rule flags the answer that breaks it
and passes the one that keeps it. No database: the answers are built from small specs and result values."""

from dataclasses import replace

import pytest
from django.utils import translation

from configurator.domain.findings import Code, finding
from configurator.domain.result import (
    BankSetting,
    Cable,
    Conductor,
    Configuration,
    CutConductor,
    DeviceRef,
    PackSetting,
    Segment,
    SwitchState,
    Termination,
    TerminationEnd,
)
from configurator.domain.types import DeviceSpec, DipBankSpec, PinSpec, PortSpec, Source
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


def end(side, port_name, pack=None) -> TerminationEnd:
    return TerminationEnd(side, "", port_name, finding(Code.TERM_BUILT_IN), "documented", pack)


def link(*ends) -> Termination:
    return Termination((Segment("link", "can", ends),))


def cable(kind, *conductors, cut=()) -> Cable:
    return Cable(kind, "derived", "t568b", "rj45", "rj45", conductors, cut)


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
        cable=cable("straight", conductor(4, 4), conductor(5, 5, "can_l")),
        termination=link(end("inverter", "BMS"), end("battery", "CAN")),
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
    ends = (end("inverter", "BMS"), end("battery", "Link", pack=3))
    assert kinds(result(termination=link(*ends))) == ["terminator_off_the_bus"]
    assert kinds(result(termination=link(ends[0]))) == ["termination_not_two_ends"]
    packs = Segment("packs", "rs485", (end("battery", "Link", 1), end("battery", "Link", 3)))
    good = link(end("inverter", "BMS"), end("battery", "CAN"))
    assert kinds(result(termination=Termination((*good.segments, packs)))) == []  # the packs' own bus, on its port


def test_a_straight_cable_needs_every_position_documented_on_both_sides():
    partial = device("p", "inverter", port("BMS", "battery_link", pins={4: "can_h", 5: "can_l"}))
    assert kinds(result(), inverter=partial) == ["straight_over_unknown_pins"]


def test_a_straight_cable_never_joins_two_supplies():
    pins = dict.fromkeys(range(1, 9), "nc") | {4: "can_h", 5: "can_l", 7: "vcc"}
    battery = device("b", "battery", port("CAN", "inverter_link", pins=pins))
    inverter = device("i", "inverter", port("BMS", "battery_link", pins=pins))
    assert kinds(result(), battery=battery, inverter=inverter) == ["unsafe_join"]


def test_a_conductor_joining_different_signals_is_flagged():
    assert "unsafe_join" in kinds(result(cable=cable("custom", conductor(4, 5))))


def test_a_conductor_on_an_unlisted_pin_is_flagged():
    assert kinds(result(cable=cable("custom", conductor(4, 9), conductor(5, 5, "can_l")))) == ["conductor_end_unknown"]


def test_cuts_beside_a_straight_cable_or_an_empty_one_are_flagged():
    cut = (CutConductor("battery", "inverter", 1, "white/orange", finding(Code.CUT_NOT_NEEDED)),)
    straight = result().cable
    assert kinds(result(cable=replace(straight, cut=cut))) == ["straight_with_cuts"]
    assert "empty_cable_with_cuts" in kinds(result(cable=cable("custom", cut=cut)))
    unknown = cable("unknown", Conductor("can_h", 4, None, basis="unknown"), cut=cut)
    assert "unknown_cable_with_cuts" in kinds(result(cable=unknown))
    moved = replace(straight, conductors=(conductor(4, 5), conductor(5, 4, "can_l")))
    assert "straight_not_pin_to_pin" in kinds(result(cable=moved))


@pytest.mark.parametrize(
    ("battery_class", "inverter_class", "flagged"), [("hv", "unknown", True), ("hv", "hv", False)]
)
def test_an_hv_battery_needs_a_voltage_warning_first(battery_class, inverter_class, flagged):
    battery = replace(BATTERY, voltage_class=battery_class)
    inverter = replace(INVERTER, voltage_class=inverter_class)
    assert ("hv_without_voltage_warning" in kinds(result(), battery=battery, inverter=inverter)) is flagged
    warned = result(warnings=(finding(Code.VOLTAGE_QUESTION, hv="b", other="i", other_class="unknown"),))
    assert "hv_without_voltage_warning" not in kinds(warned, battery=battery, inverter=inverter)
    with translation.override("fr"):  # the admin's publish check runs in the distributor's language
        assert "hv_without_voltage_warning" not in kinds(warned, battery=battery, inverter=inverter)


def test_protocol_bits_need_a_protocol():
    master = PackSetting(1, "master", False, 0, (BankSetting("DIP", (SwitchState(5, "protocol_bit", state="off"),)),))
    assert kinds(result(protocol=None, packs=(master,))) == ["protocol_bits_without_protocol"]
    assert kinds(result(packs=(master,))) == []
    unknown = PackSetting(1, "master", False, 0, (BankSetting("DIP", (SwitchState(5, "protocol_bit"),)),))
    assert kinds(result(protocol=None, packs=(unknown,))) == []


def test_a_cable_must_join_every_line_and_keep_the_enable_loop():
    half = cable("custom", conductor(4, 4))
    assert "link_signal_missing" in kinds(result(cable=half))
    pins = dict.fromkeys(range(1, 9), "nc") | {4: "can_h", 5: "can_l", 1: "enable_p"}
    battery = device("b", "battery", port("CAN", "inverter_link", pins=pins))
    assert "enable_loop_dropped" in kinds(result(), battery=battery)


def test_a_pattern_x_drawn_off_is_flagged():
    battery = replace(BATTERY, dip_banks=(DipBankSpec("DIP", 2, all_packs_pattern="1x"),))

    def pack(second: str) -> PackSetting:
        switches = (SwitchState(1, "other", state="on"), SwitchState(2, "other", state=second))
        return PackSetting(1, "master", False, None, (BankSetting("DIP", switches),))

    assert kinds(result(packs=(pack("off"),)), battery=battery) == ["pattern_not_followed"]
    assert kinds(result(packs=(pack("leave"),)), battery=battery) == []


def test_a_side_shows_its_catalogued_setting_for_the_protocol_and_a_derived_line_says_from_what():
    from configurator.domain.result import SettingLine
    from configurator.domain.types import DeviceProtocolSpec, ProtocolSpec

    pylon = ProtocolSpec("pylon-can", "Pylon CAN", "can")
    lcd = DeviceProtocolSpec(pylon, "lcd_menu", "Battery Setup", "CAN 00")
    inverter = replace(INVERTER, protocols=(lcd,))
    shown = SettingLine("inverter", "Battery Setup", "CAN 00", basis="derived", derivation="from 001 and 002")
    assert kinds(result(protocol_slug="pylon-can", inverter_settings=(shown,)), inverter=inverter) == []
    unknown = SettingLine("inverter", "", basis="unknown", finding=finding(Code.SETTING_UNKNOWN))
    dropped = result(protocol_slug="pylon-can", inverter_settings=(unknown,))
    assert kinds(dropped, inverter=inverter) == ["selection_dropped"]
    bare = replace(shown, derivation="")
    assert kinds(result(protocol_slug="pylon-can", inverter_settings=(bare,)), inverter=inverter) == [
        "derived_without_chain"
    ]


def test_an_inverter_is_told_nothing_only_where_a_source_says_it_detects_the_protocol():
    from configurator.domain.result import SettingLine
    from configurator.domain.types import DeviceProtocolSpec, ProtocolSpec

    pylon = ProtocolSpec("pylon-can", "Pylon CAN", "can")
    nothing = SettingLine("inverter", "", finding=finding(Code.SETTING_NOTHING))
    answer = result(protocol_slug="pylon-can", inverter_settings=(nothing,))
    fixed = replace(INVERTER, protocols=(DeviceProtocolSpec(pylon, "fixed"),))
    assert kinds(answer, inverter=fixed) == ["inverter_told_nothing"]
    automatic = replace(INVERTER, protocols=(DeviceProtocolSpec(pylon, "automatic"),))
    assert kinds(answer, inverter=automatic) == []
