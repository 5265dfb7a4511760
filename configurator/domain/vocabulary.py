"""Facts about connectors and signals that the catalog checks and the engine share. Plain Python, no Django."""

__all__ = [
    "BUS_NAMES",
    "CONNECTOR_NAMES",
    "CONNECTOR_POSITIONS",
    "GROUND_SIGNALS",
    "POLARITY_UNSTATED",
    "SIGNAL_NAMES",
]

# Positions a modular (RJ-type) connector always has; terminal blocks and "other" connectors state their own
# count, or leave it empty when the source does not give it.
CONNECTOR_POSITIONS = {"rj45": 8, "rj12": 6, "rj11": 6, "rj9": 4}

# Signals that all mean "a ground": a cable may join any two of them.
GROUND_SIGNALS = frozenset({"gnd", "can_gnd", "rs485_gnd"})

# How a catalog pin note begins when the source does not say which RS485 line is + and which is -.
POLARITY_UNSTATED = "Polarity not stated"

# How people write them: on screen, on the sheet, in the command's output.
BUS_NAMES = {"can": "CAN", "rs485": "RS485"}
CONNECTOR_NAMES = {
    "rj45": "RJ45",
    "rj12": "RJ12",
    "rj11": "RJ11",
    "rj9": "RJ9",
    "terminal_block": "terminal block",
    "other": "connector",
}
SIGNAL_NAMES = {
    "can_h": "CAN_H",
    "can_l": "CAN_L",
    "can_gnd": "CAN_GND",
    "gnd": "GND",
    "rs485_p": "RS485 +",
    "rs485_n": "RS485 -",
    "rs485_gnd": "RS485_GND",
    "rs232_tx": "RS232_TX",
    "rs232_rx": "RS232_RX",
    "enable_p": "Enable +",
    "enable_n": "Enable -",
    "vcc": "VCC",
    "di": "DI",
    "do": "DO",
    "nc": "NC",
    "must_be_empty": "must stay empty",
    "other": "other",
}
