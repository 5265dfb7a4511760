"""Building a configuration: load the pair, turn the rows into domain values, run the engine."""

from __future__ import annotations

from configurator import selectors, specs
from configurator.domain import Configuration, ConfigurationError, Options, configure

__all__ = ["UnknownDevice", "configuration_build"]


class UnknownDevice(ConfigurationError):
    pass


def configuration_build(*, battery: str, inverter: str, options: Options | None = None) -> Configuration:
    """The configuration for a battery and an inverter given by slug. Raises UnknownDevice, ConfigurationError."""
    rows = selectors.pair_get(battery=battery, inverter=inverter)
    if rows.battery is None:
        raise UnknownDevice(f"No published battery '{battery}' in the catalog.")
    if rows.inverter is None:
        raise UnknownDevice(f"No published inverter '{inverter}' in the catalog.")
    adapters = {pk: specs.device_spec(device) for pk, device in rows.adapters.items()}
    pairings = tuple(specs.pairing_spec(p, adapters.get(p.adapter_id)) for p in rows.pairings)
    return configure(specs.device_spec(rows.battery), specs.device_spec(rows.inverter), pairings, options)
