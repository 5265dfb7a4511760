"""What the engine answers: one ``Configuration``. The wizard, the REST API and the PDF all render this value;
``Configuration.to_dict()`` is its JSON form (documented in the README)."""

from __future__ import annotations

import types
import typing
from dataclasses import asdict, dataclass, fields, is_dataclass

from configurator.domain.errors import ConfigurationError
from configurator.domain.types import Source

__all__ = [
    "Cable",
    "Conductor",
    "Configuration",
    "CutConductor",
    "DeviceRef",
    "OptionChoices",
    "PackSetting",
    "SettingLine",
    "SwitchState",
    "Termination",
    "TerminationStep",
    "Verdict",
]

SCHEMA_VERSION = 1


class Verdict:
    DOCUMENTED = "documented"
    DERIVED = "derived"
    NEEDS_CHECK = "needs_check"
    INCOMPATIBLE = "incompatible"


@dataclass(frozen=True)
class DeviceRef:
    slug: str
    name: str
    kind: str
    voltage_class: str


@dataclass(frozen=True)
class Conductor:
    """One conductor of the BMS cable: where it sits at each end, what it carries, its colour."""

    signal: str
    battery_position: int | str | None
    inverter_position: int | str | None
    battery_label: str = ""
    inverter_label: str = ""
    colour: str | None = None  # under the chosen standard, where one end is an RJ-type plug
    note: str = ""


@dataclass(frozen=True)
class CutConductor:
    """A conductor of the kept plug that joins nothing: cut it back and insulate it."""

    end: str  # battery | inverter: the end whose plug stays standard
    position: int
    colour: str | None
    reason: str


@dataclass(frozen=True)
class Cable:
    standard: bool  # a straight patch cable
    documented: bool  # the conductors come from a source's crimp table
    colours: str  # t568b | t568a
    battery_connector: str
    inverter_connector: str
    conductors: tuple[Conductor, ...] = ()
    cut: tuple[CutConductor, ...] = ()
    hazards: tuple[str, ...] = ()  # why a straight cable would be wrong
    notes: tuple[str, ...] = ()


# What a DIP switch is set to. ON and OFF come from the sources; LEAVE is a pattern's "x" (leave it as it is);
# UNKNOWN is a switch the sources do not give for this pair (e.g. the protocol switches when the inverter's
# protocol is not known): the installer sets it from the manual, and it is never drawn as OFF.
ON, OFF, LEAVE, UNKNOWN = "on", "off", "leave", "unknown"
PATTERN_MARKS = {ON: "1", OFF: "0", LEAVE: "x", UNKNOWN: "?"}


@dataclass(frozen=True)
class SwitchState:
    position: int
    on: bool  # True only for ON
    function: str
    label: str = ""
    state: str = ""  # on | off | leave | unknown; empty in results saved before it existed (then: on or off)

    @property
    def setting(self) -> str:
        return self.state or (ON if self.on else OFF)


@dataclass(frozen=True)
class PackSetting:
    index: int  # 1 = the pack wired to the inverter
    role: str  # master | slave
    last: bool
    address: int | None
    switches: tuple[SwitchState, ...] = ()
    note: str = ""

    @property
    def pattern(self) -> str:
        """Switch 1 first: 1 ON, 0 OFF, x leave as is, ? not known (set from the manual)."""
        return "".join(PATTERN_MARKS[switch.setting] for switch in self.switches)

    def positions(self, setting: str) -> tuple[int, ...]:
        return tuple(switch.position for switch in self.switches if switch.setting == setting)

    @property
    def on_positions(self) -> tuple[int, ...]:
        return self.positions(ON)

    @property
    def leave_positions(self) -> tuple[int, ...]:
        return self.positions(LEAVE)

    @property
    def unknown_positions(self) -> tuple[int, ...]:
        return self.positions(UNKNOWN)


@dataclass(frozen=True)
class TerminationStep:
    end: str  # inverter | battery
    where: str
    action: str
    source: Source | None = None


@dataclass(frozen=True)
class Termination:
    steps: tuple[TerminationStep, ...]
    check: str


@dataclass(frozen=True)
class SettingLine:
    side: str  # battery | inverter | adapter
    name: str
    value: str = ""
    menu_path: str = ""
    optional: bool = False
    note: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class OptionChoices:
    """What an installer may choose for one pair: the buses it can talk over and how many packs to stack."""

    buses: tuple[str, ...]
    max_packs: int
    pack_limit_documented: bool  # false: no source gives a limit and max_packs is only the request bound


@dataclass(frozen=True)
class Configuration:
    battery: DeviceRef
    inverter: DeviceRef
    adapter: DeviceRef | None
    verdict: str
    reasons: tuple[str, ...]
    bus: str | None = None
    protocol: str | None = None  # the protocol's name
    protocol_slug: str | None = None
    bitrate: int | None = None
    battery_port: str | None = None
    inverter_port: str | None = None
    cable: Cable | None = None
    packs: tuple[PackSetting, ...] = ()
    termination: Termination | None = None
    battery_settings: tuple[SettingLine, ...] = ()
    inverter_settings: tuple[SettingLine, ...] = ()
    adapter_settings: tuple[SettingLine, ...] = ()
    warnings: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    pairing: str | None = None  # the documented pairing's slug

    def to_dict(self) -> dict:
        data = asdict(self)
        for pack, packed in zip(self.packs, data["packs"], strict=True):
            packed["pattern"] = pack.pattern
        return {"schema_version": SCHEMA_VERSION, **data}

    @classmethod
    def from_dict(cls, data: dict) -> Configuration:
        """The result back from its JSON form (a saved configuration's snapshot). Derived keys are ignored."""
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ConfigurationError(f"Cannot read a result of schema version {version!r} (this is {SCHEMA_VERSION}).")
        return _revive(cls, data)


def _revive(hint, value):
    """``value`` (from JSON) as the type ``hint`` names: dataclasses, tuples of them, optional values, scalars."""
    if value is None:
        return None
    if is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: _revive(hints[f.name], value[f.name]) for f in fields(hint) if f.name in value})
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(hint)
        return tuple(_revive(item, element) for element in value)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            if is_dataclass(option):
                return _revive(option, value)
    return value
