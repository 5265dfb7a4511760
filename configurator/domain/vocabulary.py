"""Facts about connectors and signals that the catalog checks and the engine share. Plain Python, no Django."""

__all__ = ["CONNECTOR_POSITIONS", "GROUND_SIGNALS", "POLARITY_UNSTATED"]

# Positions a modular (RJ-type) connector always has; terminal blocks and "other" connectors state their own
# count, or leave it empty when the source does not give it.
CONNECTOR_POSITIONS = {"rj45": 8, "rj12": 6, "rj11": 6, "rj9": 4}

# Signals that all mean "a ground": a cable may join any two of them.
GROUND_SIGNALS = frozenset({"gnd", "can_gnd", "rs485_gnd"})

# How a catalog pin note begins when the source does not say which RS485 line is + and which is -.
POLARITY_UNSTATED = "Polarity not stated"
