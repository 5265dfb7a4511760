"""Properties of every derived cable, over generated pin tables. What may be joined is written here, from the
domain's rules, independently of the engine: the same bus line, two grounds, or an enable line to the enable line
of the same sign; a straight cable joins every position, so every position must be documented on both sides and
nothing on it may clash (an NC pin faces anything that need not stay empty)."""

from hypothesis import event, given, settings
from hypothesis import strategies as st

from configurator.domain.cable import compute_cable_mapping
from configurator.domain.types import PinSpec, PortSpec

LINK = {"can": ("can_h", "can_l"), "rs485": ("rs485_p", "rs485_n")}
GROUND = {"gnd", "can_gnd", "rs485_gnd"}
ENABLE = {"enable_p", "enable_n"}
OTHERS = ["gnd", "can_gnd", "rs485_gnd", "vcc", "enable_p", "enable_n", "rs232_tx", "rs232_rx", "di", "do", "nc"]
OTHERS += ["other", "must_be_empty"]


def may_join(a: str, b: str) -> bool:
    """Two pins a conductor may join."""
    if a in GROUND and b in GROUND:
        return True
    return a == b and a in {"can_h", "can_l", "rs485_p", "rs485_n", "enable_p", "enable_n"}


def may_face_in_a_straight_cable(a: PinSpec | None, b: PinSpec | None) -> bool:
    if a is None or b is None:
        return False  # undocumented: a straight cable would join it blind
    if "must_be_empty" in (a.signal, b.signal):
        return {a.signal, b.signal} <= {"must_be_empty", "nc"}
    if "nc" in (a.signal, b.signal):
        return True
    return may_join(a.signal, b.signal)


@st.composite
def port(draw, bus: str, role: str, connector: str) -> PortSpec:
    """An 8-position table, complete or partial: the link signals somewhere (sometimes twice), anything else
    elsewhere, some positions left out of a partial table."""
    positions = list(range(1, 9))
    signals = dict.fromkeys(positions)
    placed = draw(st.permutations(positions))
    needed = list(LINK[bus])
    if draw(st.booleans()):
        needed.append(draw(st.sampled_from(LINK[bus])))  # one signal on two positions
    for position, signal in zip(placed, needed, strict=False):
        signals[position] = signal
    partial = draw(st.booleans())
    for position in positions:
        if signals[position] is None:
            signals[position] = draw(st.sampled_from([*OTHERS, *([None] * 4 if partial else [])]))
    pins = tuple(PinSpec(n, signals[n], label=f"L{n}") for n in positions if signals[n] is not None)
    return PortSpec("P", connector, role, (bus,), 8, "partial" if partial else "complete", pins=pins)


@st.composite
def pair(draw):
    bus = draw(st.sampled_from(sorted(LINK)))
    battery_connector = draw(st.sampled_from(["rj45", "rj45", "terminal_block"]))
    inverter_connector = draw(st.sampled_from(["rj45", "rj45", "terminal_block"]))
    battery = draw(port(bus, "inverter_link", battery_connector))
    if draw(st.booleans()):
        inverter = draw(port(bus, "battery_link", inverter_connector))
    else:
        # Often makers agree: the same table, with a few positions changed (where straight cables arise).
        free = [p.position for p in battery.pins if p.signal not in LINK[bus]]
        changed = draw(st.dictionaries(st.sampled_from(free), st.sampled_from(OTHERS), max_size=3)) if free else {}
        pins = tuple(PinSpec(p.position, changed.get(p.position, p.signal), p.label) for p in battery.pins)
        inverter = PortSpec("P", inverter_connector, "battery_link", (bus,), 8, battery.pinout, pins=pins)
    return bus, battery, inverter, draw(st.sampled_from(["t568b", "t568a"]))


@settings(max_examples=500, deadline=None)
@given(pair())
def test_a_derived_cable_never_joins_what_must_not_meet(case):
    bus, battery, inverter, colours = case
    cable = compute_cable_mapping(bus, battery, inverter, colours=colours)
    event(cable.kind)
    for conductor in cable.conductors:
        b, i = battery.pin(conductor.battery_position), inverter.pin(conductor.inverter_position)
        if conductor.battery_position is not None:
            assert b is not None, "a conductor ends on a pin the battery does not list"
        if conductor.inverter_position is not None:
            assert i is not None, "a conductor ends on a pin the inverter does not list"
        if b is not None and i is not None:
            assert may_join(b.signal, i.signal), (b, i)
        else:
            assert conductor.basis == "unknown"
    if cable.standard:
        assert cable.cut == ()
        for position in range(1, 9):
            assert may_face_in_a_straight_cable(battery.pin(position), inverter.pin(position)), position
    else:
        known = [c for c in cable.conductors if c.basis != "unknown"]
        battery_ends = [c.battery_position for c in known]
        inverter_ends = [c.inverter_position for c in known]
        assert len(battery_ends) == len(set(battery_ends))
        assert len(inverter_ends) == len(set(inverter_ends))
        for cut in cable.cut:
            used = battery_ends if cut.kept_plug == "battery" else inverter_ends
            assert cut.position not in used
            assert cut.cut_at != cut.kept_plug


@settings(max_examples=500, deadline=None)
@given(pair())
def test_a_derived_cable_joins_every_line_the_link_needs(case):
    bus, battery, inverter, colours = case
    cable = compute_cable_mapping(bus, battery, inverter, colours=colours)
    joined = {c.signal for c in cable.conductors if c.battery_position is not None and c.inverter_position is not None}
    assert set(LINK[bus]) <= joined
    for port in (battery, inverter):  # an enable loop on either side is in the cable, known or to fill in
        assert {p.signal for p in port.pins if p.signal in ENABLE} <= {c.signal for c in cable.conductors}
    if cable.standard:
        for signal in LINK[bus]:
            conductor = next(c for c in cable.conductors if c.signal == signal)
            assert conductor.battery_position == conductor.inverter_position
