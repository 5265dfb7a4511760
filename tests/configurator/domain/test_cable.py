"""The cable between two ports, on small synthetic devices: pairing by meaning, hazards, polarity, colours."""

import pytest

from configurator.domain.cable import compute_cable_mapping
from configurator.domain.types import CrimpSpec, PinSpec, PortSpec


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


def test_t568a_changes_the_colours_of_the_orange_and_green_pairs():
    cable = compute_cable_mapping(
        "can",
        battery({1: "can_h", 2: "can_l", 3: "gnd"}),
        inverter({4: "can_h", 5: "can_l", 2: "gnd"}),
        colours="t568a",
    )
    assert [c.colour for c in cable.conductors] == ["white/green", "green", "white/orange"]


@pytest.mark.parametrize(
    ("battery_pins", "inverter_pins", "hazard"),
    [
        (
            {4: "can_h", 5: "can_l", 7: ("rs485_p", "485A")},
            {4: "can_h", 5: "can_l", 7: ("vcc", "12V")},
            "a supply or enable line",
        ),
        (
            {4: "can_h", 5: "can_l", 2: ("must_be_empty", "NULL")},
            {4: "can_h", 5: "can_l", 2: ("gnd", "GND")},
            "must stay empty",
        ),
        (
            {4: "can_h", 5: "can_l", 3: ("gnd", "GND")},
            {4: "can_h", 5: "can_l", 3: ("rs485_n", "B")},
            "a ground and a signal",
        ),
        (
            {4: "can_h", 5: "can_l", 1: ("rs485_p", "A")},
            {4: "can_h", 5: "can_l", 1: ("can_h", "H2")},
            "two different signals",
        ),
    ],
)
def test_a_position_that_joins_what_must_not_meet_forbids_the_straight_cable(battery_pins, inverter_pins, hazard):
    cable = compute_cable_mapping("can", battery(battery_pins), inverter(inverter_pins))
    assert not cable.standard
    assert any(hazard in text for text in cable.hazards)
    assert joined(cable) == [("can_h", 4, 4), ("can_l", 5, 5)]


def test_rs485_pairs_by_meaning_and_says_so_when_the_makers_letters_disagree():
    b = battery({1: ("rs485_p", "A"), 2: ("rs485_n", "B")}, bus="rs485")
    i = inverter({1: ("rs485_n", "A"), 2: ("rs485_p", "B")}, bus="rs485")
    cable = compute_cable_mapping("rs485", b, i)
    assert joined(cable) == [("rs485_p", 1, 2), ("rs485_n", 2, 1)]
    assert not cable.standard
    assert any("Polarity: the battery calls RS485 + 'A', the inverter 'B'" in note for note in cable.notes)


def test_a_signal_on_several_positions_uses_the_shared_one_and_says_which():
    b = battery({1: "rs485_n", 2: "rs485_p", 7: "rs485_p", 8: "rs485_n"}, bus="rs485")
    cable = compute_cable_mapping("rs485", b, inverter({7: "rs485_p", 8: "rs485_n"}, bus="rs485"))
    assert joined(cable) == [("rs485_p", 7, 7), ("rs485_n", 8, 8)]
    assert "The battery has RS485 P on 2, 7; the cable uses 7." in cable.notes


def test_a_can_link_without_a_ground_on_one_side_is_allowed_with_a_note():
    cable = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), inverter({6: "can_h", 7: "can_l"})
    )
    assert joined(cable) == [("can_h", 1, 6), ("can_l", 2, 7)]
    assert any("No common ground" in note for note in cable.notes)


def test_a_documented_crimp_wins_and_a_different_derivation_is_shown():
    crimp = (CrimpSpec("can_h", 1, 5), CrimpSpec("can_l", 2, 4), CrimpSpec("gnd", 3, None))
    cable = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l", 3: "gnd"}), inverter({4: "can_l", 5: "can_h"}), crimp=crimp,
        documented_standard=False,
    )  # fmt: skip
    assert cable.documented
    assert joined(cable) == [("can_h", 1, 5), ("can_l", 2, 4)]
    assert next(c for c in cable.cut if c.position == 3).reason == "gnd is left unconnected by the source"
    swapped = compute_cable_mapping(
        "can", battery({1: "can_h", 2: "can_l"}), inverter({4: "can_h", 5: "can_l"}), crimp=crimp[:2]
    )
    assert any("The pin tables alone would give" in note for note in swapped.notes)


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
