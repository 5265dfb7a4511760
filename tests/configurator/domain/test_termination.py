"""Where the terminators go: every bus segment of the installation, each with its two physical ends, on ports of
that segment's bus; an end whose termination no source gives says "check" for that end only."""

from configurator.domain.findings import Code
from configurator.domain.termination import chained_port, plan_termination, terminated_packs
from configurator.domain.types import PortSpec

INVERTER = PortSpec("BMS", "rj45", "battery_link", ("can",), 8, termination="built_in")
MASTER = PortSpec("CAN", "rj45", "inverter_link", ("can",), 8, termination="switchable")
PARALLEL_RS485 = PortSpec("Link", "rj45", "parallel", ("rs485",), 8, termination="switchable")
PARALLEL_UNSTATED = PortSpec("Link port 0", "rj45", "parallel", (), 8)
PARALLEL_CAN = PortSpec("CAN out", "rj45", "parallel", ("can",), 8, termination="plug_in")
NAMES = {"battery": "Battery B", "inverter": "Inverter I"}


def ends(segment):
    return [(end.side, end.port, end.pack, end.action.code) for end in segment.ends]


def test_one_pack_is_one_segment_terminated_at_both_link_ports():
    plan = plan_termination("can", MASTER, INVERTER, 1, names=NAMES)
    (link,) = plan.segments
    assert (link.kind, link.bus) == ("link", "can")
    assert ends(link) == [
        ("inverter", "BMS", None, Code.TERM_BUILT_IN),
        ("battery", "CAN", None, Code.TERM_SWITCH_ON),
    ]
    assert [end.device for end in link.ends] == ["Inverter I", "Battery B"]


def test_a_daisy_chained_link_ends_at_the_last_packs_port_of_that_bus():
    plan = plan_termination("can", MASTER, INVERTER, 3, [PARALLEL_CAN], names=NAMES)
    (link,) = plan.segments
    assert ends(link)[1] == ("battery", "CAN out", 3, Code.TERM_PLUG_IN)
    assert terminated_packs(plan) == {3}


def test_packs_talking_over_another_bus_are_a_segment_of_their_own():
    plan = plan_termination("can", MASTER, INVERTER, 4, [PARALLEL_RS485], names=NAMES)
    link, packs = plan.segments
    assert ends(link)[1] == ("battery", "CAN", 1, Code.TERM_SWITCH_ON)  # the master's link port ends the link
    assert (packs.kind, packs.bus) == ("packs", "rs485")
    assert ends(packs) == [("battery", "Link", 1, Code.TERM_SWITCH_ON), ("battery", "Link", 4, Code.TERM_SWITCH_ON)]
    assert terminated_packs(plan) == {1, 4}


def test_a_parallel_port_of_an_unstated_bus_is_never_an_end():
    assert chained_port("can", [PARALLEL_UNSTATED]) is None
    plan = plan_termination("can", MASTER, INVERTER, 3, [PARALLEL_UNSTATED], names=NAMES)
    assert [segment.kind for segment in plan.segments] == ["link"]
    assert all(end.port != "Link port 0" for end in plan.segments[0].ends)


def test_an_undocumented_end_says_check_for_that_end_only():
    plan = plan_termination("rs485", PortSpec("485", "rj45", "inverter_link", ("rs485",), 8), INVERTER, 1)
    inverter, battery = plan.segments[0].ends
    assert (inverter.action.code, inverter.basis) == (Code.TERM_BUILT_IN, "documented")
    assert (battery.action.code, battery.basis) == (Code.TERM_CHECK, "unknown")


def test_through_an_adapter_its_other_side_is_a_second_segment_with_unknown_ends():
    adapter_port = PortSpec("Battery CAN terminal", "terminal_block", "battery_link", ("can",), None)
    plan = plan_termination(
        "can", MASTER, adapter_port, 1, names={**NAMES, "adapter": "Gateway G"}, inverter_side="adapter"
    )
    link, other = plan.segments
    assert [end.side for end in link.ends] == ["adapter", "battery"]
    assert other.kind == "adapter"
    assert [(end.side, end.device, end.basis) for end in other.ends] == [
        ("inverter", "Inverter I", "unknown"),
        ("adapter", "Gateway G", "unknown"),
    ]
    assert terminated_packs(plan) == {1}
