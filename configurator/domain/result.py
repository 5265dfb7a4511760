"""What the engine answers: one ``Configuration``. The wizard, the REST API and the PDF all render this value
(through ``configurator/presentation.py``); ``Configuration.to_dict()`` is its JSON form (documented in the
README, ``schema_version`` 2). Every part says how it is known (``Basis``) and every remark is a ``Finding``."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, fields, is_dataclass

from configurator.domain.errors import ConfigurationError
from configurator.domain.findings import Code, Finding, Severity, finding
from configurator.domain.types import Source
from configurator.domain.vocabulary import Basis, Verdict

__all__ = [
    "SCHEMA_VERSION",
    "BankSetting",
    "Basis",
    "Cable",
    "Conductor",
    "Configuration",
    "CutConductor",
    "DeviceRef",
    "FirmwareRequirement",
    "OptionChoices",
    "PackSetting",
    "ProtocolOption",
    "Segment",
    "SettingLine",
    "SwitchState",
    "Termination",
    "TerminationEnd",
    "Verdict",
]

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class DeviceRef:
    slug: str
    name: str
    kind: str
    voltage_class: str
    sold_as: str = ""  # the name the installer picked it by (an alias or a size of its range); empty: its own

    @property
    def title(self) -> str:
        """The name to print: the catalog's, with the one the installer picked it by."""
        return f"{self.name} (sold as {self.sold_as})" if self.sold_as else self.name


@dataclass(frozen=True)
class Conductor:
    """One conductor of the BMS cable: where it sits at each end (None: not known, to fill in on site), what it
    carries, its colour, and how it is known."""

    signal: str
    battery_position: int | str | None
    inverter_position: int | str | None
    battery_label: str = ""
    inverter_label: str = ""
    colour: str | None = None  # under the chosen standard, where one end is an RJ-type plug
    note: str = ""  # the source's words (a crimp row's or a pin's note)
    basis: str = Basis.DERIVED


@dataclass(frozen=True)
class CutConductor:
    """A conductor of a patch cable whose plug is kept at one end and that joins nothing at the other: cut it back
    and insulate it at ``cut_at`` (the end that is made up by hand)."""

    kept_plug: str  # battery | inverter: the end whose RJ plug stays as it is
    cut_at: str  # the other end
    position: int  # the conductor's position in the kept plug
    colour: str | None
    reason: Finding


STRAIGHT, CUSTOM, UNKNOWN_CABLE = "straight", "custom", "unknown"


@dataclass(frozen=True)
class Cable:
    kind: str  # straight (a patch cable, pin n to pin n) | custom (crimped per the table) | unknown
    basis: str  # documented (a source gives the cable) | derived (from both pin tables) | unknown
    colours: str  # t568b | t568a
    battery_connector: str
    inverter_connector: str
    conductors: tuple[Conductor, ...] = ()
    cut: tuple[CutConductor, ...] = ()
    hazards: tuple[Finding, ...] = ()  # why a straight cable would be wrong
    notes: tuple[Finding, ...] = ()

    @property
    def standard(self) -> bool:
        return self.kind == STRAIGHT

    @property
    def documented(self) -> bool:
        return self.basis == Basis.DOCUMENTED

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN_CABLE


# What a DIP switch is set to. ON and OFF come from the sources (or from the termination plan); LEAVE is a
# pattern's "x" (leave it as it is); UNKNOWN is a switch the sources do not give for this pair (e.g. the protocol
# switches when the inverter's protocol is not known): the installer sets it from the manual, never drawn OFF.
ON, OFF, LEAVE, UNKNOWN = "on", "off", "leave", "unknown"
PATTERN_MARKS = {ON: "1", OFF: "0", LEAVE: "x", UNKNOWN: "?"}


@dataclass(frozen=True)
class SwitchState:
    position: int
    function: str
    label: str = ""
    state: str = UNKNOWN  # on | off | leave | unknown

    @property
    def on(self) -> bool:
        return self.state == ON


@dataclass(frozen=True)
class BankSetting:
    """One DIP bank of one pack."""

    name: str
    switches: tuple[SwitchState, ...] = ()
    numbering_stated: bool = True  # false: which end is switch 1 is not known; the mirror reading may be the right one

    @property
    def pattern(self) -> str:
        """Switch 1 first: 1 ON, 0 OFF, x leave as is, ? not known (set from the manual)."""
        return "".join(PATTERN_MARKS[switch.state] for switch in self.switches)

    def positions(self, state: str) -> tuple[int, ...]:
        return tuple(switch.position for switch in self.switches if switch.state == state)

    def mirrored(self, position: int) -> int:
        """The switch's number counted from the other end of the bank."""
        return len(self.switches) + 1 - position

    @property
    def numbering_unsure(self) -> bool:
        """The source does not say which end is switch 1, and read from the other end the setting differs."""
        return not self.numbering_stated and self.pattern != self.pattern[::-1]


@dataclass(frozen=True)
class PackSetting:
    index: int  # 1 = the pack wired to the inverter
    role: str  # master | slave
    last: bool
    address: int | None
    banks: tuple[BankSetting, ...] = ()
    notes: tuple[Finding, ...] = ()

    @property
    def switches(self) -> tuple[SwitchState, ...]:
        return tuple(switch for bank in self.banks for switch in bank.switches)


@dataclass(frozen=True)
class TerminationEnd:
    """One physical end of a bus segment and what to do there."""

    side: str  # battery | inverter | adapter
    device: str  # the device's name
    port: str  # the port's name; empty where the catalog does not know it
    action: Finding
    basis: str  # documented (the port's termination is known) | unknown (check that end)
    pack: int | None = None  # on a stack: which pack's port (1 = master)
    source: Source | None = None


LINK_SEGMENT, ADAPTER_SEGMENT, PACK_SEGMENT = "link", "adapter", "packs"


@dataclass(frozen=True)
class Segment:
    """A stretch of bus with two physical ends, each terminated with 120 ohm."""

    kind: str  # link (the BMS cable's bus) | adapter (the adapter's other side) | packs (the packs' own bus)
    bus: str | None  # None: the sources do not state it
    ends: tuple[TerminationEnd, ...]


@dataclass(frozen=True)
class Termination:
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class SettingLine:
    side: str  # battery | inverter | adapter
    name: str
    value: str = ""
    menu_path: str = ""
    optional: bool = False
    note: str = ""
    source: Source | None = None
    basis: str = Basis.DOCUMENTED
    derivation: str = ""  # for a derived selection: the chain of facts it rests on (catalog text)
    chain: Finding | None = None  # derived for this pair: no source pairs the two, the other end speaks it too
    finding: Finding | None = None  # a line that says what is not known (or that nothing is to be set), in words
    fallback: bool = False  # a voltage-based setting for when the BMS link does not work, never the answer


@dataclass(frozen=True)
class FirmwareRequirement:
    """A firmware a source requires for this link on one side: check it on site before trusting the answer."""

    side: str  # battery | inverter
    device: str  # the device's name
    condition: str  # e.g. ">= 2.1", "not 3.0-3.2"
    required_by: str  # pairing (the documented pairing) | protocol (the device's selection of the protocol)
    source: Source | None = None


@dataclass(frozen=True)
class ProtocolOption:
    slug: str
    name: str


@dataclass(frozen=True)
class OptionChoices:
    """What an installer may choose for one pair: the buses it can talk over, the protocols both sides speak on
    each bus, the ports each side offers on each bus, and how many packs to stack."""

    buses: tuple[str, ...]
    max_packs: int
    pack_limit_documented: bool  # false: no source gives a limit and max_packs is only the request bound
    protocols: tuple[tuple[str, tuple[ProtocolOption, ...]], ...] = ()  # (bus, options)
    battery_ports: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (bus, port names)
    inverter_ports: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Configuration:
    battery: DeviceRef
    inverter: DeviceRef
    adapter: DeviceRef | None
    verdict: str
    reasons: tuple[Finding, ...]
    bus: str | None = None
    protocol: str | None = None  # the protocol's name
    protocol_slug: str | None = None
    bitrate: int | None = None
    protocol_basis: str = Basis.UNKNOWN
    protocol_choices: tuple[ProtocolOption, ...] = ()  # several shared, none preferred: the installer picks
    battery_port: str | None = None
    inverter_port: str | None = None
    cable: Cable | None = None
    packs: tuple[PackSetting, ...] = ()
    termination: Termination | None = None
    battery_settings: tuple[SettingLine, ...] = ()
    inverter_settings: tuple[SettingLine, ...] = ()
    adapter_settings: tuple[SettingLine, ...] = ()
    warnings: tuple[Finding, ...] = ()
    sources: tuple[Source, ...] = ()
    pairing: str | None = None  # the documented pairing's slug
    firmware: tuple[FirmwareRequirement, ...] = ()  # conditions on the answer: the installer checks them on site

    def to_dict(self) -> dict:
        """The JSON form (computed once per result: a result is an immutable value; do not change the dict)."""
        memo = self.__dict__
        if "_json" not in memo:
            memo["_json"] = {"schema_version": SCHEMA_VERSION, **_plain(self)}
        return memo["_json"]

    @classmethod
    def from_dict(cls, data: dict) -> Configuration:
        """The result back from its JSON form (a saved configuration's snapshot). Derived keys are ignored; a
        result saved under schema version 1 is read as it was issued (its sentences become TEXT findings)."""
        version = data.get("schema_version")
        if version == 1:
            data = upgrade_v1(data)
        elif version != SCHEMA_VERSION:
            raise ConfigurationError(f"Cannot read a result of schema version {version!r} (this is {SCHEMA_VERSION}).")
        return _revive(cls, data)


def _plain(value):
    """A result as JSON values: findings' parameters as objects, packs' and banks' patterns added."""
    if isinstance(value, Finding):
        return {
            "code": value.code,
            "severity": value.severity,
            "params": {key: _plain(param) for key, param in value.params},
            "source": _plain(value.source),
        }
    if is_dataclass(value):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, BankSetting):
            data["pattern"] = value.pattern
        return data
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _revive(hint, value):
    """``value`` (from JSON) as the type ``hint`` names: dataclasses, tuples of them, optional values, scalars."""
    if value is None:
        return None
    if hint is Finding:
        params = tuple(sorted((key, _tuples(param)) for key, param in value.get("params", {}).items()))
        return Finding(
            value["code"], value.get("severity", Severity.INFO), params, _revive(Source, value.get("source"))
        )
    if is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: _revive(hints[f.name], value[f.name]) for f in fields(hint) if f.name in value})
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item, *_rest) = typing.get_args(hint)
        return tuple(_revive(item, element) for element in value)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            if is_dataclass(option):
                return _revive(option, value)
    return value


def finding_to_dict(item: Finding) -> dict:
    """A finding as JSON values (finding_from_dict reads it back)."""
    return _plain(item)


def finding_from_dict(data: dict) -> Finding:
    """A finding back from its JSON form."""
    return _revive(Finding, data)


def _tuples(value):
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def _text(sentence: str, severity: str = Severity.INFO) -> dict:
    return _plain(finding(Code.TEXT, severity, text=sentence))


def upgrade_v1(data: dict) -> dict:
    """A schema-1 snapshot in the schema-2 shape, its sentences kept word for word as TEXT findings."""
    data = {**data, "schema_version": SCHEMA_VERSION}
    data["reasons"] = [_text(reason) for reason in data.get("reasons", [])]
    data["warnings"] = [_text(warning, Severity.WARNING) for warning in data.get("warnings", [])]
    data["protocol_basis"] = Basis.DERIVED if data.get("protocol") else Basis.UNKNOWN
    if cable := data.get("cable"):
        other = {"battery": "inverter", "inverter": "battery"}
        data["cable"] = {
            **cable,
            "kind": STRAIGHT if cable.get("standard") else CUSTOM,
            "basis": Basis.DOCUMENTED if cable.get("documented") else Basis.DERIVED,
            "conductors": [
                {**c, "basis": Basis.DOCUMENTED if cable.get("documented") else Basis.DERIVED}
                for c in cable.get("conductors", [])
            ],
            "cut": [
                {
                    "kept_plug": cut["end"],
                    "cut_at": other.get(cut["end"], cut["end"]),
                    "position": cut["position"],
                    "colour": cut.get("colour"),
                    "reason": _text(cut.get("reason", "")),
                }
                for cut in cable.get("cut", [])
            ],
            "hazards": [_text(h) for h in cable.get("hazards", [])],
            "notes": [_text(n) for n in cable.get("notes", [])],
        }
    packs = []
    for pack in data.get("packs", []):
        switches = [
            {
                "position": s["position"],
                "function": s.get("function", ""),
                "label": s.get("label", ""),
                "state": s.get("state") or ("on" if s.get("on") else "off"),
            }
            for s in pack.get("switches", [])
        ]
        packs.append(
            {
                **{k: pack[k] for k in ("index", "role", "last", "address") if k in pack},
                "banks": [{"name": "DIP", "switches": switches}] if switches else [],
                "notes": [_text(pack["note"])] if pack.get("note") else [],
            }
        )
    data["packs"] = packs
    if termination := data.get("termination"):
        ends = [
            {
                "side": step["end"],
                "device": "",
                "port": "",
                "action": _text(f"{step['where']}: {step['action']}"),
                "basis": Basis.DOCUMENTED,
                "source": step.get("source"),
            }
            for step in termination.get("steps", [])
        ]
        data["termination"] = {"segments": [{"kind": LINK_SEGMENT, "bus": data.get("bus"), "ends": ends}]}
    for key in ("battery_settings", "inverter_settings", "adapter_settings"):
        data[key] = [{**line, "basis": Basis.DOCUMENTED} for line in data.get(key, [])]
    return data
