"""What the engine has to say, as values: a ``Finding`` is a code with named parameters (and the source it rests
on, where there is one). The engine never writes sentences; ``configurator/messages.py`` turns findings into
words at the edge (page, sheet, command, API ``message``), one template per code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from configurator.domain.types import Source

__all__ = ["Code", "Finding", "Severity", "finding"]

Param = str | int | None | tuple


class Severity(StrEnum):
    INFO = "info"  # why the answer is what it is
    WARNING = "warning"  # something to check or do before trusting the link
    DANGER = "danger"  # a risk to equipment or people (voltage)


class Code(StrEnum):
    # The verdict and its evidence
    DOCUMENTED_BY = "documented_by"
    THROUGH_ADAPTER = "through_adapter"
    NOT_DOCUMENTED = "not_documented"
    VOLTAGE_CLASH = "voltage_clash"
    VOLTAGE_QUESTION = "voltage_question"
    VOLTAGE_FIRST = "voltage_first"
    LINK_PORT_UNKNOWN = "link_port_unknown"
    LINK_NOT_WORKED_OUT = "link_not_worked_out"
    NO_COMMON_BUS = "no_common_bus"
    PINS_MISSING = "pins_missing"
    PAIRING_NOTE = "pairing_note"
    CATALOG_NOTE = "catalog_note"
    SOURCES_DISAGREE = "sources_disagree"
    # Protocol
    PROTOCOL_DOCUMENTED = "protocol_documented"
    PROTOCOL_SHARED = "protocol_shared"
    PROTOCOL_BY_PREFERENCE = "protocol_by_preference"
    PROTOCOL_ASKED = "protocol_asked"
    PROTOCOL_CHOICE = "protocol_choice"
    PROTOCOL_NONE = "protocol_none"
    # Ports and channels
    PORT_ASKED = "port_asked"
    PORT_OF_SEVERAL = "port_of_several"
    PORT_BITRATE = "port_bitrate"
    CHANNEL_OF_SEVERAL = "channel_of_several"
    # Cable
    CABLE_UNKNOWN = "cable_unknown"
    SIGNAL_ON_SEVERAL = "signal_on_several"
    SIGNAL_MOVES = "signal_moves"
    NO_COMMON_GROUND = "no_common_ground"
    GROUNDS_LEFT_OPEN = "grounds_left_open"
    CRIMP_DIFFERS = "crimp_differs"
    STANDARD_DIFFERS = "standard_differs"
    POLARITY_NAMES_DIFFER = "polarity_names_differ"
    POLARITY_ASSUMED = "polarity_assumed"
    ENABLE_END_UNKNOWN = "enable_end_unknown"
    HAZARD_ENDS_DIFFER = "hazard_ends_differ"
    HAZARD_MUST_BE_EMPTY = "hazard_must_be_empty"
    HAZARD_JOIN = "hazard_join"
    HAZARD_BLIND = "hazard_blind"
    # Packs
    PACKS_NO_TABLE = "packs_no_table"
    PACKS_BANK_UNKNOWN = "packs_bank_unknown"
    PACKS_LAST_OWN = "packs_last_own"
    PACKS_PROTOCOL_UNKNOWN = "packs_protocol_unknown"
    PACKS_ADDRESS_UNKNOWN = "packs_address_unknown"
    PACKS_BAUD_UNKNOWN = "packs_baud_unknown"
    PACKS_NO_LIMIT = "packs_no_limit"
    PACK_BUS_UNKNOWN = "pack_bus_unknown"
    # Conditions on the answer
    FIRMWARE_REQUIRED = "firmware_required"
    LIMITATION = "limitation"
    # Settings
    SETTING_UNKNOWN = "setting_unknown"
    SETTING_PROTOCOL_UNKNOWN = "setting_protocol_unknown"
    SETTING_NOTHING = "setting_nothing"
    SETTING_NOT_STATED = "setting_not_stated"
    SETTING_DERIVED = "setting_derived"
    # Conductors to cut
    CUT_NOT_NEEDED = "cut_not_needed"
    CUT_NOT_IN_CRIMP = "cut_not_in_crimp"
    CUT_LEFT_OPEN = "cut_left_open"
    # Termination
    TERM_BUILT_IN = "term_built_in"
    TERM_SWITCH_ON = "term_switch_on"
    TERM_PLUG_IN = "term_plug_in"
    TERM_FIT_RESISTOR = "term_fit_resistor"
    TERM_CHECK = "term_check"
    # A sentence of a result saved before findings existed (schema version 1), kept as it was issued
    TEXT = "text"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str = Severity.INFO
    params: tuple[tuple[str, Param], ...] = ()
    source: Source | None = None

    @property
    def values(self) -> dict[str, Param]:
        return dict(self.params)


def _frozen(value):
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_frozen(item) for item in value)
    return value


def finding(code: Code, severity: Severity = Severity.INFO, source: Source | None = None, **params) -> Finding:
    """``finding(Code.PINS_MISSING, missing=("can_h on the battery",))``: parameters by name, sequences as tuples."""
    return Finding(str(code), str(severity), tuple(sorted((k, _frozen(v)) for k, v in params.items())), source)
