"""The engine's vocabularies, defined once: the catalog's choices (``catalog/choices.py``) are built from these
enums and their labels, and the engine's results use their values. Plain Python, no Django."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "BUS_NAMES",
    "CONNECTOR_NAMES",
    "CONNECTOR_POSITIONS",
    "GROUND_SIGNALS",
    "LABELS",
    "SIGNAL_NAMES",
    "Basis",
    "Bus",
    "Connector",
    "DeviceKind",
    "DipFunction",
    "DocumentedBy",
    "NoteKind",
    "Pinout",
    "PortRole",
    "SelectionMethod",
    "SettingSide",
    "Signal",
    "TerminationKind",
    "Verdict",
    "VoltageClass",
]


class DeviceKind(StrEnum):
    INVERTER = "inverter"
    BATTERY = "battery"
    ADAPTER = "adapter"


class VoltageClass(StrEnum):
    HV = "hv"
    LV = "lv"
    LV_HV = "lv_hv"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "n_a"


class Bus(StrEnum):
    CAN = "can"
    RS485 = "rs485"
    RS232 = "rs232"


class Connector(StrEnum):
    RJ45 = "rj45"
    RJ12 = "rj12"
    RJ11 = "rj11"
    RJ9 = "rj9"
    TERMINAL_BLOCK = "terminal_block"
    OTHER = "other"


class PortRole(StrEnum):
    INVERTER_LINK = "inverter_link"
    BATTERY_LINK = "battery_link"
    PARALLEL = "parallel"
    DEBUG = "debug"
    MONITORING = "monitoring"


class Pinout(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    UNKNOWN = "unknown"


class Signal(StrEnum):
    CAN_H = "can_h"
    CAN_L = "can_l"
    CAN_GND = "can_gnd"
    GND = "gnd"
    RS485_P = "rs485_p"
    RS485_N = "rs485_n"
    RS485_GND = "rs485_gnd"
    RS232_TX = "rs232_tx"
    RS232_RX = "rs232_rx"
    ENABLE_P = "enable_p"
    ENABLE_N = "enable_n"
    VCC = "vcc"
    DI = "di"
    DO = "do"
    NC = "nc"
    MUST_BE_EMPTY = "must_be_empty"
    OTHER = "other"


class TerminationKind(StrEnum):
    BUILT_IN = "built_in"
    SWITCHABLE = "switchable"
    PLUG_IN = "plug_in"
    NONE = "none"
    UNKNOWN = "unknown"


class SelectionMethod(StrEnum):
    DIP = "dip"
    PC_TOOL = "pc_tool"
    LCD_MENU = "lcd_menu"
    AUTOMATIC = "automatic"
    FIXED = "fixed"


class DipFunction(StrEnum):
    ADDRESS_BIT = "address_bit"
    PROTOCOL_BIT = "protocol_bit"
    TERMINATION = "termination"
    BAUD = "baud"
    UNUSED = "unused"
    OTHER = "other"


class DocumentedBy(StrEnum):
    BATTERY_MAKER = "battery_maker"
    INVERTER_MAKER = "inverter_maker"
    INSTALLER_GUIDE = "installer_guide"


class SettingSide(StrEnum):
    BATTERY = "battery"
    INVERTER = "inverter"
    ADAPTER = "adapter"


class NoteKind(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CONFLICT = "conflict"


class Verdict(StrEnum):
    DOCUMENTED = "documented"
    DERIVED = "derived"
    NEEDS_CHECK = "needs_check"
    INCOMPATIBLE = "incompatible"


class Basis(StrEnum):
    """How a part of an answer is known: a source gives it for this pair (or this device), the engine worked it
    out from documented facts, or the catalog does not know it."""

    DOCUMENTED = "documented"
    DERIVED = "derived"
    UNKNOWN = "unknown"


# What each value is called in the catalog's forms and the admin (catalog/choices.py builds its choices here),
# per vocabulary: values repeat across vocabularies ("unknown", "other", "battery"), so each has its own table.
LABELS: dict[type[StrEnum], dict[str, str]] = {
    DeviceKind: {
        DeviceKind.INVERTER: "Inverter",
        DeviceKind.BATTERY: "Battery",
        DeviceKind.ADAPTER: "Adapter",
    },
    VoltageClass: {
        VoltageClass.HV: "High voltage",
        VoltageClass.LV: "Low voltage (48 V)",
        VoltageClass.LV_HV: "Low or high voltage (LV alone, HV stacked through an HV box)",
        VoltageClass.UNKNOWN: "Not stated",
        VoltageClass.NOT_APPLICABLE: "Not applicable",
    },
    Bus: {
        Bus.CAN: "CAN",
        Bus.RS485: "RS485",
        Bus.RS232: "RS232",
    },
    Connector: {
        Connector.RJ45: "RJ45 (8P8C)",
        Connector.RJ12: "RJ12 (6P6C)",
        Connector.RJ11: "RJ11 (6P4C)",
        Connector.RJ9: "RJ9 (4P4C)",
        Connector.TERMINAL_BLOCK: "Terminal block",
        Connector.OTHER: "Other",
    },
    PortRole: {
        PortRole.INVERTER_LINK: "Inverter link (battery side)",
        PortRole.BATTERY_LINK: "Battery link (inverter side)",
        PortRole.PARALLEL: "Parallel / link between packs",
        PortRole.DEBUG: "Debug / PC",
        PortRole.MONITORING: "Monitoring",
    },
    Pinout: {
        Pinout.COMPLETE: "Every position known",
        Pinout.PARTIAL: "Only the listed positions are known",
        Pinout.UNKNOWN: "Pin table missing in the source",
    },
    Signal: {
        Signal.CAN_H: "CAN_H",
        Signal.CAN_L: "CAN_L",
        Signal.CAN_GND: "CAN_GND",
        Signal.GND: "GND",
        Signal.RS485_P: "RS485 + (non-inverting)",
        Signal.RS485_N: "RS485 - (inverting)",
        Signal.RS485_GND: "RS485_GND",
        Signal.RS232_TX: "RS232_TX",
        Signal.RS232_RX: "RS232_RX",
        Signal.ENABLE_P: "Enable +",
        Signal.ENABLE_N: "Enable -",
        Signal.VCC: "Supply output (VCC)",
        Signal.DI: "Digital input",
        Signal.DO: "Digital output",
        Signal.NC: "Not connected (NC)",
        Signal.MUST_BE_EMPTY: "Must stay empty",
        Signal.OTHER: "Other",
    },
    TerminationKind: {
        TerminationKind.BUILT_IN: "Built in",
        TerminationKind.SWITCHABLE: "Switchable",
        TerminationKind.PLUG_IN: "Plug-in resistor",
        TerminationKind.NONE: "None",
        TerminationKind.UNKNOWN: "Unknown",
    },
    SelectionMethod: {
        SelectionMethod.DIP: "DIP switches",
        SelectionMethod.PC_TOOL: "PC tool field",
        SelectionMethod.LCD_MENU: "LCD menu",
        SelectionMethod.AUTOMATIC: "Automatic",
        SelectionMethod.FIXED: "Fixed (only protocol)",
    },
    DipFunction: {
        DipFunction.ADDRESS_BIT: "Address bit",
        DipFunction.PROTOCOL_BIT: "Protocol bit",
        DipFunction.TERMINATION: "Termination",
        DipFunction.BAUD: "Baud rate",
        DipFunction.UNUSED: "Unused",
        DipFunction.OTHER: "Other",
    },
    DocumentedBy: {
        DocumentedBy.BATTERY_MAKER: "Battery maker",
        DocumentedBy.INVERTER_MAKER: "Inverter maker",
        DocumentedBy.INSTALLER_GUIDE: "Installer guide",
    },
    SettingSide: {
        SettingSide.BATTERY: "Battery",
        SettingSide.INVERTER: "Inverter",
        SettingSide.ADAPTER: "Adapter",
    },
    NoteKind: {
        NoteKind.INFO: "Information",
        NoteKind.WARNING: "Warning",
        NoteKind.CONFLICT: "Conflict between sources",
    },
}

# Positions a modular (RJ-type) connector always has; terminal blocks and "other" connectors state their own
# count, or leave it empty when the source does not give it.
CONNECTOR_POSITIONS = {Connector.RJ45: 8, Connector.RJ12: 6, Connector.RJ11: 6, Connector.RJ9: 4}

# Signals that all mean "a ground": a cable may join any two of them.
GROUND_SIGNALS = frozenset({Signal.GND, Signal.CAN_GND, Signal.RS485_GND})

# How people write them in a result: on screen, on the sheet, in the command's output.
BUS_NAMES = {Bus.CAN: "CAN", Bus.RS485: "RS485", Bus.RS232: "RS232"}
CONNECTOR_NAMES = {
    Connector.RJ45: "RJ45",
    Connector.RJ12: "RJ12",
    Connector.RJ11: "RJ11",
    Connector.RJ9: "RJ9",
    Connector.TERMINAL_BLOCK: "terminal block",
    Connector.OTHER: "connector",
}
SIGNAL_NAMES = {
    Signal.CAN_H: "CAN_H",
    Signal.CAN_L: "CAN_L",
    Signal.CAN_GND: "CAN_GND",
    Signal.GND: "GND",
    Signal.RS485_P: "RS485 +",
    Signal.RS485_N: "RS485 -",
    Signal.RS485_GND: "RS485_GND",
    Signal.RS232_TX: "RS232_TX",
    Signal.RS232_RX: "RS232_RX",
    Signal.ENABLE_P: "Enable +",
    Signal.ENABLE_N: "Enable -",
    Signal.VCC: "VCC",
    Signal.DI: "DI",
    Signal.DO: "DO",
    Signal.NC: "NC",
    Signal.MUST_BE_EMPTY: "must stay empty",
    Signal.OTHER: "other",
}
