"""The cable between two ports, on small synthetic devices: pairing by meaning, hazards, polarity, colours."""

import pytest

from configurator.domain.cable import compute_cable_mapping, rs485_letter
from configurator.domain.findings import Code, finding
from configurator.domain.types import CrimpSpec, PinSpec, PortSpec
from configurator.messages import message


def rj45(role: str, bus: str, pins: dict[int, str | tuple[str, str]], **kw) -> PortSpec:
    specs = []
    for position, value in pins.items():
        signal, label = value if isinstance(value, tuple) else (value, "")
        specs.append(PinSpec(position, signal, label))
    return PortSpec("P", "rj45", role, (bus,), 8, pins=tuple(specs), **kw)


def battery(pins, bus="can"):
    return rj45("inverter_link", bus, pins)


def inverter(pins, bus="can"):
    return rj45("battery_link", bus, pins, pinout="partial")


def joined(cable):
    return [(c.signal, c.battery_position, c.inverter_position) for c in cable.conductors]


def codes(findings) -> list[str]:
    return [f.code for f in findings]


IDLE = {1: "nc", 2: "nc", 3: "nc", 6: "nc", 7: "nc", 8: "nc"}


def test_same_positions_and_nothing_clashing_take_a_straight_cable():
    cable = compute_cable_mapping(
        "can", battery({**IDLE, 4: "can_h", 5: "can_l", 3: "gnd"}), inverter({**IDLE, 4: "can_h", 5: "can_l"})
    )
    assert cable.standard
    assert joined(cable) == [("can_h", 4, 4), ("can_l", 5, 5)]
    assert cable.cut == ()
    assert [c.colour for c in cable.conductors] == ["blue", "white/blue"]


def test_signals_on_other_positions_need_a_custom_cable_with_the_rest_cut():
    cable = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), inverter({4: "can_h", 5: "can_l", 2: "gnd"})
    )
    assert not cable.standard
    assert joined(cable) == [("can_h", 1, 4), ("can_l", 2, 5), ("gnd", 3, 2)]
    assert [(c.position, c.colour) for c in cable.cut] == [
        (4, "blue"), (5, "white/blue"), (6, "green"), (7, "white/brown"), (8, "brown"),
    ]  # fmt: skip
    # The battery's plug is kept (its colours are the cable's): the spare conductors are cut at the other end.
    assert {(c.kept_plug, c.cut_at) for c in cable.cut} == {("battery", "inverter")}


def test_t568a_changes_the_colours_of_the_orange_and_green_pairs():
    cable = compute_cable_mapping(
        "can",
        battery({1: "can_h", 2: "can_l", 3: "gnd"}),
        inverter({4: "can_h", 5: "can_l", 2: "gnd"}),
        colours="t568a",
    )
    assert [c.colour for c in cable.conductors] == ["white/green", "green", "white/orange"]


@pytest.mark.parametrize(
    ("battery_pin", "inverter_pin", "kind"),
    [
        (("rs485_p", "485A"), ("vcc", "12V"), "supply"),
        (("gnd", "GND"), ("rs485_n", "B"), "ground_signal"),
        (("rs485_p", "A"), ("can_h", "H2"), "different"),
        (("vcc", "12V"), ("vcc", "12V"), "supply"),  # two supplies facing each other
        (("do", "DO1"), ("do", "DO"), "same_outputs"),  # two outputs driving one wire
        (("rs232_tx", "TX"), ("rs232_tx", "TX"), "same_outputs"),
        (("other", "HSS8"), ("other", "K1"), "same_outputs"),  # 004's high-side switch output
    ],
)
def test_a_position_that_joins_what_must_not_meet_forbids_the_straight_cable(battery_pin, inverter_pin, kind):
    idle = dict.fromkeys((1, 2, 3, 6, 8), "nc")
    b = battery({**idle, 4: "can_h", 5: "can_l", 7: battery_pin})
    i = inverter({**idle, 4: "can_h", 5: "can_l", 7: inverter_pin})
    cable = compute_cable_mapping("can", b, i)
    assert not cable.standard
    assert [(h.code, h.values["kind"]) for h in cable.hazards] == [(Code.HAZARD_JOIN, kind)]
    assert joined(cable) == [("can_h", 4, 4), ("can_l", 5, 5)]


def test_a_pin_that_must_stay_empty_forbids_the_straight_cable():
    b = battery({**IDLE, 4: "can_h", 5: "can_l", 2: ("must_be_empty", "NULL")})
    i = inverter({**IDLE, 4: "can_h", 5: "can_l", 2: ("gnd", "GND")})
    cable = compute_cable_mapping("can", b, i)
    assert codes(cable.hazards) == [Code.HAZARD_MUST_BE_EMPTY]
    assert "Pin 2 must stay empty on the battery (NULL)" in message(cable.hazards[0])


def test_a_pin_that_must_stay_empty_without_a_label_is_named_null():
    hazard = finding(Code.HAZARD_MUST_BE_EMPTY, position=2, side="battery", label=None, other="GND")
    assert message(hazard) == "Pin 2 must stay empty on the battery (NULL); on the other end it is GND."


def test_rs485_pairs_by_meaning_and_says_so_when_the_makers_letters_disagree():
    b = battery({1: ("rs485_p", "A"), 2: ("rs485_n", "B")}, bus="rs485")
    i = inverter({1: ("rs485_n", "A"), 2: ("rs485_p", "B")}, bus="rs485")
    cable = compute_cable_mapping("rs485", b, i)
    assert joined(cable) == [("rs485_p", 1, 2), ("rs485_n", 2, 1)]
    assert not cable.standard
    assert codes(cable.notes)[-2:] == [Code.POLARITY_NAMES_DIFFER] * 2
    assert "the battery calls RS485 + 'A', the inverter 'B'" in message(cable.notes[-2])


@pytest.mark.parametrize(
    ("label", "letter"),
    [("A", "A"), ("485A", "A"), ("RS485 A+", "A"), ("RS485-B", "B"), ("B-", "B"), ("485B2", "B"), ("D+", "+"),
     ("CAN H", ""), ("BAT", "")],
)  # fmt: skip
def test_the_rs485_letter_is_read_from_the_whole_label(label, letter):
    assert rs485_letter(label) == letter


def test_labels_with_the_same_letter_anywhere_in_them_are_no_mismatch():
    b = battery({1: ("rs485_p", "RS485 A+"), 2: ("rs485_n", "RS485 B-")}, bus="rs485")
    i = inverter({1: ("rs485_p", "485A"), 2: ("rs485_n", "485B")}, bus="rs485")
    assert Code.POLARITY_NAMES_DIFFER not in codes(compute_cable_mapping("rs485", b, i).notes)


def test_an_assumed_polarity_is_read_from_the_pin_field_not_from_its_note():
    pins = (PinSpec(1, "rs485_p", "A", polarity_assumed=True), PinSpec(2, "rs485_n", "B", polarity_assumed=True))
    assumed = PortSpec("P", "rj45", "inverter_link", ("rs485",), 8, pins=pins)
    i = inverter({1: ("rs485_p", "A"), 2: ("rs485_n", "B")}, bus="rs485")
    cable = compute_cable_mapping("rs485", assumed, i)
    (note,) = [n for n in cable.notes if n.code == Code.POLARITY_ASSUMED]
    assert note.values == {"sides": ("battery",), "ports": ("P",)}
    assert message(note).startswith("Not stated by the maker of the battery (port 'P'): which RS485 line is +")
    noted = battery({1: ("rs485_p", "A"), 2: ("rs485_n", "B")}, bus="rs485")  # a note alone is just words
    assert Code.POLARITY_ASSUMED not in codes(compute_cable_mapping("rs485", noted, i).notes)


def test_a_signal_on_several_positions_uses_the_shared_one_and_says_which():
    b = battery({1: "rs485_n", 2: "rs485_p", 7: "rs485_p", 8: "rs485_n"}, bus="rs485")
    cable = compute_cable_mapping("rs485", b, inverter({7: "rs485_p", 8: "rs485_n"}, bus="rs485"))
    assert joined(cable) == [("rs485_p", 7, 7), ("rs485_n", 8, 8)]
    (note,) = [n for n in cable.notes if n.code == Code.SIGNAL_ON_SEVERAL and n.values["signal"] == "rs485_p"]
    assert message(note) == "The battery has RS485 + on 2, 7; the cable uses 7."


def test_a_can_link_without_a_ground_on_one_side_is_allowed_with_a_note():
    cable = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), inverter({6: "can_h", 7: "can_l"})
    )
    assert joined(cable) == [("can_h", 1, 6), ("can_l", 2, 7)]
    assert Code.NO_COMMON_GROUND in codes(cable.notes)


def test_a_documented_crimp_wins_and_a_different_derivation_is_shown():
    crimp = (CrimpSpec("can_h", 1, 5), CrimpSpec("can_l", 2, 4), CrimpSpec("gnd", 3, None))
    cable = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), inverter({4: "can_l", 5: "can_h"}), crimp=crimp,
        documented_standard=False,
    )  # fmt: skip
    assert cable.documented
    assert joined(cable) == [("can_h", 1, 5), ("can_l", 2, 4)]
    assert message(next(c for c in cable.cut if c.position == 3).reason) == "GND is left unconnected by the source"
    swapped = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l"}), inverter({4: "can_h", 5: "can_l"}), crimp=crimp[:2]
    )
    assert Code.CRIMP_DIFFERS in codes(swapped.notes)


def test_a_terminal_block_end_takes_positions_and_labels_not_colours_from_itself():
    pins = (
        PinSpec(None, "can_h", "BMS CAN_H", terminal="BMS CAN_H"),
        PinSpec(None, "can_l", "BMS CAN_L", terminal="BMS CAN_L"),
    )
    block = PortSpec("J8", "terminal_block", "battery_link", ("can",), None, pins=pins)
    cable = compute_cable_mapping("can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), block)
    assert joined(cable) == [("can_h", 1, "BMS CAN_H"), ("can_l", 2, "BMS CAN_L")]
    assert [c.colour for c in cable.conductors] == ["white/orange", "orange"]
    assert not cable.standard


def test_unknown_pins_give_an_unknown_cable_with_empty_ends_and_nothing_to_cut():
    b = battery({1: "can_h", 2: "can_l", 3: "gnd"})
    unknown = PortSpec("BMS", "rj45", "battery_link", ("can",), 8, pinout="unknown")
    cable = compute_cable_mapping("can", b, unknown)
    assert (cable.kind, cable.basis, cable.known) == ("unknown", "unknown", False)
    assert joined(cable) == [("can_h", 1, None), ("can_l", 2, None)]  # the known end, and one to fill in
    assert {c.basis for c in cable.conductors} == {"unknown"}
    assert cable.cut == ()
    assert codes(cable.notes) == [Code.CABLE_UNKNOWN]


def test_an_enable_loop_is_joined_with_its_connect_first_note():
    b = PortSpec(
        "Section A", "terminal_block", "inverter_link", ("can",), 6,
        pins=(
            PinSpec(1, "enable_p", "Enable 12V +"),
            PinSpec(2, "enable_n", "Enable GND", note="First connect the enable ground wire to Terminal 2."),
            PinSpec(5, "can_h", "CAN high"),
            PinSpec(6, "can_l", "CAN low"),
        ),
    )  # fmt: skip
    with_enable = inverter({4: "can_h", 5: "can_l", 7: ("enable_p", "EN+"), 8: ("enable_n", "EN-")})
    cable = compute_cable_mapping("can", b, with_enable)
    assert joined(cable) == [("can_h", 5, 4), ("can_l", 6, 5), ("enable_p", 1, 7), ("enable_n", 2, 8)]
    assert "First connect the enable ground" in cable.conductors[3].note
    without = compute_cable_mapping("can", b, inverter({4: "can_h", 5: "can_l"}))
    enable = [c for c in without.conductors if c.signal.startswith("enable")]
    assert [(c.battery_position, c.inverter_position, c.basis) for c in enable] == [
        (1, None, "unknown"),
        (2, None, "unknown"),
    ]  # the loop is never dropped: the inverter's end is left to fill in


def test_the_link_is_wired_on_one_channel():
    """004: a port with CAN on two channels; each line of the link comes from the same channel."""
    pins = (
        PinSpec(1, "can_h", "CAN0_H", channel=0), PinSpec(2, "can_l", "CAN0_L", channel=0),
        PinSpec(3, "can_gnd", "CAN1_G", channel=1), PinSpec(4, "can_h", "CAN1_H", channel=1),
        PinSpec(5, "can_l", "CAN1_L", channel=1), PinSpec(6, "gnd", "GND"),
    )  # fmt: skip
    two = PortSpec("PCS", "rj45", "inverter_link", ("can",), 8, pins=pins)
    cable = compute_cable_mapping("can", two, inverter({4: "can_h", 2: "can_l", 3: "gnd"}))
    assert joined(cable) == [("can_h", 1, 4), ("can_l", 2, 2), ("gnd", 6, 3)]  # channel 0 whole, not 4 with 2
    (note,) = [n for n in cable.notes if n.code == Code.CHANNEL_OF_SEVERAL]
    assert note.values["channels"] == (0, 1)
    one = PortSpec("PCS", "rj45", "inverter_link", ("can",), 8, pins=pins[2:])
    cable = compute_cable_mapping("can", one, inverter({4: "can_h", 5: "can_l", 3: "gnd"}))
    assert joined(cable)[2] == ("can_gnd", 3, 3)  # the ground of the chosen channel


def test_nothing_is_cut_from_the_kept_plug_while_one_of_its_ends_is_unknown():
    """RESU 10H Prime's enable pair on an inverter whose enable pins are not in the catalog: the inverter plug is
    kept, and any of its spare conductors may be the one the enable line needs."""
    block = PortSpec(
        "Section A", "terminal_block", "inverter_link", ("can",), 6,
        pins=(PinSpec(1, "enable_p"), PinSpec(2, "enable_n"), PinSpec(5, "can_h"), PinSpec(6, "can_l")),
    )  # fmt: skip
    cable = compute_cable_mapping("can", block, inverter({4: "can_h", 5: "can_l"}))
    assert cable.kind == "custom"
    assert cable.cut == ()
