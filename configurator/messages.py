"""Findings into words: one template per code, parameters by name. The only place the engine's findings become
sentences (the page, the sheet, the command and the API's ``message`` all come through ``message()``)."""

from __future__ import annotations

from configurator.domain.findings import Code, Finding
from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, SIGNAL_NAMES

__all__ = ["MESSAGES", "message"]

DOCUMENTED_BY = {
    "battery_maker": "the battery maker",
    "inverter_maker": "the inverter maker",
    "installer_guide": "an installer guide",
}
VOLTAGE_WORDS = {
    "hv": "a high-voltage (HV) device",
    "lv": "a low-voltage (48 V) device",
    "lv_hv": "low voltage alone and high voltage only when stacked through its HV box",
    "unknown": "of a voltage class the catalog does not know",
    "n_a": "of no stated voltage class",
}
JOIN_KINDS = {
    "supply": "a supply or enable line",
    "ground_signal": "a ground and a signal",
    "same_outputs": "two outputs of the same kind",
    "different": "two different signals",
}

MESSAGES: dict[str, str] = {
    Code.DOCUMENTED_BY: "Documented by {by}: {document}, section '{section}'.",
    Code.THROUGH_ADAPTER: "The link runs through the {adapter}.",
    Code.NOT_DOCUMENTED: "No source documents this pair: the answer is derived from the two devices' own data.",
    Code.VOLTAGE_CLASH: "{battery} is a {battery_class} battery and {inverter} a {inverter_class} inverter.",
    Code.VOLTAGE_QUESTION: (
        "Voltage first: {hv} is a high-voltage (HV) device, hundreds of volts DC; {other} is {other_class}. Confirm "
        "from both manuals that the inverter's battery input takes this battery's voltage before connecting anything."
    ),
    Code.VOLTAGE_FIRST: "The voltage classes need checking first (see the warnings).",
    Code.LINK_NOT_WORKED_OUT: "No source documents this pair, and the link cannot be worked out.",
    Code.LINK_PORT_UNKNOWN: (
        "The catalog does not know {device}'s BMS link port (no port, or its bus is not in the source): read its "
        "manual for the port, its bus and its pins."
    ),
    Code.NO_COMMON_BUS: "No common {bus}bus: {battery} offers {battery_buses}; {inverter} offers {inverter_buses}.",
    Code.PINS_MISSING: "Pins not in the catalog: {missing}.",
    Code.PAIRING_NOTE: "{text}",
    Code.CATALOG_NOTE: "{text}",
    Code.SOURCES_DISAGREE: "Sources disagree: {text}",
    Code.PROTOCOL_DOCUMENTED: "The source names the protocol: {protocol}.",
    Code.PROTOCOL_SHARED: "Both speak {protocol} over {bus} (derived: no source names it for this pair).",
    Code.PROTOCOL_BY_PREFERENCE: (
        "Both speak several protocols; {protocol} is the one {device}'s source prefers (derived)."
    ),
    Code.PROTOCOL_ASKED: "{protocol}, as asked (both sides speak it).",
    Code.PROTOCOL_CHOICE: (
        "Both speak {protocols} over {bus} and no source says which to prefer: choose the protocol (the protocol "
        "switches and settings follow from it)."
    ),
    Code.PROTOCOL_NONE: "Both have a {bus} port, but the catalog finds no protocol both speak.",
    Code.PORT_ASKED: "{device}: port '{port}', as asked.",
    Code.PORT_OF_SEVERAL: (
        "{device} has several ports for this link ({ports}) and no source says which: '{chosen}' is used (the "
        "first the maker lists); choose another port if the site is wired differently."
    ),
    Code.PORT_BITRATE: "{device}'s port '{port}' runs at {bitrates} only, not the protocol's {bitrate}: not used.",
    Code.CHANNEL_OF_SEVERAL: (
        "The {side}'s port '{port}' carries this bus on channels {channels}; the cable uses channel {chosen}. "
        "Check the manual for which channel faces the {other_side}."
    ),
    Code.CABLE_UNKNOWN: (
        "The cable cannot be worked out from the catalog: the pins left empty below are not in the sources. Take "
        "them from the makers' manuals ({battery_port} on the battery side, {inverter_port} on the inverter side) "
        "and join {bus_pairs}."
    ),
    Code.SIGNAL_ON_SEVERAL: "The {side} has {signal} on {positions}; the cable uses {chosen}.",
    Code.SIGNAL_MOVES: "{signal} is on {battery} at the battery and {inverter} at the inverter.",
    Code.NO_COMMON_GROUND: "No common ground: the {side}'s port lists no ground pin. The link works without one.",
    Code.GROUNDS_LEFT_OPEN: (
        "A straight cable leaves the grounds unconnected (battery {battery}, inverter {inverter}); that is fine "
        "for the link."
    ),
    Code.CRIMP_DIFFERS: "The pin tables alone would give {joins}; the documented crimp is used.",
    Code.STANDARD_DIFFERS: "The pin tables alone suggest {suggests}; the source's choice is used.",
    Code.POLARITY_NAMES_DIFFER: (
        "Polarity: the battery calls {signal} '{battery}', the inverter '{inverter}'; they are joined by meaning "
        "(+ to +, - to -), not by letter."
    ),
    Code.POLARITY_ASSUMED: (
        "Not stated by the maker of the {sides} (port {ports}): which RS485 line is + and which is -; A is read as "
        "+. If the link stays silent, swap the two RS485 conductors."
    ),
    Code.ENABLE_END_UNKNOWN: (
        "{needs} needs its enable line ({signals} on pins {positions}) joined to {other}, and the catalog does not "
        "know where {other} provides it: find the enable (or dry-contact) terminals in its manual before "
        "commissioning. Without it the battery does not wake."
    ),
    Code.HAZARD_ENDS_DIFFER: "The ends differ ({battery} at the battery, {inverter} at the inverter).",
    Code.HAZARD_MUST_BE_EMPTY: "Pin {position} must stay empty on the {side} ({label}); on the other end it {other}.",
    Code.HAZARD_JOIN: "Pin {position} would join {kind}: battery {battery} with inverter {inverter}.",
    Code.HAZARD_BLIND: "Pins {positions} not documented on the {side}: a straight cable would join them blind.",
    Code.PACKS_NO_TABLE: "The catalog has no DIP switch table for this battery.",
    Code.PACKS_BANK_UNKNOWN: (
        "The sources do not give every switch of bank '{bank}' (? below): set them per the manual. {note}"
    ),
    Code.PACKS_LAST_OWN: "The last pack gets its own setting of bank '{bank}'.",
    Code.PACKS_PROTOCOL_UNKNOWN: (
        "Protocol switches (?): not known for this inverter; set them per the battery's manual."
    ),
    Code.PACKS_ADDRESS_UNKNOWN: (
        "The pack address cannot be set from the catalog: the address switches of bank '{bank}' are not in the "
        "sources. Set it per the manual."
    ),
    Code.PACKS_BAUD_UNKNOWN: "Baud rate switches (?): set them per the manual for the protocol's bit rate.",
    Code.PACKS_NO_LIMIT: (
        "The sources give no maximum number of packs in parallel for this battery; check its manual before "
        "stacking {packs}."
    ),
    Code.PACK_BUS_UNKNOWN: (
        "The packs talk among themselves through {ports}, over a bus the sources do not state: terminate and wire "
        "it as the battery's manual says (it is not the inverter link)."
    ),
    Code.FIRMWARE_REQUIRED: (
        "Firmware: {device} needs {condition} ({required_by}). Read the version on site before trusting this "
        "answer; with another firmware the link may not work."
    ),
    Code.LIMITATION: "Limitation: {text}",
    Code.SETTING_UNKNOWN: (
        "Not known: set {device} to {verb} {protocol} per its manual{menu}; the sources give no setting for it."
    ),
    Code.SETTING_PROTOCOL_UNKNOWN: (
        "Not known: the protocol of this pair is not settled (see the reasons), so neither is the setting of "
        "{device}; set it per the manual once the protocol is known."
    ),
    Code.SETTING_NOTHING: "Nothing to set on {device} for {protocol}: {how}.",
    Code.SETTING_NOT_STATED: (
        "Not known: the sources say {device} speaks {protocol} but not what to set on it; set it to {verb} "
        "{protocol} per its manual{menu}."
    ),
    Code.SETTING_DERIVED: (
        "Derived for this pair: {paired}; {other} speaks {protocol} too ({other_source}{other_derivation})."
    ),
    Code.CUT_NOT_NEEDED: "not needed by the link",
    Code.CUT_NOT_IN_CRIMP: "not in the documented crimp",
    Code.CUT_LEFT_OPEN: "{signal} is left unconnected by the source",
    Code.TERM_BUILT_IN: "Built in: nothing to do. {note}",
    Code.TERM_SWITCH_ON: "Switch the terminator on. {note}",
    Code.TERM_PLUG_IN: "Plug the 120 Ω resistor into the free port. {note}",
    Code.TERM_FIT_RESISTOR: "No terminator: fit a 120 Ω resistor across the two bus lines. {note}",
    Code.TERM_CHECK: "Not documented: check the maker's manual; this end needs 120 Ω. {note}",
    Code.TEXT: "{text}",
}


def _words(name: str, value) -> str:
    """A parameter as words: codes to names, sequences as lists."""
    if value is None:
        return "not documented" if name == "other" else ""
    if name == "sides":
        return " and the ".join(value)
    if name == "ports":
        return ", ".join(f"'{port}'" for port in value)
    if isinstance(value, tuple):
        if name == "missing":
            return "; ".join(f"{SIGNAL_NAMES.get(s, s)} on the {side}'s port '{port}'" for s, side, port in value)
        if name in ("battery_buses", "inverter_buses"):
            return ", ".join(BUS_NAMES.get(v, v) for v in value) or "no documented link port"
        return ", ".join(_words(name, item) for item in value)
    if name == "bus":
        return BUS_NAMES.get(value, value)
    if name in ("signal", "signals"):
        return SIGNAL_NAMES.get(value, value)
    if name in ("battery", "inverter") and value in CONNECTOR_NAMES:
        return CONNECTOR_NAMES[value]
    if name == "by":
        return DOCUMENTED_BY.get(value, value)
    if name.endswith("_class") or name == "other_class":
        return VOLTAGE_WORDS.get(value, value) if name == "other_class" else value.upper()
    if name == "kind":
        return JOIN_KINDS.get(value, value)
    if name == "suggests":
        return "a straight cable would do" if value == "straight" else "a custom cable is needed"
    if name == "required_by":
        return {"pairing": "the documented pairing", "protocol": "its selection of this protocol"}.get(value, value)
    if name == "paired":
        return "the pairing's source does not name the protocol" if value else "no source pairs these two devices"
    if name == "other_derivation":
        return f"; derived: {value}" if value else ""
    if name == "menu":
        return f" ({value})" if value else ""
    if name == "how":
        return {
            "fixed": "it speaks this protocol as shipped (its source names no setting for it)",
            "automatic": "it detects the protocol by itself",
        }.get(value, value)
    if name == "bitrate":
        return f"{value // 1000} kbit/s" if value % 1000 == 0 else f"{value} bit/s"
    return str(value)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return ""


def message(item: Finding) -> str:
    """The finding as a sentence."""
    values = _Params({name: _words(name, value) for name, value in item.params})
    if item.code == Code.NO_COMMON_BUS and values.get("bus"):
        values["bus"] += " "
    if item.code == Code.CABLE_UNKNOWN:
        values["bus_pairs"] = (
            "RS485 + to +, - to -" if dict(item.params).get("bus") == "rs485" else "CAN_H to CAN_H, CAN_L to CAN_L"
        )
    if item.code == Code.CHANNEL_OF_SEVERAL:
        values["other_side"] = "inverter" if dict(item.params).get("side") == "battery" else "battery"
    if item.code == Code.HAZARD_BLIND and len(dict(item.params).get("positions", ())) == 1:
        return (
            f"Pin {values['positions']} not documented on the {values['side']}: a straight cable would join it blind."
        )
    if item.code == Code.HAZARD_MUST_BE_EMPTY:
        other = dict(item.params).get("other")
        values["other"] = "is not documented" if other is None else f"is {other}"
        values["label"] = values["label"] or "NULL"
    template = MESSAGES.get(item.code, "{text}")
    return " ".join(template.format_map(values).split())
