"""The commissioning record: what the issued configuration expects on site, and how what the installer found
compares with it. Pure functions over the engine's result and plain found values (strings, as typed).

A record in this field (IEC 62446-1 practice, makers' commissioning checklists) records what was found, not only
what was planned: each pack's serial, firmware, DIP pattern, open-circuit voltage and state of charge; the
inverter's serial, firmware and each setting as found; the link's resistance between CAN_H and CAN_L, cable and
terminated ends; the tests. A *deviation* is a found value that differs from what the configuration expects, or a
test that failed. A value not recorded is not a deviation; an expectation the catalog does not have (a maker's
allowed voltage spread) is shown as not known, never filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from configurator.domain.result import LINK_SEGMENT, Configuration, PackSetting, SettingLine

__all__ = [
    "LINK_RESISTANCE",
    "TESTS",
    "Deviation",
    "Expected",
    "ExpectedPack",
    "ExpectedSetting",
    "deviations",
    "expected_from",
    "voltage_spread",
]

# Between CAN_H and CAN_L with the bus powered off: two 120 ohm terminators in parallel make 60 ohm. A reading
# from 50 to 70 ohm is taken as both ends terminated (wiring and meter tolerance); about 120 ohm is one end only.
LINK_RESISTANCE = (Decimal(60), Decimal(50), Decimal(70))

# The tests a record asks for, in order: code -> what was tested.
TESTS = {
    "communication": "BMS communication established (the inverter shows the battery's state of charge)",
    "values_match": "State of charge, voltage and charge/discharge limits on the inverter match the BMS",
    "loss_behaviour": "Communication loss (cable unplugged) stops the inverter or raises its BMS alarm",
    "no_alarms": "No alarm on the inverter or the battery after 10 minutes of operation",
}
PASSED, FAILED, NOT_TESTED = "passed", "failed", "not_tested"


@dataclass(frozen=True)
class ExpectedPack:
    index: int
    role: str
    dip: str  # the banks' patterns, switch 1 first, "/" between banks; "" when the pack has no switches to set


@dataclass(frozen=True)
class ExpectedSetting:
    key: str  # a stable key for the found value: "inverter-0", "battery-1"
    side: str
    name: str
    value: str  # "" when the catalog does not know it (the record still asks what was found)


@dataclass(frozen=True)
class Expected:
    packs: tuple[ExpectedPack, ...]
    settings: tuple[ExpectedSetting, ...]
    link_bus: str | None  # can | rs485 | None
    link_resistance: Decimal | None  # expected ohms between the bus lines (a CAN link terminated at both ends)
    terminated_ends: tuple[tuple[str, str], ...]  # where the terminators go, as the result says: (device, port)


@dataclass(frozen=True)
class Deviation:
    """A found value that is not what the configuration expects (``code``: dip, setting, resistance, test)."""

    code: str
    field: str  # the found value's key ("pack-2-dip", "inverter-0", "resistance", "test-communication")
    expected: str
    found: str


def _pattern(pack: PackSetting) -> str:
    return "/".join(bank.pattern for bank in pack.banks)


def expected_from(c: Configuration) -> Expected:
    """What the configuration expects on site."""
    settings = []
    for side, lines in (("inverter", c.inverter_settings), ("battery", c.battery_settings)):
        named = [line for line in lines if line.finding is None and line.name and not line.fallback]
        if not named and side == "inverter":  # the catalog knows no menu: the record still asks what was set
            named = [SettingLine(side, "Battery / BMS protocol setting")]
        settings += [ExpectedSetting(f"{side}-{n}", side, line.name, line.value) for n, line in enumerate(named)]
    link = next((s for s in c.termination.segments if s.kind == LINK_SEGMENT), None) if c.termination else None
    ends = tuple((end.device, end.port or "") for end in link.ends) if link else ()
    resistance = LINK_RESISTANCE[0] if link is not None and link.bus == "can" and len(link.ends) == 2 else None
    return Expected(
        packs=tuple(ExpectedPack(p.index, p.role, _pattern(p)) for p in c.packs),
        settings=tuple(settings),
        link_bus=c.bus,
        link_resistance=resistance,
        terminated_ends=ends,
    )


def _squashed(text: str) -> str:
    return "".join(text.casefold().split())


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ".").strip())
    except (InvalidOperation, AttributeError):
        return None


def _dip_differs(expected: str, found: str) -> bool:
    """A found pattern differs where the expected switch is ON or OFF (x: as is, ?: not known are not judged)."""
    if len(found) != len(expected):
        return True
    return any(want in "01" and got != want for want, got in zip(expected, found, strict=True))


def deviations(expected: Expected, found: dict) -> list[Deviation]:
    """Every found value that differs from what is expected, and every failed test. ``found`` holds strings as
    typed: {"packs": [{"dip": ...}, ...], "settings": {key: value}, "link": {"resistance": ...},
    "tests": {code: passed | failed | not_tested}}."""
    result: list[Deviation] = []
    packs = found.get("packs", [])
    for pack, got in zip(expected.packs, packs, strict=False):
        dip = "".join(str(got.get("dip", "")).split())
        if pack.dip and dip and _dip_differs(pack.dip, dip):
            result.append(Deviation("dip", f"pack-{pack.index}-dip", pack.dip, dip))
    for setting in expected.settings:
        got = str(found.get("settings", {}).get(setting.key, "")).strip()
        if setting.value and got and _squashed(got) != _squashed(setting.value):
            result.append(Deviation("setting", setting.key, setting.value, got))
    ohms = _number(str(found.get("link", {}).get("resistance", "")))
    if expected.link_resistance is not None and ohms is not None:
        _nominal, low, high = LINK_RESISTANCE
        if not low <= ohms <= high:
            result.append(Deviation("resistance", "resistance", f"{low}-{high}", str(ohms)))
    for code in TESTS:
        if found.get("tests", {}).get(code) == FAILED:
            result.append(Deviation("test", f"test-{code}", PASSED, FAILED))
    return result


def voltage_spread(found: dict) -> Decimal | None:
    """The spread (highest minus lowest) of the packs' open-circuit voltages recorded before paralleling, or None
    with fewer than two readings. The catalog holds no maker's allowed spread: the record shows the figure and
    says so."""
    readings = [v for v in (_number(str(p.get("voltage", ""))) for p in found.get("packs", [])) if v is not None]
    return max(readings) - min(readings) if len(readings) >= 2 else None
