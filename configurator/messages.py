"""Findings into words: one template per code (or per code and the parameter its grammar turns on), parameters by
name, through the message catalogs (locale/<language>/LC_MESSAGES/django.po). The only place the engine's findings
become sentences: the page, the sheet, the command and the API's ``message`` all come through ``message()``, in
the language active when it is called (django.utils.translation.override).

Sentences are never built from translated fragments: where a sentence's words change with a parameter (which
side, which maker, one pin or several), each value gets its own whole template, so a translator writes "auf der
Batterieseite" and "am Wechselrichter" as German says them."""

from __future__ import annotations

from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from configurator.domain.findings import Code, Finding
from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, SIGNAL_NAMES

__all__ = [
    "CATALOG_LANGUAGE",
    "ERRORS",
    "MESSAGES",
    "VARIANT_OF",
    "colour_text",
    "connector_name",
    "device_title",
    "error_message",
    "message",
    "quote_language",
    "quoted_note",
    "reader_language",
    "signal_name",
    "sold_as",
]

VOLTAGE_WORDS = {
    "hv": _("a high-voltage (HV) device"),
    "lv": _("a low-voltage (48 V) device"),
    "lv_hv": _("low voltage alone and high voltage only when stacked through its HV box"),
    "unknown": _("of a voltage class the catalog does not know"),
    "n_a": _("of no stated voltage class"),
}
JOIN_KINDS = {
    "supply": _("a supply or enable line"),
    "ground_signal": _("a ground and a signal"),
    "same_outputs": _("two outputs of the same kind"),
    "different": _("two different signals"),
}
REQUIRED_BY = {"pairing": _("the documented pairing"), "protocol": _("its selection of this protocol")}
NOTHING_TO_SET = {
    "fixed": _("it speaks this protocol as shipped (its source names no setting for it)"),
    "automatic": _("it detects the protocol by itself"),
}
# Signals whose printed name has words in it (the others are codes: CAN_H, GND, RS485_A).
SIGNAL_WORDS = {
    "enable_p": pgettext_lazy("signal", "Enable +"),
    "enable_n": pgettext_lazy("signal", "Enable -"),
    "must_be_empty": pgettext_lazy("signal", "must stay empty"),
    "other": pgettext_lazy("signal", "other"),
}
# The conductor colours of a T568A/T568B patch cable, as locale/glossary.yaml words them ("white/orange": white
# with an orange stripe).
COLOUR_WORDS = {
    "white": pgettext_lazy("conductor colour", "white"),
    "orange": pgettext_lazy("conductor colour", "orange"),
    "green": pgettext_lazy("conductor colour", "green"),
    "blue": pgettext_lazy("conductor colour", "blue"),
    "brown": pgettext_lazy("conductor colour", "brown"),
}
CONNECTOR_WORDS = {"terminal_block": _("terminal block"), "other": _("connector")}

# A code whose template is a dict is chosen by the value this gives (the others: one template).
VARIANT_OF = {
    Code.DOCUMENTED_BY: lambda p: p.get("by"),
    Code.NO_COMMON_BUS: lambda p: "named" if p.get("bus") else "any",
    Code.CHANNEL_OF_SEVERAL: lambda p: p.get("side"),
    Code.CABLE_UNKNOWN: lambda p: "rs485" if p.get("bus") == "rs485" else "can",
    Code.SIGNAL_ON_SEVERAL: lambda p: p.get("side"),
    Code.NO_COMMON_GROUND: lambda p: p.get("side"),
    Code.POLARITY_ASSUMED: lambda p: "+".join(p.get("sides") or ()),
    Code.HAZARD_MUST_BE_EMPTY: lambda p: f"{p.get('side')}/{'unknown' if p.get('other') is None else 'known'}",
    Code.HAZARD_BLIND: lambda p: f"{p.get('side')}/{'one' if len(p.get('positions') or ()) == 1 else 'several'}",
    Code.SETTING_UNKNOWN: lambda p: p.get("verb"),
    Code.SETTING_NOT_STATED: lambda p: p.get("verb"),
    Code.SETTING_DERIVED: lambda p: "paired" if p.get("paired") else "unpaired",
    Code.STANDARD_DIFFERS: lambda p: "straight" if p.get("suggests") == "straight" else "custom",
}

MESSAGES: dict[str, object] = {
    Code.DOCUMENTED_BY: {
        "battery_maker": _("Documented by the battery maker: {document}, section '{section}'."),
        "inverter_maker": _("Documented by the inverter maker: {document}, section '{section}'."),
        "installer_guide": _("Documented by an installer guide: {document}, section '{section}'."),
    },
    Code.THROUGH_ADAPTER: _("The link runs through the {adapter}."),
    Code.NOT_DOCUMENTED: _("No source documents this pair: the answer is derived from the two devices' own data."),
    Code.VOLTAGE_CLASH: _("{battery} is a {battery_class} battery and {inverter} a {inverter_class} inverter."),
    Code.VOLTAGE_QUESTION: _(
        "Voltage first: {hv} is a high-voltage (HV) device, hundreds of volts DC; {other} is {other_class}. Confirm "
        "from both manuals that the inverter's battery input takes this battery's voltage before connecting anything."
    ),
    Code.VOLTAGE_FIRST: _("The voltage classes need checking first (see the warnings)."),
    Code.LINK_NOT_WORKED_OUT: _("No source documents this pair, and the link cannot be worked out."),
    Code.LINK_PORT_UNKNOWN: _(
        "The catalog does not know {device}'s BMS link port (no port, or its bus is not in the source): read its "
        "manual for the port, its bus and its pins."
    ),
    Code.NO_COMMON_BUS: {
        "named": _("No common {bus} bus: {battery} offers {battery_buses}; {inverter} offers {inverter_buses}."),
        "any": _("No common bus: {battery} offers {battery_buses}; {inverter} offers {inverter_buses}."),
    },
    Code.PINS_MISSING: _("Pins not in the catalog: {missing}."),
    Code.PAIRING_NOTE: "{text}",
    Code.CATALOG_NOTE: "{text}",
    Code.SOURCES_DISAGREE: _("Sources disagree: {text}"),
    Code.PROTOCOL_DOCUMENTED: _("The source names the protocol: {protocol}."),
    Code.PROTOCOL_SHARED: _("Both speak {protocol} over {bus} (derived: no source names it for this pair)."),
    Code.PROTOCOL_BY_PREFERENCE: _(
        "Both speak several protocols; {protocol} is the one {device}'s source prefers (derived)."
    ),
    Code.PROTOCOL_ASKED: _("{protocol}, as asked (both sides speak it)."),
    Code.PROTOCOL_CHOICE: _(
        "Both speak {protocols} over {bus} and no source says which to prefer: choose the protocol (the protocol "
        "switches and settings follow from it)."
    ),
    Code.PROTOCOL_NONE: _("Both have a {bus} port, but the catalog finds no protocol both speak."),
    Code.PORT_ASKED: _("{device}: port '{port}', as asked."),
    Code.PORT_OF_SEVERAL: _(
        "{device} has several ports for this link ({ports}) and no source says which: '{chosen}' is used (the "
        "first the maker lists); choose another port if the site is wired differently."
    ),
    Code.PORT_BITRATE: _("{device}'s port '{port}' runs at {bitrates} only, not the protocol's {bitrate}: not used."),
    Code.CHANNEL_OF_SEVERAL: {
        "battery": _(
            "The battery's port '{port}' carries this bus on channels {channels}; the cable uses channel {chosen}. "
            "Check the manual for which channel faces the inverter."
        ),
        "inverter": _(
            "The inverter's port '{port}' carries this bus on channels {channels}; the cable uses channel {chosen}. "
            "Check the manual for which channel faces the battery."
        ),
    },
    Code.CABLE_UNKNOWN: {
        "can": _(
            "The cable cannot be worked out from the catalog: the pins left empty below are not in the sources. "
            "Take them from the makers' manuals ({battery_port} on the battery side, {inverter_port} on the "
            "inverter side) and join CAN_H to CAN_H, CAN_L to CAN_L."
        ),
        "rs485": _(
            "The cable cannot be worked out from the catalog: the pins left empty below are not in the sources. "
            "Take them from the makers' manuals ({battery_port} on the battery side, {inverter_port} on the "
            "inverter side) and join RS485 + to +, - to -."
        ),
    },
    Code.SIGNAL_ON_SEVERAL: {
        "battery": _("The battery has {signal} on {positions}; the cable uses {chosen}."),
        "inverter": _("The inverter has {signal} on {positions}; the cable uses {chosen}."),
    },
    Code.SIGNAL_MOVES: _("{signal} is on {battery} at the battery and {inverter} at the inverter."),
    Code.NO_COMMON_GROUND: {
        "battery": _("No common ground: the battery's port lists no ground pin. The link works without one."),
        "inverter": _("No common ground: the inverter's port lists no ground pin. The link works without one."),
    },
    Code.GROUNDS_LEFT_OPEN: _(
        "A straight cable leaves the grounds unconnected (battery {battery}, inverter {inverter}); that is fine "
        "for the link."
    ),
    Code.CRIMP_DIFFERS: _("The pin tables alone would give {joins}; the documented crimp is used."),
    Code.STANDARD_DIFFERS: {
        "straight": _("The pin tables alone suggest a straight cable would do; the source's choice is used."),
        "custom": _("The pin tables alone suggest a custom cable is needed; the source's choice is used."),
    },
    Code.POLARITY_NAMES_DIFFER: _(
        "Polarity: the battery calls {signal} '{battery}', the inverter '{inverter}'; they are joined by meaning "
        "(+ to +, - to -), not by letter."
    ),
    Code.POLARITY_ASSUMED: {
        "battery": _(
            "Not stated by the maker of the battery (port {ports}): which RS485 line is + and which is -; A is read "
            "as +. If the link stays silent, swap the two RS485 conductors."
        ),
        "inverter": _(
            "Not stated by the maker of the inverter (port {ports}): which RS485 line is + and which is -; A is "
            "read as +. If the link stays silent, swap the two RS485 conductors."
        ),
        "battery+inverter": _(
            "Not stated by the makers of the battery and the inverter (ports {ports}): which RS485 line is + and "
            "which is -; A is read as +. If the link stays silent, swap the two RS485 conductors."
        ),
    },
    Code.ENABLE_END_UNKNOWN: _(
        "{needs} needs its enable line ({signals} on pins {positions}) joined to {other}, and the catalog does not "
        "know where {other} provides it: find the enable (or dry-contact) terminals in its manual before "
        "commissioning. Without it the battery does not wake."
    ),
    Code.HAZARD_ENDS_DIFFER: _("The ends differ ({battery} at the battery, {inverter} at the inverter)."),
    Code.HAZARD_MUST_BE_EMPTY: {
        "battery/known": _("Pin {position} must stay empty on the battery ({label}); on the other end it is {other}."),
        "battery/unknown": _(
            "Pin {position} must stay empty on the battery ({label}); on the other end it is not documented."
        ),
        "inverter/known": _(
            "Pin {position} must stay empty on the inverter ({label}); on the other end it is {other}."
        ),
        "inverter/unknown": _(
            "Pin {position} must stay empty on the inverter ({label}); on the other end it is not documented."
        ),
    },
    Code.HAZARD_JOIN: _("Pin {position} would join {kind}: battery {battery} with inverter {inverter}."),
    Code.HAZARD_BLIND: {
        "battery/one": _("Pin {positions} not documented on the battery: a straight cable would join it blind."),
        "battery/several": _(
            "Pins {positions} not documented on the battery: a straight cable would join them blind."
        ),
        "inverter/one": _("Pin {positions} not documented on the inverter: a straight cable would join it blind."),
        "inverter/several": _(
            "Pins {positions} not documented on the inverter: a straight cable would join them blind."
        ),
    },
    Code.PACKS_NO_TABLE: _("The catalog has no DIP switch table for this battery."),
    Code.PACKS_BANK_UNKNOWN: _(
        "The sources do not give every switch of bank '{bank}' (? below): set them per the manual. {note}"
    ),
    Code.PACKS_LAST_OWN: _("The last pack gets its own setting of bank '{bank}'."),
    Code.PACKS_PROTOCOL_UNKNOWN: _(
        "Protocol switches (?): not known for this inverter; set them per the battery's manual."
    ),
    Code.PACKS_ADDRESS_UNKNOWN: _(
        "The pack address cannot be set from the catalog: the address switches of bank '{bank}' are not in the "
        "sources. Set it per the manual."
    ),
    Code.PACKS_BAUD_UNKNOWN: _("Baud rate switches (?): set them per the manual for the protocol's bit rate."),
    Code.PACKS_NO_LIMIT: _(
        "The sources give no maximum number of packs in parallel for this battery; check its manual before "
        "stacking {packs}."
    ),
    Code.PACK_BUS_UNKNOWN: _(
        "The packs talk among themselves through {ports}, over a bus the sources do not state: terminate and wire "
        "it as the battery's manual says (it is not the inverter link)."
    ),
    Code.FIRMWARE_REQUIRED: _(
        "Firmware: {device} needs {condition} ({required_by}). Read the version on site before trusting this "
        "answer; with another firmware the link may not work."
    ),
    Code.LIMITATION: _("Limitation: {text}"),
    Code.SETTING_UNKNOWN: {
        "speak": _(
            "Not known: set {device} to speak {protocol} per its manual{menu}; the sources give no setting for it."
        ),
        "accept": _(
            "Not known: set {device} to accept {protocol} per its manual{menu}; the sources give no setting for it."
        ),
        "pass on": _(
            "Not known: set {device} to pass on {protocol} per its manual{menu}; the sources give no setting for it."
        ),
    },
    Code.SETTING_PROTOCOL_UNKNOWN: _(
        "Not known: the protocol of this pair is not settled (see the reasons), so neither is the setting of "
        "{device}; set it per the manual once the protocol is known."
    ),
    Code.SETTING_NOTHING: _("Nothing to set on {device} for {protocol}: {how}."),
    Code.SETTING_NOT_STATED: {
        "speak": _(
            "Not known: the sources say {device} speaks {protocol} but not what to set on it; set it to speak "
            "{protocol} per its manual{menu}."
        ),
        "accept": _(
            "Not known: the sources say {device} speaks {protocol} but not what to set on it; set it to accept "
            "{protocol} per its manual{menu}."
        ),
        "pass on": _(
            "Not known: the sources say {device} speaks {protocol} but not what to set on it; set it to pass on "
            "{protocol} per its manual{menu}."
        ),
    },
    Code.SETTING_DERIVED: {
        "paired": _(
            "Derived for this pair: the pairing's source does not name the protocol; {other} speaks {protocol} too "
            "({other_source}{other_derivation})."
        ),
        "unpaired": _(
            "Derived for this pair: no source pairs these two devices; {other} speaks {protocol} too "
            "({other_source}{other_derivation})."
        ),
    },
    Code.CUT_NOT_NEEDED: _("not needed by the link"),
    Code.CUT_NOT_IN_CRIMP: _("not in the documented crimp"),
    Code.CUT_LEFT_OPEN: _("{signal} is left unconnected by the source"),
    Code.TERM_BUILT_IN: _("Built in: nothing to do. {note}"),
    Code.TERM_SWITCH_ON: _("Switch the terminator on. {note}"),
    Code.TERM_PLUG_IN: _("Plug the 120 Ω resistor into the free port. {note}"),
    Code.TERM_FIT_RESISTOR: _("No terminator: fit a 120 Ω resistor across the two bus lines. {note}"),
    Code.TERM_CHECK: _("Not documented: check the maker's manual; this end needs 120 Ω. {note}"),
    Code.TEXT: "{text}",
}


ERRORS = {  # the engine's refusals (configurator/domain/errors.py), by code
    "not_sold_as": _("{device} is not sold as '{asked}' in the catalog."),
    "unknown_bus": _("Unknown bus '{bus}': choose can, rs485 or best."),
    "unknown_colours": _("Unknown colour standard '{colours}': choose t568b or t568a."),
    "packs_out_of_range": _("Configure between 1 and {most} packs; {packs} were asked for."),
    "pick_pair": _("Pick a battery and an inverter."),
    "protocol_not_shared": _("This pair does not share the protocol '{asked}' on {bus}."),
    "no_such_port": _("{device} has no {bus} link port named '{asked}'."),
    "no_pack": _("A stack has at least one pack."),
    "packs_over_limit": _("This battery takes at most {limit} packs in parallel; {packs} were asked for."),
    "bus_not_offered": _("This pair does not talk over {bus}; it does over {offered}."),
    "bus_unknown": _("The catalog knows no {bus} link for this pair."),
    "unknown_battery": _("No published battery '{slug}' in the catalog."),
    "unknown_inverter": _("No published inverter '{slug}' in the catalog."),
    "unknown_battery_draft": _("No battery '{slug}' in the catalog."),
    "unknown_inverter_draft": _("No inverter '{slug}' in the catalog."),
    "unknown_battery_or_inverter_draft": _("No battery or inverter '{slug}' in the catalog."),
}


def error_message(error: Exception) -> str:
    """An engine's refusal in the reader's language (its English message where it carries no code)."""
    template = ERRORS.get(getattr(error, "code", ""))
    if template is None:
        return str(error)
    params = getattr(error, "params", {})
    values = {
        name: (" / ".join(map(_bus_name, value)) if name == "offered" else value) for name, value in params.items()
    }
    if "bus" in values:
        values["bus"] = _bus_name(values["bus"])
    return str(template).format_map(_Params(values))


def _bus_name(bus: str) -> str:
    return BUS_NAMES.get(bus, bus)


def signal_name(signal: str | None) -> str:
    """A signal as the sheet prints it: a code as it is (CAN_H), a worded one in the reader's language."""
    if signal in SIGNAL_WORDS:
        return str(SIGNAL_WORDS[signal])
    return SIGNAL_NAMES.get(signal, signal or "")


def colour_text(colour: str | None) -> str:
    """A conductor's colour in the reader's language: "white/orange" is "weiß/orange" in German."""
    if not colour:
        return ""
    return "/".join(str(COLOUR_WORDS.get(part, part)) for part in colour.split("/"))


def device_title(device) -> str:
    """A device of a result as the sheet names it: the catalog's name, with the one the installer picked it by."""
    if getattr(device, "sold_as", ""):
        return gettext("{name} (sold as {sold_as})").format(name=device.name, sold_as=device.sold_as)
    return device.name


def sold_as(name: str, sold: str) -> str:
    """A name with the one the installer picked it by, where there is one."""
    return gettext("{name} (sold as {sold_as})").format(name=name, sold_as=sold) if sold else name


def connector_name(value: str) -> str:
    """A connector as the sheet prints it: RJ45 as it is, a terminal block in the reader's language."""
    return str(CONNECTOR_WORDS[value]) if value in CONNECTOR_WORDS else CONNECTOR_NAMES.get(value, value)


def _missing(item: tuple) -> str:
    signal, side, port = item
    if side == "inverter":
        return gettext("{signal} on the inverter's port '{port}'").format(signal=signal_name(signal), port=port)
    return gettext("{signal} on the battery's port '{port}'").format(signal=signal_name(signal), port=port)


def _bitrate(value: int) -> str:
    return f"{value // 1000} kbit/s" if value % 1000 == 0 else f"{value} bit/s"


def _words(name: str, value) -> str:
    """A parameter as words in the active language: codes to names, sequences as lists."""
    if name == "label":  # a maker's label for a pin that must stay empty: NULL where the maker prints none
        return value or "NULL"
    if value is None:
        return ""
    if name == "ports":
        return ", ".join(f"'{port}'" for port in value)
    if isinstance(value, tuple):
        if name == "missing":
            return "; ".join(_missing(item) for item in value)
        if name in ("battery_buses", "inverter_buses"):
            return ", ".join(BUS_NAMES.get(v, v) for v in value) or gettext("no documented link port")
        return ", ".join(_words(name, item) for item in value)
    if name == "bus":
        return BUS_NAMES.get(value, value)
    if name in ("signal", "signals"):
        return signal_name(value)
    if name in ("battery", "inverter") and value in CONNECTOR_NAMES:
        return connector_name(value)
    if name == "other_class":
        return str(VOLTAGE_WORDS.get(value, value))
    if name.endswith("_class"):
        return value.upper()
    if name == "kind":
        return str(JOIN_KINDS.get(value, value))
    if name == "required_by":
        return str(REQUIRED_BY.get(value, value))
    if name == "other_source" and value == "the catalog":  # the engine's word for a fact with no source
        return gettext("the catalog")
    if name == "other_derivation":
        return gettext("; derived: {derivation}").format(derivation=value) if value else ""
    if name == "menu":
        return gettext(" ({menu})").format(menu=value) if value else ""
    if name == "how":
        return str(NOTHING_TO_SET.get(value, value))
    if name == "bitrate":
        return _bitrate(value)
    return str(value)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return ""


CATALOG_LANGUAGE = "en"  # the language the catalog's editors write their notes in
# Findings that quote a catalog editor's note (``text``, with its ``translations`` by language), and the sentences
# of results saved before findings existed (TEXT, English).
QUOTES_NOTE = frozenset({Code.CATALOG_NOTE, Code.PAIRING_NOTE, Code.SOURCES_DISAGREE, Code.TEXT})


def reader_language() -> str:
    """The active language without its region ("en-us" reads the catalog's English notes as they are)."""
    return (get_language() or CATALOG_LANGUAGE).split("-")[0]


def quoted_note(item: Finding) -> tuple[str, str] | None:
    """The note a finding quotes and the language it is printed in: the reader's, where an editor translated it,
    else the note's own words in CATALOG_LANGUAGE (None: the finding quotes no note)."""
    if item.code not in QUOTES_NOTE:
        return None
    values, reader = item.values, reader_language()
    translated = dict(values.get("translations") or ())
    if reader in translated:
        return translated[reader], reader
    return values.get("text") or "", CATALOG_LANGUAGE


def quote_language(item: Finding) -> str | None:
    """The language of the note a finding quotes, as ``message`` prints it now (None: it quotes none)."""
    quoted = quoted_note(item)
    return None if quoted is None else quoted[1]


def message(item: Finding) -> str:
    """The finding as a sentence, in the active language (a quoted note in its translation, where there is
    one)."""
    params = dict(item.params)
    if (quoted := quoted_note(item)) is not None:
        params["text"] = quoted[0]
        params.pop("translations", None)
    template = MESSAGES.get(item.code, "{text}")
    if isinstance(template, dict):
        template = template.get(VARIANT_OF[item.code](params)) or next(iter(template.values()))
    values = _Params({name: _words(name, value) for name, value in params.items()})
    return " ".join(str(template).format_map(values).split())
