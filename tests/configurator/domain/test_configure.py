"""The engine's verdicts and cable on small synthetic pairs (no database): unknown is an answer, incompatible
needs evidence, voltage comes first, a cable is never invented across unknown pins."""

import pytest

from configurator.domain import BusNotOffered, Options, Verdict, available_options, configure, require_bus
from configurator.domain.types import (
    DeviceProtocolSpec,
    DeviceSpec,
    PairingSpec,
    PinSpec,
    PortSpec,
    ProtocolSpec,
    Source,
)

SOURCE = Source("doc.txt", "section")
PYLON = ProtocolSpec("pylon-can", "Pylon CAN", "can", 500000)
ALL_CAN = {1: "nc", 2: "nc", 3: "nc", 4: "can_h", 5: "can_l", 6: "gnd", 7: "nc", 8: "nc"}


def port(name, role, buses=("can",), pins=None, pinout="complete"):
    pins = ALL_CAN if pins is None else pins
    return PortSpec(name, "rj45", role, buses, 8, pinout, pins=tuple(PinSpec(k, s) for k, s in pins.items()))


def device(slug, kind, *ports, voltage="lv", protocols=(PYLON,)):
    speaks = tuple(DeviceProtocolSpec(p, "automatic") for p in protocols)
    return DeviceSpec(slug, "Maker", slug, kind, voltage, SOURCE, ports=ports, protocols=speaks)


BATTERY = device("bat", "battery", port("CAN", "inverter_link"))
INVERTER = device("inv", "inverter", port("BMS", "battery_link"))


def test_a_fully_known_pair_is_derived_with_a_straight_cable():
    result = configure(BATTERY, INVERTER)
    assert (result.verdict, result.bus, result.protocol) == (Verdict.DERIVED, "can", "Pylon CAN")
    assert result.cable.standard
    assert result.cable.cut == ()


def test_a_side_with_no_known_link_port_needs_a_check_not_incompatible():
    unknown = device("mystery", "battery")
    result = configure(unknown, INVERTER)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert result.bus is None
    assert result.cable is None
    assert result.packs == ()
    assert any("does not know Maker mystery's BMS link port" in reason for reason in result.reasons)


def test_documented_ports_with_no_common_bus_are_incompatible():
    rs485_only = device("inv485", "inverter", port("BMS", "battery_link", ("rs485",), {1: "rs485_p", 2: "rs485_n"}))
    assert configure(BATTERY, rs485_only).verdict == Verdict.INCOMPATIBLE


def test_an_hv_battery_with_an_inverter_of_unknown_class_puts_voltage_first():
    hv = device("hv", "battery", port("CAN", "inverter_link"), voltage="hv")
    unknown = device("inv?", "inverter", port("BMS", "battery_link"), voltage="unknown")
    result = configure(hv, unknown)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert result.warnings[0].startswith("Voltage first: Maker hv is a high-voltage (HV) device")
    assert configure(hv, device("lv", "inverter", port("BMS", "battery_link"))).verdict == Verdict.INCOMPATIBLE


def test_unknown_pins_on_one_side_give_no_invented_cable_and_nothing_to_cut():
    blind = device("inv", "inverter", port("BMS", "battery_link", pins={}, pinout="unknown"))
    result = configure(BATTERY, blind)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert result.cable is None
    assert any("cannot be worked out from the catalog" in reason for reason in result.reasons)


def test_a_straight_cable_needs_every_position_documented_on_both_sides():
    partial = device("inv", "inverter", port("BMS", "battery_link", pins={4: "can_h", 5: "can_l"}, pinout="partial"))
    cable = configure(BATTERY, partial).cable
    assert not cable.standard
    assert "Pins 1, 2, 3, 6, 7, 8 not documented on the inverter: a straight cable would join them blind." in (
        cable.hazards
    )


def test_two_supplies_on_one_position_forbid_a_straight_cable():
    pins = {**ALL_CAN, 8: "vcc"}
    battery = device("bat", "battery", port("CAN", "inverter_link", pins=pins))
    inverter = device("inv", "inverter", port("BMS", "battery_link", pins=pins))
    cable = configure(battery, inverter).cable
    assert not cable.standard
    assert any("Pin 8 would join a supply or enable line" in hazard for hazard in cable.hazards)


def test_a_documented_straight_cable_cuts_nothing():
    pairing = PairingSpec("bat--inv", "bat", "inv", "can", "battery_maker", SOURCE, standard_cable=True)
    partial = device("inv", "inverter", port("BMS", "battery_link", pins={4: "can_h", 5: "can_l"}, pinout="partial"))
    result = configure(BATTERY, partial, (pairing,))
    assert result.verdict == Verdict.DOCUMENTED
    assert result.cable.standard
    assert result.cable.cut == ()


def test_packs_on_a_bus_of_their_own_are_not_an_end_of_the_inverter_link():
    battery = device("bat", "battery", port("CAN", "inverter_link"), port("Link", "parallel", ("rs485",), {}))
    result = configure(battery, INVERTER, options=Options(packs=3))
    assert result.termination.steps[1].where.startswith("battery port 'CAN', on the master pack")
    assert any("The packs talk among themselves through 'Link' over RS485" in w for w in result.warnings)


def test_a_bus_asked_for_that_the_pair_does_not_talk_over_is_refused():
    choices = available_options(BATTERY, INVERTER)
    require_bus(Options(bus="can"), choices)
    with pytest.raises(BusNotOffered, match=r"does not talk over RS485; it does over CAN\."):
        require_bus(Options(bus="rs485"), choices)
