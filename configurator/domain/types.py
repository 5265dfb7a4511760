"""What the engine reads: a catalog device, its ports and pins, protocols, DIP banks, settings, and documented
pairings, as immutable values. ``configurator/specs.py`` builds them from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.naming import size_range
from configurator.domain.vocabulary import CONNECTOR_POSITIONS, GROUND_SIGNALS

__all__ = [
    "GROUNDS",
    "MAX_PACKS",
    "CrimpSpec",
    "DeviceProtocolSpec",
    "DeviceSpec",
    "DipBankSpec",
    "DipSwitchSpec",
    "NoteSpec",
    "Options",
    "PairingSpec",
    "PinSpec",
    "PortSpec",
    "ProtocolSpec",
    "SettingSpec",
    "Source",
    "device_name",
    "squashed",
]

GROUNDS = GROUND_SIGNALS
MODULAR = CONNECTOR_POSITIONS


def device_name(manufacturer: str, model: str, maker_named: bool) -> str:
    """A device as the pages name it: maker and model, the model alone for a maker the sources do not name."""
    return f"{manufacturer} {model}" if maker_named else model


@dataclass(frozen=True, order=True)
class Source:
    """Where a fact comes from: the document's key, the section (and page, where given), the document's title."""

    document: str
    section: str
    page: str = ""
    title: str = ""


@dataclass(frozen=True)
class PinSpec:
    position: int | None
    signal: str
    label: str = ""
    terminal: str = ""
    channel: int | None = None
    note: str = ""
    source: Source | None = None
    polarity_assumed: bool = False  # an RS485 pin whose sign is the usual convention, not the maker's word

    @property
    def key(self) -> int | str:
        """How crimp rows name the pin: its position, or its terminal name where it has none."""
        return self.position if self.position is not None else self.terminal


@dataclass(frozen=True)
class PortSpec:
    name: str
    connector: str
    role: str
    buses: tuple[str, ...] = ()
    positions: int | None = None
    pinout: str = "complete"
    termination: str = "unknown"
    termination_note: str = ""
    note: str = ""
    pins: tuple[PinSpec, ...] = ()
    source: Source | None = None
    bitrates: tuple[int, ...] = ()  # the bit rates a source gives for this port; empty: not stated

    @property
    def modular(self) -> bool:
        """An RJ-type socket: a patch cable plugs in and its conductors have colours."""
        return self.connector in MODULAR

    def pin(self, key: int | str | None) -> PinSpec | None:
        return next((pin for pin in self.pins if pin.key == key), None) if key is not None else None

    def with_signal(self, signals: frozenset[str] | set[str]) -> tuple[PinSpec, ...]:
        return tuple(pin for pin in self.pins if pin.signal in signals)


def squashed(text: str) -> str:
    """Lower case, letters and digits only: how a name the installer types is compared with the catalog's."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class ProtocolSpec:
    slug: str
    name: str
    bus: str
    bitrate: int | None = None
    notes: str = ""
    source: Source | None = None
    aliases: tuple[str, ...] = ()  # the names makers print for it
    master: str = ""  # battery | inverter | "" (not stated)

    def named(self, name: str) -> bool:
        """Whether ``name`` (any case, spaces, dashes) is this protocol's slug, name or one of its aliases."""
        return squashed(name) in {squashed(n) for n in (self.slug, self.name, *self.aliases)}


@dataclass(frozen=True)
class DeviceProtocolSpec:
    protocol: ProtocolSpec
    method: str
    menu_path: str = ""
    value: str = ""
    note: str = ""
    source: Source | None = None
    priority: int | None = None  # a source's ranking among the device's protocols, 1 preferred
    firmware: str = ""  # the firmware this selection needs on the device, e.g. ">= 2.1"; empty: none stated
    limitations: tuple[str, ...] = ()  # what does not work with it, as the source says
    derivation: str = ""  # empty: the source states it; else the chain of facts it is derived from
    extras: tuple[SettingSpec, ...] = ()  # further settings this selection needs or offers (BMS_Err_Stop = On)


@dataclass(frozen=True)
class DipSwitchSpec:
    position: int
    function: str
    bit: int | None = None
    label: str = ""


@dataclass(frozen=True)
class DipBankSpec:
    name: str
    switch_count: int
    switches: tuple[DipSwitchSpec, ...] = ()
    on_direction: str = ""
    master_address: int | None = None
    first_slave_address: int | None = None
    max_packs: int | None = None
    all_packs_pattern: str = ""
    last_pack_pattern: str = ""
    note: str = ""
    source: Source | None = None
    numbering_stated: bool = True  # false: the source does not say which end is switch 1


@dataclass(frozen=True)
class SettingSpec:
    name: str
    value: str = ""
    menu_path: str = ""
    optional: bool = False
    note: str = ""
    source: Source | None = None
    side: str = ""  # for pairing settings: battery | inverter | adapter
    fallback: bool = False  # a voltage-based setting for when the BMS link does not work


@dataclass(frozen=True)
class NoteSpec:
    kind: str
    text: str
    source: Source | None = None
    translations: tuple[tuple[str, str], ...] = ()  # (language, text): the editors' translations of ``text``


@dataclass(frozen=True)
class DeviceSpec:
    slug: str
    manufacturer: str
    model: str
    kind: str
    voltage_class: str
    source: Source
    max_packs: int | None = None
    ports: tuple[PortSpec, ...] = ()
    protocols: tuple[DeviceProtocolSpec, ...] = ()
    dip_banks: tuple[DipBankSpec, ...] = ()
    settings: tuple[SettingSpec, ...] = ()
    notes: tuple[NoteSpec, ...] = ()
    sold_as: tuple[str, ...] = ()  # the other names it is sold under: rebrands, regional names, sizes of a range
    maker_named: bool = True  # false: the sources do not name the maker ("Unnamed BMS maker"): the model alone

    def sold_under(self, asked: str) -> str:
        """The catalog's spelling of ``asked`` when it is one of the names the device is sold under, or the full
        name of a size within its model's range ("RHI-3.6K-48ES-5G" of "RHI-(3-4.6)K-48ES-5G"), else empty."""
        wanted = squashed(asked)
        listed = next((name for name in self.sold_as if wanted and squashed(name) == wanted), "")
        sizes = size_range(self.model)
        return listed or (sizes.named(asked, whole=True) if sizes else "")

    @property
    def name(self) -> str:
        return device_name(self.manufacturer, self.model, self.maker_named)

    def port(self, name: str) -> PortSpec | None:
        return next((port for port in self.ports if port.name == name), None)


@dataclass(frozen=True)
class CrimpSpec:
    signal: str
    battery: int | str | None
    inverter: int | str | None
    note: str = ""


@dataclass(frozen=True)
class PairingSpec:
    """A pairing a source documents: which ports, which bus, and (where the source gives it) the crimp."""

    slug: str
    battery: str
    inverter: str
    bus: str
    documented_by: str
    source: Source
    adapter: DeviceSpec | None = None
    protocol: ProtocolSpec | None = None
    battery_end: tuple[str, str] | None = None  # (device slug, port name): the battery's or the adapter's
    inverter_end: tuple[str, str] | None = None  # (device slug, port name): the inverter's or the adapter's
    standard_cable: bool | None = None
    crimp: tuple[CrimpSpec, ...] = ()
    settings: tuple[SettingSpec, ...] = ()
    notes: tuple[NoteSpec, ...] = field(default_factory=tuple)
    battery_firmware: str = ""  # the firmware the source requires on each side, e.g. ">= 2.1"; empty: none stated
    inverter_firmware: str = ""
    limitations: tuple[str, ...] = ()  # what does not work over this link, as the source says


# The most packs one request may ask for: a bound on input, not a catalog fact (each battery's own limit,
# where a source gives one, is checked as well).
MAX_PACKS = 64


@dataclass(frozen=True)
class Options:
    """What the installer asks for. Empty protocol and ports: the engine chooses, and says why."""

    bus: str = "best"  # can | rs485 | best
    packs: int = 1
    colours: str = "t568b"  # t568b | t568a
    protocol: str = ""  # a protocol's slug
    battery_port: str = ""  # a port's name on the battery (or on the adapter at the battery's end of the cable)
    inverter_port: str = ""  # a port's name on the inverter (or on the adapter at its end)
    battery_as: str = ""  # the name the battery was picked by: one it is sold under (an alias, a size); empty: its own
    inverter_as: str = ""  # the same for the inverter
