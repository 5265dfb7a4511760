"""Where the bus terminators go, and how to check them with a multimeter."""

from __future__ import annotations

from configurator.domain.result import Termination, TerminationStep
from configurator.domain.types import PortSpec

__all__ = ["plan_termination"]

CAN_CHECK = (
    "With the bus powered off, measure between CAN_H and CAN_L: about 60 ohm when both ends are terminated, "
    "about 120 ohm when only one is."
)
RS485_CHECK = "With the bus powered off, measure between RS485 + and -: about 60 ohm with both ends terminated."


def _step(end: str, where: str, port: PortSpec, far_pack: bool) -> TerminationStep:
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
    if far_pack:
        where = f"{where}, on the last pack of the stack"
    return TerminationStep(end, where, action.strip(), port.source)


def plan_termination(
    bus: str, battery: PortSpec, inverter: PortSpec, packs: int = 1, parallel: PortSpec | None = None
) -> Termination:
    """One step per end of the bus: the inverter, and the battery stack's far end."""
    battery_end = parallel if packs > 1 and parallel is not None else battery
    steps = (
        _step("inverter", f"inverter port '{inverter.name}'", inverter, far_pack=False),
        _step("battery", f"battery port '{battery_end.name}'", battery_end, far_pack=packs > 1),
    )
    return Termination(steps=steps, check=CAN_CHECK if bus == "can" else RS485_CHECK)
