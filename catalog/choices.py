"""Closed vocabularies of the catalog. Stored values are lowercase snake_case; labels are what people read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from configurator.domain import vocabulary

__all__ = [
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
    "Termination",
    "VoltageClass",
]


class DeviceKind(models.TextChoices):
    INVERTER = "inverter", _("Inverter")
    BATTERY = "battery", _("Battery")
    ADAPTER = "adapter", _("Adapter")


class VoltageClass(models.TextChoices):
    HV = "hv", _("High voltage")
    LV = "lv", _("Low voltage (48 V)")
    LV_HV = "lv_hv", _("Low or high voltage (LV alone, HV stacked through an HV box)")
    UNKNOWN = "unknown", _("Not stated")
    NOT_APPLICABLE = "n_a", _("Not applicable")


class Bus(models.TextChoices):
    CAN = "can", _("CAN")
    RS485 = "rs485", _("RS485")
    RS232 = "rs232", _("RS232")


class Connector(models.TextChoices):
    RJ45 = "rj45", _("RJ45 (8P8C)")
    RJ12 = "rj12", _("RJ12 (6P6C)")
    RJ11 = "rj11", _("RJ11 (6P4C)")
    RJ9 = "rj9", _("RJ9 (4P4C)")
    TERMINAL_BLOCK = "terminal_block", _("Terminal block")
    OTHER = "other", _("Other")


# Positions a modular (RJ-type) connector always has (one table for the catalog and the engine).
CONNECTOR_POSITIONS = vocabulary.CONNECTOR_POSITIONS


class PortRole(models.TextChoices):
    INVERTER_LINK = "inverter_link", _("Inverter link (battery side)")
    BATTERY_LINK = "battery_link", _("Battery link (inverter side)")
    PARALLEL = "parallel", _("Parallel / link between packs")
    DEBUG = "debug", _("Debug / PC")
    MONITORING = "monitoring", _("Monitoring")


class Pinout(models.TextChoices):
    COMPLETE = "complete", _("Every position known")
    PARTIAL = "partial", _("Only the listed positions are known")
    UNKNOWN = "unknown", _("Pin table missing in the source")


class Signal(models.TextChoices):
    CAN_H = "can_h", "CAN_H"
    CAN_L = "can_l", "CAN_L"
    CAN_GND = "can_gnd", "CAN_GND"
    GND = "gnd", "GND"
    RS485_P = "rs485_p", "RS485 + (non-inverting)"
    RS485_N = "rs485_n", "RS485 - (inverting)"
    RS485_GND = "rs485_gnd", "RS485_GND"
    RS232_TX = "rs232_tx", "RS232_TX"
    RS232_RX = "rs232_rx", "RS232_RX"
    ENABLE_P = "enable_p", _("Enable +")
    ENABLE_N = "enable_n", _("Enable -")
    VCC = "vcc", _("Supply output (VCC)")
    DI = "di", _("Digital input")
    DO = "do", _("Digital output")
    NC = "nc", _("Not connected (NC)")
    MUST_BE_EMPTY = "must_be_empty", _("Must stay empty")
    OTHER = "other", _("Other")


class Termination(models.TextChoices):
    BUILT_IN = "built_in", _("Built in")
    SWITCHABLE = "switchable", _("Switchable")
    PLUG_IN = "plug_in", _("Plug-in resistor")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class SelectionMethod(models.TextChoices):
    DIP = "dip", _("DIP switches")
    PC_TOOL = "pc_tool", _("PC tool field")
    LCD_MENU = "lcd_menu", _("LCD menu")
    AUTOMATIC = "automatic", _("Automatic")
    FIXED = "fixed", _("Fixed (only protocol)")


class DipFunction(models.TextChoices):
    ADDRESS_BIT = "address_bit", _("Address bit")
    PROTOCOL_BIT = "protocol_bit", _("Protocol bit")
    TERMINATION = "termination", _("Termination")
    BAUD = "baud", _("Baud rate")
    UNUSED = "unused", _("Unused")
    OTHER = "other", _("Other")


class DocumentedBy(models.TextChoices):
    BATTERY_MAKER = "battery_maker", _("Battery maker")
    INVERTER_MAKER = "inverter_maker", _("Inverter maker")
    INSTALLER_GUIDE = "installer_guide", _("Installer guide")


class SettingSide(models.TextChoices):
    BATTERY = "battery", _("Battery")
    INVERTER = "inverter", _("Inverter")
    ADAPTER = "adapter", _("Adapter")


class NoteKind(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    CONFLICT = "conflict", _("Conflict between sources")
