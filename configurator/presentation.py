"""One presentation of a result for every reader: the result page, the PDF sheet and the terminal render this,
so "last slave", the switch summary, the cut wording and every finding's sentence are written once, here."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from configurator.domain.findings import Code, Severity
from configurator.domain.result import (
    ADAPTER_SEGMENT,
    PACK_SEGMENT,
    BankSetting,
    Cable,
    Configuration,
    PackSetting,
    Segment,
    SettingLine,
    finding_from_dict,
)
from configurator.domain.types import Source
from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, SIGNAL_NAMES, Basis, Verdict
from configurator.drawings import dip_summary
from configurator.messages import message

__all__ = ["VERDICT_TEXT", "Presented", "bitrate_text", "present", "source_text"]

VERDICT_TEXT = {
    Verdict.DOCUMENTED: "DOCUMENTED: a source documents this pair",
    Verdict.DERIVED: "DERIVED: no source documents this pair; the answer follows from both pin tables",
    Verdict.NEEDS_CHECK: "NEEDS CHECK: the sources leave something open (the reasons say what, and where to look)",
    Verdict.INCOMPATIBLE: "INCOMPATIBLE",
}
BASIS_TEXT = {Basis.DOCUMENTED: "documented", Basis.DERIVED: "derived", Basis.UNKNOWN: "not known"}
FILL_IN = "____"  # an empty pin to fill in on site
SIDE_TEXT = {"battery": "Battery", "inverter": "Inverter", "adapter": "Adapter"}
PATTERN_LEGEND = "switch 1 first; 1 ON, 0 OFF, x leave as it is, ? not known (set it from the manual)"


def source_text(source: Source | None) -> str:
    if source is None:
        return ""
    page = f", page {source.page}" if source.page else ""
    return f"{source.title or source.document}, section '{source.section}'{page}"  # file names: the source list


def bitrate_text(value: int | None) -> str:
    if not value:
        return ""
    return f"{value // 1000} kbit/s" if value % 1000 == 0 else f"{value} bit/s"


@dataclass
class Sentence:
    text: str
    severity: str = Severity.INFO
    code: str = ""
    source: str = ""


def _said(findings) -> list[Sentence]:
    return [Sentence(message(f), f.severity, f.code, source_text(f.source)) for f in findings]


@dataclass
class PinRow:
    signal: str
    battery: str  # the position, or FILL_IN
    battery_label: str
    inverter: str
    inverter_label: str
    colour: str  # the colour, or "" at a terminal
    note: str
    basis: str
    raw_signal: str = ""


@dataclass
class PresentedCable:
    cable: Cable
    title: str
    origin: str
    ends: str
    rows: list[PinRow]
    cut_heading: str = ""
    cut: list[tuple[int, str, str]] = field(default_factory=list)  # position, colour, reason
    hazards: list[Sentence] = field(default_factory=list)
    notes: list[Sentence] = field(default_factory=list)
    diagram: bool = True
    rj45: bool = False


@dataclass
class PresentedBank:
    bank: BankSetting
    name: str
    summary: str
    pattern: str


@dataclass
class PresentedPack:
    pack: PackSetting
    title: str
    role: str  # master | slave | last slave
    banks: list[PresentedBank]
    notes: list[Sentence]


@dataclass
class PackGroup:
    """Packs set alike: one drawing per bank for all of them (a 16-pack stack has 2 or 3 distinct patterns, not 16
    drawings)."""

    packs: list[PresentedPack]
    title: str

    @property
    def first(self) -> PresentedPack:
        return self.packs[0]

    @property
    def indexes(self) -> str:
        """The packs' numbers as the data attribute names them: "2-15", "1,3"."""
        return _ranges([pack.pack.index for pack in self.packs], dash="-", comma=",")


@dataclass
class SwitchTable:
    """Every pack's switches in one table: the overview of a stack (rows: packs; columns: each bank's switches)."""

    columns: list[tuple[str, int]]  # (bank name, switch number)
    rows: list[tuple[str, list[str]]]  # (pack, one mark per column: ON, OFF, as is, ?)
    banks: int


FOLD_DRAWINGS_OVER = 4  # distinct patterns shown as drawings before they fold behind the table
SWITCH_WORDS = {"1": "ON", "0": "OFF", "x": "as is", "?": "?"}


EN_DASH = "\u2013"


def _ranges(numbers: list[int], *, dash: str = EN_DASH, comma: str = ", ") -> str:
    """1, 2, 3, 5 -> "1-3, 5" (an en dash between the ends of a run)."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return comma.join(f"{run[0]}{dash}{run[-1]}" if len(run) > 2 else comma.join(map(str, run)) for run in runs)


def _pack_groups(packs: list[PresentedPack]) -> list[PackGroup]:
    """Packs whose banks, patterns and notes are the same, in the order of their first pack."""
    groups: dict[tuple, list[PresentedPack]] = {}
    for pack in packs:
        key = (tuple((bank.name, bank.pattern) for bank in pack.banks), tuple(note.text for note in pack.notes))
        groups.setdefault(key, []).append(pack)
    result = []
    for members in groups.values():
        if len(members) == 1:
            title = members[0].title
        else:
            numbers = _ranges([pack.pack.index for pack in members])
            master = next((pack for pack in members if pack.role == "master"), None)
            last = next((pack for pack in members if pack.role == "last slave"), None)
            said = [f"pack {master.pack.index} is the master, wired to the inverter"] if master else []
            said += [f"pack {last.pack.index} is the last slave"] if last else []
            title = f"Packs {numbers}" + (f" ({'; '.join(said)})" if said else ": slaves")
        result.append(PackGroup(members, title))
    return result


def _switch_table(packs: list[PresentedPack]) -> SwitchTable | None:
    """The packs x switches table, for a stack of two or more packs with switches to set."""
    if len(packs) < 2 or not any(pack.banks for pack in packs):
        return None
    columns = [(bank.name, switch.position) for bank in packs[0].banks for switch in bank.bank.switches]
    rows = [
        (
            f"Pack {pack.pack.index} ({pack.role})",
            [SWITCH_WORDS[mark] for bank in pack.banks for mark in bank.pattern],
        )
        for pack in packs
    ]
    return SwitchTable(columns, rows, len(packs[0].banks))


@dataclass
class PresentedEnd:
    side: str
    where: str
    action: str
    known: bool
    source: str


@dataclass
class PresentedSegment:
    title: str
    ends: list[PresentedEnd]
    check: str


@dataclass
class Presented:
    c: Configuration
    link_line: str  # the link in one line (the terminal)
    firmware: list[str]  # the firmware conditions, one line each
    fallback: list[SettingLine]  # voltage-based settings for when the link does not work
    verdict: str
    reasons: list[Sentence]
    warnings: list[Sentence]
    link: list[tuple[str, str]]
    cable: PresentedCable | None
    packs: list[PresentedPack]
    segments: list[PresentedSegment]
    settings: list[tuple[str, list[SettingLine]]]
    settings_empty: str
    sources: list[tuple[str, str, list[Source]]]  # document, title, sections
    pattern_legend: str = PATTERN_LEGEND

    @property
    def any_banks(self) -> bool:
        return any(pack.banks for pack in self.packs)

    @cached_property
    def pack_groups(self) -> list[PackGroup]:
        return _pack_groups(self.packs)

    @cached_property
    def switch_table(self) -> SwitchTable | None:
        return _switch_table(self.packs)

    @property
    def drawings_folded(self) -> bool:
        """Many distinct patterns (an address per pack): the table leads, the drawings fold away on the page."""
        return self.switch_table is not None and len(self.pack_groups) > FOLD_DRAWINGS_OVER


def _position(position) -> str:
    return FILL_IN if position is None else str(position)


def _cable(cable: Cable) -> PresentedCable:
    if not cable.known:
        title, origin = (
            "not known: pins to fill in on site",
            (
                "The catalog does not give every pin of this link: read the empty pins below from the makers' "
                "manuals and write them in before crimping."
            ),
        )
    else:
        title = "straight patch cable" if cable.standard else "custom crimp"
        origin = {
            Basis.DOCUMENTED: "As the source documents it.",
            Basis.DERIVED: "Derived from both pin tables.",
        }.get(cable.basis, "Partly known: fill in the empty pins from the makers' manuals.")
        if any(c.basis == Basis.UNKNOWN for c in cable.conductors):
            origin += " Some ends are not in the catalog: fill them in from the manuals."
    ends = (
        f"{CONNECTOR_NAMES.get(cable.battery_connector, cable.battery_connector)} at the battery, "
        f"{CONNECTOR_NAMES.get(cable.inverter_connector, cable.inverter_connector)} at the inverter; "
        f"colours {cable.colours.upper()}."
    )
    rows = [
        PinRow(
            SIGNAL_NAMES.get(c.signal, c.signal),
            _position(c.battery_position),
            c.battery_label,
            _position(c.inverter_position),
            c.inverter_label,
            c.colour or "",
            c.note,
            c.basis,
            c.signal,
        )
        for c in cable.conductors
    ]
    presented = PresentedCable(
        cable,
        title,
        origin,
        ends,
        rows,
        hazards=_said(cable.hazards),
        notes=_said(cable.notes),
        diagram=cable.known
        and any(c.battery_position is not None and c.inverter_position is not None for c in cable.conductors),
        rj45="rj45" in (cable.battery_connector, cable.inverter_connector),
    )
    if cable.cut:
        kept, cut_at = cable.cut[0].kept_plug, cable.cut[0].cut_at
        presented.cut_heading = (
            f"Cut back and insulate at the {cut_at} end (the {kept} plug stays as it is): these conductors of the "
            f"{kept} plug join nothing"
        )
        presented.cut = [(cut.position, cut.colour or "", message(cut.reason)) for cut in cable.cut]
    return presented


def _role(pack: PackSetting) -> str:
    if pack.role == "master":
        return "master"
    return "last slave" if pack.last else "slave"


def _pack(pack: PackSetting, count: int) -> PresentedPack:
    role = _role(pack)
    title = f"Pack {pack.index}: {role}" + (" (wired to the inverter)" if pack.role == "master" and count > 1 else "")
    if pack.address is not None:
        title += f", address {pack.address}"
    banks = [PresentedBank(bank, bank.name, dip_summary(bank), bank.pattern) for bank in pack.banks]
    return PresentedPack(pack, title, role, banks, _said(pack.notes))


SEGMENT_TITLES = {
    "link": "The BMS link ({bus}): the cable's two ends",
    PACK_SEGMENT: "The packs' own bus ({bus}): first and last pack",
    ADAPTER_SEGMENT: "The adapter's other side",
}


def _where(end) -> str:
    device = f"{end.device}, " if end.device else ""
    port = f"port '{end.port}'" if end.port else "port not in the catalog"
    pack = ""
    if end.pack is not None:
        pack = (
            ", on the master pack (the one wired to the inverter)"
            if end.pack == 1
            else f", on the last pack ({end.pack})"
        )
    return f"{device}{port}{pack}"


def _check(segment: Segment) -> str:
    if segment.bus == "can":
        lines = "CAN_H and CAN_L"
    elif segment.bus == "rs485":
        lines = "RS485 + and -"
    else:
        return "Measure across the two bus lines as the makers' manuals say."
    return (
        f"With the bus powered off, measure between {lines} on this segment: about 60 Ω when both ends are "
        "terminated, about 120 Ω when only one is."
    )


def _segment(segment: Segment) -> PresentedSegment:
    bus = BUS_NAMES.get(segment.bus, "bus not stated") if segment.bus else "bus not stated"
    ends = [
        PresentedEnd(
            SIDE_TEXT.get(end.side, end.side),
            _where(end) if end.device or end.port else "",
            message(end.action),
            end.basis != Basis.UNKNOWN,
            source_text(end.source),
        )
        for end in segment.ends
    ]
    return PresentedSegment(SEGMENT_TITLES.get(segment.kind, segment.kind).format(bus=bus), ends, _check(segment))


def _link(c: Configuration) -> list[tuple[str, str]]:
    if not c.bus:
        return []
    if c.protocol:
        protocol = c.protocol + (f" ({bitrate_text(c.bitrate)})" if c.bitrate else "")
        protocol += {Basis.DOCUMENTED: ", documented", Basis.DERIVED: ", derived"}.get(c.protocol_basis, "")
    elif c.protocol_choices:
        protocol = "to choose: " + " or ".join(p.name for p in c.protocol_choices)
    else:
        protocol = "not known: check on site"
    return [
        ("Bus", BUS_NAMES.get(c.bus, c.bus)),
        ("Protocol", protocol),
        ("Battery port", c.battery_port or "not in the catalog"),
        ("Inverter port", c.inverter_port or "not in the catalog"),
    ]


def _sources(c: Configuration) -> list[tuple[str, str, list[Source]]]:
    grouped: dict[str, list[Source]] = {}
    for s in c.sources:
        grouped.setdefault(s.document, []).append(s)
    return [(document, sections[0].title, sections) for document, sections in grouped.items()]


def present(c: Configuration) -> Presented:
    every = (("Battery", c.battery_settings), ("Inverter", c.inverter_settings), ("Adapter", c.adapter_settings))
    settings = [(title, [s for s in lines if not s.fallback]) for title, lines in every]
    settings = [(title, lines) for title, lines in settings if lines]
    fallback = [line for _title, lines in every for line in lines if line.fallback]
    settings_empty = "" if settings else "No settings are known for this pair: check both manuals."
    lines = [line for _title, group in settings for line in group]
    if lines and all(
        line.finding is not None and line.finding.code == Code.SETTING_PROTOCOL_UNKNOWN for line in lines
    ):
        settings, settings_empty = (
            [],
            (  # said once for both sides
                "Not known: the protocol of this pair is not settled (see the reasons), so neither are the settings "
                "on either side; set them per the manuals once the protocol is known."
            ),
        )
    link = _link(c)
    link_line = ""
    if c.bus:
        rows = dict(link)
        ports = f"battery port '{c.battery_port or '?'}' -> inverter port '{c.inverter_port or '?'}'"
        link_line = f"{rows['Bus']}, protocol {rows['Protocol']}; {ports}"
    verdict = VERDICT_TEXT.get(c.verdict, c.verdict)
    if c.firmware and c.verdict in (Verdict.DOCUMENTED, Verdict.DERIVED):
        word, rest = verdict.split(":", 1)
        verdict = f"{word}, IF THE FIRMWARE IS RIGHT:{rest} (the firmware conditions below)"
    return Presented(
        c=c,
        link_line=link_line,
        verdict=verdict,
        firmware=[
            f"{r.device}: {r.condition}" + (" (the documented pairing)" if r.required_by == "pairing" else "")
            for r in c.firmware
        ],
        fallback=fallback,
        reasons=_said(c.reasons),
        warnings=_said(c.warnings),
        link=link,
        cable=_cable(c.cable) if c.cable else None,
        packs=[_pack(pack, len(c.packs)) for pack in c.packs],
        segments=[_segment(s) for s in c.termination.segments] if c.termination else [],
        settings=settings,
        settings_empty=settings_empty,
        sources=_sources(c),
    )


def _messages(value, finding_of):
    if isinstance(value, dict):
        if {"code", "severity", "params"} <= value.keys():
            return {**value, "message": message(finding_of(value))}
        return {key: _messages(item, finding_of) for key, item in value.items()}
    if isinstance(value, list):
        return [_messages(item, finding_of) for item in value]
    return value


def result_json(c: Configuration) -> dict:
    """The result's JSON form (``Configuration.to_dict``) with each finding's sentence as ``message`` beside its
    code and parameters: what the API returns."""
    memo = c.__dict__  # once per result: results are immutable values, shared by the requests that ask alike
    if "_api_json" not in memo:
        memo["_api_json"] = _messages(c.to_dict(), finding_from_dict)
    return memo["_api_json"]
