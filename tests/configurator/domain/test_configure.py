"""The engine's verdicts and cable on small synthetic pairs (no database): unknown is an answer, incompatible
needs evidence, voltage comes first, a cable is never invented across unknown pins."""

import pytest

from configurator.domain import (
    BusNotOffered,
    Code,
    OptionNotOffered,
    Options,
    Verdict,
    available_options,
    configure,
    require_bus,
)
from configurator.domain.types import (
    DeviceProtocolSpec,
    DeviceSpec,
    PairingSpec,
    PinSpec,
    PortSpec,
    ProtocolSpec,
    Source,
)
from configurator.messages import message

SOURCE = Source("doc.txt", "section")
PYLON = ProtocolSpec("pylon-can", "Pylon CAN", "can", 500000)
ALL_CAN = {1: "nc", 2: "nc", 3: "nc", 4: "can_h", 5: "can_l", 6: "gnd", 7: "nc", 8: "nc"}


def port(name, role, buses=("can",), pins=None, pinout="complete"):
    pins = ALL_CAN if pins is None else pins
    return PortSpec(name, "rj45", role, buses, 8, pinout, pins=tuple(PinSpec(k, s) for k, s in pins.items()))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def device(slug, kind, *ports, voltage="lv", protocols=(PYLON,)):
    speaks = tuple(p if isinstance(p, DeviceProtocolSpec) else DeviceProtocolSpec(p, "automatic") for p in protocols)
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
    assert codes(result.reasons) == [Code.LINK_NOT_WORKED_OUT, Code.LINK_PORT_UNKNOWN]
    assert result.reasons[1].values == {"device": "Maker mystery", "side": "battery"}


def test_documented_ports_with_no_common_bus_are_incompatible():
    rs485_only = device("inv485", "inverter", port("BMS", "battery_link", ("rs485",), {1: "rs485_p", 2: "rs485_n"}))
    result = configure(BATTERY, rs485_only)
    assert result.verdict == Verdict.INCOMPATIBLE
    assert codes(result.reasons) == [Code.NO_COMMON_BUS]


def test_an_hv_battery_with_an_inverter_of_unknown_class_puts_voltage_first():
    hv = device("hv", "battery", port("CAN", "inverter_link"), voltage="hv")
    unknown = device("inv?", "inverter", port("BMS", "battery_link"), voltage="unknown")
    result = configure(hv, unknown)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert (result.warnings[0].code, result.warnings[0].severity) == (Code.VOLTAGE_QUESTION, "danger")
    assert Code.VOLTAGE_FIRST in codes(result.reasons)
    assert configure(hv, device("lv", "inverter", port("BMS", "battery_link"))).verdict == Verdict.INCOMPATIBLE


def test_unknown_pins_on_one_side_give_an_empty_pin_table_and_nothing_to_cut():
    blind = device("inv", "inverter", port("BMS", "battery_link", pins={}, pinout="unknown"))
    result = configure(BATTERY, blind)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert result.cable.kind == "unknown"
    assert [(c.signal, c.battery_position, c.inverter_position) for c in result.cable.conductors] == [
        ("can_h", 4, None),
        ("can_l", 5, None),
    ]
    assert result.cable.cut == ()
    assert Code.PINS_MISSING in codes(result.reasons)
    assert Code.CABLE_UNKNOWN in codes(result.warnings)


def test_a_straight_cable_needs_every_position_documented_on_both_sides():
    partial = device("inv", "inverter", port("BMS", "battery_link", pins={4: "can_h", 5: "can_l"}, pinout="partial"))
    cable = configure(BATTERY, partial).cable
    assert not cable.standard
    (blind,) = [h for h in cable.hazards if h.code == Code.HAZARD_BLIND]
    assert blind.values == {"side": "inverter", "positions": (1, 2, 3, 6, 7, 8)}


def test_two_supplies_on_one_position_forbid_a_straight_cable():
    pins = {**ALL_CAN, 8: "vcc"}
    battery = device("bat", "battery", port("CAN", "inverter_link", pins=pins))
    inverter = device("inv", "inverter", port("BMS", "battery_link", pins=pins))
    cable = configure(battery, inverter).cable
    assert not cable.standard
    assert [(h.code, h.values["position"], h.values["kind"]) for h in cable.hazards] == [
        (Code.HAZARD_JOIN, 8, "supply")
    ]


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
    link, packs = result.termination.segments
    assert [(end.side, end.port, end.pack) for end in link.ends] == [("inverter", "BMS", None), ("battery", "CAN", 1)]
    assert (packs.kind, packs.bus, [end.pack for end in packs.ends]) == ("packs", "rs485", [1, 3])


def test_a_bus_asked_for_that_the_pair_does_not_talk_over_is_refused():
    choices = available_options(BATTERY, INVERTER)
    require_bus(Options(bus="can"), choices)
    with pytest.raises(BusNotOffered, match=r"does not talk over RS485; it does over CAN\."):
        require_bus(Options(bus="rs485"), choices)


VICTRON = ProtocolSpec("victron-can", "Victron CAN", "can", 500000)


def test_several_shared_protocols_without_a_preference_are_the_installers_choice():
    battery = device("bat", "battery", port("CAN", "inverter_link"), protocols=(VICTRON, PYLON))
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(PYLON, VICTRON))
    result = configure(battery, inverter)
    assert result.protocol is None  # never the first in alphabetical order
    assert [p.name for p in result.protocol_choices] == ["Pylon CAN", "Victron CAN"]
    assert result.verdict == Verdict.NEEDS_CHECK
    assert Code.PROTOCOL_CHOICE in codes(result.warnings)
    chosen = configure(battery, inverter, options=Options(protocol="victron-can"))
    assert (chosen.protocol, chosen.verdict) == ("Victron CAN", Verdict.DERIVED)
    choices = available_options(battery, inverter)
    assert [o.slug for o in dict(choices.protocols)["can"]] == ["victron-can", "pylon-can"]


def test_a_documented_preference_decides_between_shared_protocols():
    preferred = (
        DeviceProtocolSpec(VICTRON, "automatic", priority=2),
        DeviceProtocolSpec(PYLON, "automatic", priority=1),
    )
    battery = device("bat", "battery", port("CAN", "inverter_link"), protocols=preferred)
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(VICTRON, PYLON))
    result = configure(battery, inverter)
    assert result.protocol == "Pylon CAN"
    assert Code.PROTOCOL_BY_PREFERENCE in codes(result.reasons)


def test_a_pairings_protocol_is_documented_and_decides():
    battery = device("bat", "battery", port("CAN", "inverter_link"), protocols=(VICTRON, PYLON))
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(PYLON, VICTRON))
    pairing = PairingSpec("bat--inv", "bat", "inv", "can", "inverter_maker", SOURCE, protocol=VICTRON)
    result = configure(battery, inverter, (pairing,))
    assert (result.protocol, result.protocol_basis, result.verdict) == ("Victron CAN", "documented", "documented")


def test_a_protocol_or_port_asked_for_that_the_pair_does_not_offer_is_refused():
    with pytest.raises(OptionNotOffered, match="does not share the protocol 'victron-can'") as refused:
        configure(BATTERY, INVERTER, options=Options(protocol="victron-can"))
    assert refused.value.field == "protocol"
    with pytest.raises(OptionNotOffered, match="no CAN link port named 'RS485'") as refused:
        configure(BATTERY, INVERTER, options=Options(inverter_port="RS485"))
    assert refused.value.field == "inverter_port"


def test_of_several_ports_on_the_bus_the_one_at_the_protocols_bit_rate_is_chosen_and_why_is_said():
    slow = PortSpec("CAN 250", "rj45", "battery_link", ("can",), 8, pins=port("x", "x").pins, bitrates=(250000,))
    fast = PortSpec("CAN 500", "rj45", "battery_link", ("can",), 8, pins=port("x", "x").pins, bitrates=(500000,))
    inverter = device("inv", "inverter", slow, fast)
    result = configure(BATTERY, inverter)
    assert result.inverter_port == "CAN 500"
    assert Code.PORT_BITRATE in codes(result.reasons)
    either = device("inv", "inverter", port("CAN A", "battery_link"), port("CAN B", "battery_link"))
    result = configure(BATTERY, either)
    assert result.inverter_port == "CAN A"
    assert Code.PORT_OF_SEVERAL in codes(result.warnings)  # said, and the installer may pick the other
    assert configure(BATTERY, either, options=Options(inverter_port="CAN B")).inverter_port == "CAN B"


def test_an_enable_line_the_inverter_does_not_document_is_a_warning_and_needs_a_check():
    pins = {**ALL_CAN, 1: "enable_p", 2: "enable_n"}
    battery = device("bat", "battery", port("CAN", "inverter_link", pins=pins))
    result = configure(battery, INVERTER)
    assert result.verdict == Verdict.NEEDS_CHECK
    assert [(c.signal, c.battery_position, c.inverter_position) for c in result.cable.conductors[2:4]] == [
        ("enable_p", 1, None),
        ("enable_n", 2, None),
    ]
    (warning,) = [w for w in result.warnings if w.code == Code.ENABLE_END_UNKNOWN]
    assert warning.values == {
        "needs": "Maker bat", "other": "Maker inv", "signals": ("enable_p", "enable_n"), "positions": (1, 2),
    }  # fmt: skip
    assert "(Enable +, Enable - on pins 1, 2)" in message(warning)


def test_a_documented_pairing_through_an_adapter_runs_its_cable_to_the_adapter():
    gateway = device("gw", "adapter", port("Battery CAN terminal", "battery_link"), voltage="n_a")
    pairing = PairingSpec(
        "bat--inv--via-gw", "bat", "inv", "can", "battery_maker", SOURCE, adapter=gateway, protocol=PYLON
    )
    result = configure(BATTERY, INVERTER, (pairing,))
    assert (result.battery_port, result.inverter_port) == ("CAN", "Battery CAN terminal")
    link, other = result.termination.segments
    assert [end.side for end in link.ends] == ["adapter", "battery"]
    assert (other.kind, [end.basis for end in other.ends]) == ("adapter", ["unknown", "unknown"])
