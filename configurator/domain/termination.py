"""Where the bus terminators go, and how to check them with a multimeter.

The inverter link is one bus segment with two physical ends, each terminated with 120 ohm: the inverter's port,
and on the battery side either the master pack's link port, or, where the packs pass the link's own bus on
through a parallel port of that bus (a daisy chain), the last pack's parallel port. A parallel port of another
bus (or of a bus the source does not state) is the packs' own segment, never an end of the inverter link.
"""

from __future__ import annotations

from configurator.domain.result import Termination, TerminationStep
from configurator.domain.types import PortSpec

__all__ = ["chained_port", "plan_termination"]

CAN_CHECK = (
    "With the bus powered off, measure between CAN_H and CAN_L: about 60 ohm when both ends are terminated, "
    "about 120 ohm when only one is."
)
RS485_CHECK = "With the bus powered off, measure between RS485 + and -: about 60 ohm with both ends terminated."


def _step(end: str, where: str, port: PortSpec) -> TerminationStep:
    detail = f" {port.termination_note}" if port.termination_note else ""
    actions = {
        "built_in": "Built in: nothing to do." + detail,
        "switchable": "Switch the terminator on." + detail,
        "plug_in": "Plug the 120 ohm resistor into the free port." + detail,
        "none": "No terminator: fit a 120 ohm resistor across the two bus lines." + detail,
    }
    action = actions.get(
        port.termination,
        "Not documented: check the maker's manual; the bus needs 120 ohm at this end." + detail,
    )
    return TerminationStep(end, where, action.strip(), port.source)


def chained_port(bus: str, parallel_ports: tuple[PortSpec, ...] | list[PortSpec]) -> PortSpec | None:
    """The parallel port that carries the link's own bus on to the next pack, where the catalog has one."""
    return next((port for port in parallel_ports if bus in port.buses), None)


def plan_termination(
    bus: str, battery: PortSpec, inverter: PortSpec, packs: int = 1, parallel: PortSpec | None = None
) -> Termination:
    """One step per end of the inverter link: the inverter, and the battery side's far end (the master's link port,
    or the last pack's ``parallel`` port when that port carries the same bus on through the stack)."""
    chained = packs > 1 and parallel is not None and bus in parallel.buses
    if chained:
        battery_step = _step("battery", f"battery port '{parallel.name}', on the last pack of the stack", parallel)
    else:
        on = ", on the master pack (the one wired to the inverter)" if packs > 1 else ""
        battery_step = _step("battery", f"battery port '{battery.name}'{on}", battery)
    steps = (_step("inverter", f"inverter port '{inverter.name}'", inverter), battery_step)
    return Termination(steps=steps, check=CAN_CHECK if bus == "can" else RS485_CHECK)
