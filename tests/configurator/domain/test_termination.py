"""Where the terminators of the inverter link go: its two physical ends, on ports of the link's bus."""

from configurator.domain.termination import chained_port, plan_termination
from configurator.domain.types import PortSpec

INVERTER = PortSpec("BMS", "rj45", "battery_link", ("can",), 8, termination="built_in")
MASTER = PortSpec("CAN", "rj45", "inverter_link", ("can",), 8, termination="switchable")
PARALLEL_RS485 = PortSpec("Link", "rj45", "parallel", ("rs485",), 8)
PARALLEL_UNSTATED = PortSpec("Link port 0", "rj45", "parallel", (), 8)
PARALLEL_CAN = PortSpec("CAN out", "rj45", "parallel", ("can",), 8, termination="plug_in")


def ends(termination):
    return [(step.end, step.where) for step in termination.steps]


def test_one_pack_is_terminated_at_both_link_ports():
    plan = plan_termination("can", MASTER, INVERTER, 1)
    assert ends(plan) == [("inverter", "inverter port 'BMS'"), ("battery", "battery port 'CAN'")]
    assert [step.action for step in plan.steps] == ["Built in: nothing to do.", "Switch the terminator on."]


def test_a_daisy_chained_link_ends_at_the_last_packs_port_of_that_bus():
    plan = plan_termination("can", MASTER, INVERTER, 3, PARALLEL_CAN)
    assert ends(plan)[1] == ("battery", "battery port 'CAN out', on the last pack of the stack")
    assert plan.steps[1].action == "Plug the 120 ohm resistor into the free port."


def test_a_parallel_port_of_another_or_unstated_bus_is_never_an_end_of_the_link():
    for parallel in (PARALLEL_RS485, PARALLEL_UNSTATED):
        assert chained_port("can", [parallel]) is None
        plan = plan_termination("can", MASTER, INVERTER, 3, chained_port("can", [parallel]))
        assert ends(plan)[1] == ("battery", "battery port 'CAN', on the master pack (the one wired to the inverter)")


def test_an_undocumented_end_says_to_check_the_manual_for_that_end_only():
    plan = plan_termination("rs485", PortSpec("485", "rj45", "inverter_link", ("rs485",), 8), INVERTER, 1)
    assert plan.steps[0].action == "Built in: nothing to do."
    assert plan.steps[1].action.startswith("Not documented: check the maker's manual")
    assert "RS485 + and -" in plan.check
