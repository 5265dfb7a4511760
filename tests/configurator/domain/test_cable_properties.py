"""Properties of every derived cable, over generated pin tables: it never joins two different signals and it
never leaves a signal the link needs unconnected."""

from hypothesis import event, given, settings
from hypothesis import strategies as st

from configurator.domain.cable import LINK_SIGNALS, compute_cable_mapping
from configurator.domain.types import PinSpec, PortSpec
from configurator.domain.vocabulary import GROUND_SIGNALS

OTHERS = ["gnd", "can_gnd", "rs485_gnd", "vcc", "enable_p", "enable_n", "rs232_tx", "rs232_rx", "di", "nc", "other"]
OTHERS += ["must_be_empty"]
IDLE = {"nc"}


def meaning(signal: str) -> str:
    return "ground" if signal in GROUND_SIGNALS else signal


@st.composite
def port(draw, bus: str, role: str, connector: str) -> PortSpec:
    """A complete 8-position table: the link signals somewhere (sometimes twice), anything else elsewhere."""
    positions = list(range(1, 9))
    signals = dict.fromkeys(positions)
    placed = draw(st.permutations(positions))
    needed = list(LINK_SIGNALS[bus])
    if draw(st.booleans()):
        needed.append(draw(st.sampled_from(LINK_SIGNALS[bus])))  # one signal on two positions
    for position, signal in zip(placed, needed, strict=False):
        signals[position] = signal
    for position in positions:
        if signals[position] is None:
            signals[position] = draw(st.sampled_from(OTHERS))
    pins = tuple(PinSpec(n, signals[n], label=f"L{n}") for n in positions)
    return PortSpec("P", connector, role, (bus,), 8, pins=pins)


@st.composite
def pair(draw):
    bus = draw(st.sampled_from(sorted(LINK_SIGNALS)))
    battery_connector = draw(st.sampled_from(["rj45", "rj45", "terminal_block"]))
    inverter_connector = draw(st.sampled_from(["rj45", "rj45", "terminal_block"]))
    battery = draw(port(bus, "inverter_link", battery_connector))
    if draw(st.booleans()):
        inverter = draw(port(bus, "battery_link", inverter_connector))
    else:
        # Often makers agree: the same table, with a few positions changed (where straight cables arise).
        # Link signals stay where they are, so that both ends have each of them.
        free = [p.position for p in battery.pins if p.signal not in LINK_SIGNALS[bus]]
        changed = draw(st.dictionaries(st.sampled_from(free), st.sampled_from(OTHERS), max_size=3))
        pins = tuple(PinSpec(p.position, changed.get(p.position, p.signal), p.label) for p in battery.pins)
        inverter = PortSpec("P", inverter_connector, "battery_link", (bus,), 8, pins=pins)
    return bus, battery, inverter, draw(st.sampled_from(["t568b", "t568a"]))


def pin(port: PortSpec, position) -> PinSpec:
    found = port.pin(position)
    assert found is not None, f"the cable lands on position {position}, which the port does not have"
    return found


@settings(max_examples=400, deadline=None)
@given(pair())
def test_a_derived_cable_never_joins_two_different_signals(case):
    bus, battery, inverter, colours = case
    cable = compute_cable_mapping(bus, battery, inverter, colours=colours)
    event("straight" if cable.standard else "custom")
    for conductor in cable.conductors:
        b, i = pin(battery, conductor.battery_position), pin(inverter, conductor.inverter_position)
        assert meaning(b.signal) == meaning(i.signal) == meaning(conductor.signal)
    if cable.standard:
        # A straight patch cable joins every position to the same position: nothing on it may clash.
        for position in range(1, 9):
            b, i = battery.pin(position), inverter.pin(position)
            if "must_be_empty" in (b.signal, i.signal):
                assert {b.signal, i.signal} <= {"must_be_empty", "nc"}
            elif b.signal not in IDLE and i.signal not in IDLE:
                assert meaning(b.signal) == meaning(i.signal), position
    else:
        # A custom cable: one conductor per pin at each end, and what is cut is not also used.
        battery_ends = [c.battery_position for c in cable.conductors]
        inverter_ends = [c.inverter_position for c in cable.conductors]
        assert len(battery_ends) == len(set(battery_ends))
        assert len(inverter_ends) == len(set(inverter_ends))
        for cut in cable.cut:
            used = battery_ends if cut.end == "battery" else inverter_ends
            assert cut.position not in used


@settings(max_examples=400, deadline=None)
@given(pair())
def test_a_derived_cable_never_leaves_a_needed_signal_unconnected(case):
    bus, battery, inverter, colours = case
    cable = compute_cable_mapping(bus, battery, inverter, colours=colours)
    joined = {conductor.signal for conductor in cable.conductors}
    assert set(LINK_SIGNALS[bus]) <= joined
    if cable.standard:
        for signal in LINK_SIGNALS[bus]:
            conductor = next(c for c in cable.conductors if c.signal == signal)
            assert conductor.battery_position == conductor.inverter_position
