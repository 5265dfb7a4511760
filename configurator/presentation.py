"""One presentation of a result for every reader: the result page, the PDF sheet and the terminal render this,
so "last slave", the switch summary, the cut wording and every finding's sentence are written once, here."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

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
from configurator.domain.vocabulary import BUS_NAMES, Basis, Verdict
from configurator.drawings import dip_summary
from configurator.messages import (
    colour_text,
    connector_name,
    message,
    quote_language,
    quoted_note,
    reader_language,
    signal_name,
)

__all__ = ["Presented", "bitrate_text", "colour_text", "present", "source_text", "verdict_text"]

VERDICT_WORD = {
    Verdict.DOCUMENTED: pgettext_lazy("verdict", "DOCUMENTED"),
    Verdict.DERIVED: pgettext_lazy("verdict", "DERIVED"),
    Verdict.NEEDS_CHECK: pgettext_lazy("verdict", "NEEDS CHECK"),
    Verdict.INCOMPATIBLE: pgettext_lazy("verdict", "INCOMPATIBLE"),
}
VERDICT_MEANING = {
    Verdict.DOCUMENTED: gettext_lazy("a source documents this pair"),
    Verdict.DERIVED: gettext_lazy("no source documents this pair; the answer follows from both pin tables"),
    Verdict.NEEDS_CHECK: gettext_lazy("the sources leave something open (the reasons say what, and where to look)"),
}
BASIS_TEXT = {
    Basis.DOCUMENTED: pgettext_lazy("basis", "documented"),
    Basis.DERIVED: pgettext_lazy("basis", "derived"),
    Basis.UNKNOWN: pgettext_lazy("basis", "not known"),
}
FILL_IN = "____"  # an empty pin to fill in on site
SIDE_TEXT = {
    "battery": gettext_lazy("Battery"),
    "inverter": gettext_lazy("Inverter"),
    "adapter": gettext_lazy("Adapter"),
}
PATTERN_LEGEND = gettext_lazy("switch 1 first; 1 ON, 0 OFF, x leave as it is, ? not known (set it from the manual)")
ROLE_TEXT = {
    "master": gettext_lazy("master"),
    "slave": gettext_lazy("slave"),
    "last slave": gettext_lazy("last slave"),
}


def verdict_text(verdict: str, *, firmware: bool = False) -> str:
    """The verdict's word and what it means; with firmware conditions, that it holds only if the firmware is right."""
    word = str(VERDICT_WORD.get(verdict, verdict))
    meaning = VERDICT_MEANING.get(verdict)
    if meaning is None:
        return word
    if firmware:
        return _("{verdict}, IF THE FIRMWARE IS RIGHT: {meaning} (the firmware conditions below)").format(
            verdict=word, meaning=meaning
        )
    return _("{verdict}: {meaning}").format(verdict=word, meaning=meaning)


# The engine's own words in a setting line (configurator/domain/configure.py), which stored results keep in
# English: the line's name when no menu names the setting, and where a DIP-selected protocol is set.
PROTOCOL_LINE = "Protocol: "
MASTER_DIP = "DIP switches of the master pack (x: per address)"


PROTOCOL_SETTING = "Battery / BMS protocol setting"  # the record's question where the catalog knows no menu


def setting_name(name: str) -> str:
    if name == PROTOCOL_SETTING:
        return _("Battery / BMS protocol setting")
    if name.startswith(PROTOCOL_LINE):
        return _("Protocol: {protocol}").format(protocol=name.removeprefix(PROTOCOL_LINE))
    return name  # a menu's own words: as the source prints them


def setting_where(menu_path: str) -> str:
    return _("DIP switches of the master pack (x: per address)") if menu_path == MASTER_DIP else menu_path


def source_text(source: Source | None) -> str:
    if source is None:
        return ""
    title = source.title or source.document  # file names: the source list
    if source.page:
        return _("{title}, section '{section}', page {page}").format(
            title=title, section=source.section, page=source.page
        )
    return _("{title}, section '{section}'").format(title=title, section=source.section)


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
    quote: str | None = None  # the catalog editor's note the sentence quotes, as printed
    quote_language: str | None = None  # the language that note is printed in

    @property
    def untranslated(self) -> bool:
        """The sentence quotes a note no editor translated into the reader's language: the page and the sheet
        mark it (lang="en", "catalog note, not translated")."""
        return self.quote_language is not None and self.quote_language != reader_language()


def _said(findings) -> list[Sentence]:
    said = []
    for f in findings:
        quote, language = quoted_note(f) or (None, None)
        said.append(Sentence(message(f), f.severity, f.code, source_text(f.source), quote, language))
    return said


@dataclass
class PinRow:
    signal: str
    battery: str  # the position, or FILL_IN
    battery_label: str
    inverter: str
    inverter_label: str
    colour: str  # the colour code (white/orange), or "" at a terminal
    note: str
    basis: str
    raw_signal: str = ""
    colour_text: str = ""  # the colour in the reader's language


@dataclass
class PresentedCable:
    cable: Cable
    title: str
    origin: str
    ends: str
    rows: list[PinRow]
    cut_heading: str = ""
    cut: list[tuple[int, str, str, str]] = field(default_factory=list)  # position, colour, its words, reason
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

    @property
    def role_text(self) -> str:
        return str(ROLE_TEXT.get(self.role, self.role))


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
SWITCH_WORDS = {"1": "ON", "0": "OFF", "x": pgettext_lazy("DIP switch: leave it as it is", "as is"), "?": "?"}


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
            said = [_("pack {number} is the master, wired to the inverter").format(number=master.pack.index)]
            said = said if master else []
            said += [_("pack {number} is the last slave").format(number=last.pack.index)] if last else []
            if said:
                title = _("Packs {numbers} ({roles})").format(numbers=numbers, roles="; ".join(said))
            else:
                title = _("Packs {numbers}: slaves").format(numbers=numbers)
        result.append(PackGroup(members, title))
    return result


def _switch_table(packs: list[PresentedPack]) -> SwitchTable | None:
    """The packs x switches table, for a stack of two or more packs with switches to set."""
    if len(packs) < 2 or not any(pack.banks for pack in packs):
        return None
    columns = [(bank.name, switch.position) for bank in packs[0].banks for switch in bank.bank.switches]
    rows = [
        (
            _("Pack {number} ({role})").format(number=pack.pack.index, role=pack.role_text),
            [str(SWITCH_WORDS[mark]) for bank in pack.banks for mark in bank.pattern],
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
        title = _("not known: pins to fill in on site")
        origin = _(
            "The catalog does not give every pin of this link: read the empty pins below from the makers' manuals "
            "and write them in before crimping."
        )
    else:
        title = _("straight patch cable") if cable.standard else _("custom crimp")
        if cable.basis == Basis.DOCUMENTED:
            origin = _("As the source documents it.")
        elif cable.basis == Basis.DERIVED:
            origin = _("Derived from both pin tables.")
        else:
            origin = _("Partly known: fill in the empty pins from the makers' manuals.")
        if any(c.basis == Basis.UNKNOWN for c in cable.conductors):
            origin += " " + _("Some ends are not in the catalog: fill them in from the manuals.")
    ends = _("{battery_connector} at the battery, {inverter_connector} at the inverter; colours {colours}.").format(
        battery_connector=connector_name(cable.battery_connector),
        inverter_connector=connector_name(cable.inverter_connector),
        colours=cable.colours.upper(),
    )
    rows = [
        PinRow(
            signal_name(c.signal),
            _position(c.battery_position),
            c.battery_label,
            _position(c.inverter_position),
            c.inverter_label,
            c.colour or "",
            c.note,
            c.basis,
            c.signal,
            colour_text(c.colour),
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
        cut_at = cable.cut[0].cut_at
        if cut_at == "inverter":
            heading = _(
                "Cut back and insulate at the inverter end (the battery plug stays as it is): these conductors of "
                "the battery plug join nothing"
            )
        else:
            heading = _(
                "Cut back and insulate at the battery end (the inverter plug stays as it is): these conductors of "
                "the inverter plug join nothing"
            )
        presented.cut_heading = heading
        presented.cut = [
            (cut.position, cut.colour or "", colour_text(cut.colour), message(cut.reason)) for cut in cable.cut
        ]
    return presented


def _role(pack: PackSetting) -> str:
    if pack.role == "master":
        return "master"
    return "last slave" if pack.last else "slave"


def _pack(pack: PackSetting, count: int) -> PresentedPack:
    role = _role(pack)
    role_text = str(ROLE_TEXT[role])
    if pack.role == "master" and count > 1:
        title = _("Pack {number}: {role} (wired to the inverter)").format(number=pack.index, role=role_text)
    else:
        title = _("Pack {number}: {role}").format(number=pack.index, role=role_text)
    if pack.address is not None:
        title = _("{pack}, address {address}").format(pack=title, address=pack.address)
    banks = [PresentedBank(bank, bank.name, dip_summary(bank), bank.pattern) for bank in pack.banks]
    return PresentedPack(pack, title, role, banks, _said(pack.notes))


SEGMENT_TITLES = {
    "link": gettext_lazy("The BMS link ({bus}): the cable's two ends"),
    PACK_SEGMENT: gettext_lazy("The packs' own bus ({bus}): first and last pack"),
    ADAPTER_SEGMENT: gettext_lazy("The adapter's other side"),
}


def _where(end) -> str:
    parts = [end.device] if end.device else []
    parts.append(_("port '{port}'").format(port=end.port) if end.port else _("port not in the catalog"))
    if end.pack == 1:
        parts.append(_("on the master pack (the one wired to the inverter)"))
    elif end.pack is not None:
        parts.append(_("on the last pack ({number})").format(number=end.pack))
    return ", ".join(parts)


def _check(segment: Segment) -> str:
    if segment.bus == "can":
        lines = "CAN_H / CAN_L"
    elif segment.bus == "rs485":
        lines = "RS485 + / -"
    else:
        return _("Measure across the two bus lines as the makers' manuals say.")
    return _(
        "With the bus powered off, measure between {lines} on this segment: about 60 Ω when both ends are "
        "terminated, about 120 Ω when only one is."
    ).format(lines=lines)


def _segment(segment: Segment) -> PresentedSegment:
    bus = BUS_NAMES.get(segment.bus, segment.bus) if segment.bus else _("bus not stated")
    ends = [
        PresentedEnd(
            str(SIDE_TEXT.get(end.side, end.side)),
            _where(end) if end.device or end.port else "",
            message(end.action),
            end.basis != Basis.UNKNOWN,
            source_text(end.source),
        )
        for end in segment.ends
    ]
    title = str(SEGMENT_TITLES.get(segment.kind, segment.kind)).format(bus=bus)
    return PresentedSegment(title, ends, _check(segment))


def _link(c: Configuration) -> list[tuple[str, str]]:
    if not c.bus:
        return []
    if c.protocol:
        protocol = c.protocol + (f" ({bitrate_text(c.bitrate)})" if c.bitrate else "")
        if c.protocol_basis in (Basis.DOCUMENTED, Basis.DERIVED):
            protocol += f", {BASIS_TEXT[c.protocol_basis]}"
    elif c.protocol_choices:
        protocol = _("to choose: {protocols}").format(protocols=" / ".join(p.name for p in c.protocol_choices))
    else:
        protocol = _("not known: check on site")
    return [
        (_("Bus"), BUS_NAMES.get(c.bus, c.bus)),
        (_("Protocol"), protocol),
        (_("Battery port"), c.battery_port or _("not in the catalog")),
        (_("Inverter port"), c.inverter_port or _("not in the catalog")),
    ]


def _sources(c: Configuration) -> list[tuple[str, str, list[Source]]]:
    grouped: dict[str, list[Source]] = {}
    for s in c.sources:
        grouped.setdefault(s.document, []).append(s)
    return [(document, sections[0].title, sections) for document, sections in grouped.items()]


def present(c: Configuration) -> Presented:
    every = (
        (str(SIDE_TEXT["battery"]), c.battery_settings),
        (str(SIDE_TEXT["inverter"]), c.inverter_settings),
        (str(SIDE_TEXT["adapter"]), c.adapter_settings),
    )
    settings = [(title, [s for s in lines if not s.fallback]) for title, lines in every]
    settings = [(title, lines) for title, lines in settings if lines]
    fallback = [line for _title, lines in every for line in lines if line.fallback]
    settings_empty = "" if settings else _("No settings are known for this pair: check both manuals.")
    lines = [line for _title, group in settings for line in group]
    if lines and all(
        line.finding is not None and line.finding.code == Code.SETTING_PROTOCOL_UNKNOWN for line in lines
    ):
        settings, settings_empty = (
            [],
            _(  # said once for both sides
                "Not known: the protocol of this pair is not settled (see the reasons), so neither are the settings "
                "on either side; set them per the manuals once the protocol is known."
            ),
        )
    link = _link(c)
    link_line = ""
    if c.bus:
        link_line = _("{bus}, protocol {protocol}; battery port '{battery_port}' -> inverter port '{inverter_port}'")
        link_line = link_line.format(
            bus=link[0][1],
            protocol=link[1][1],
            battery_port=c.battery_port or "?",
            inverter_port=c.inverter_port or "?",
        )
    firmware_holds = bool(c.firmware) and c.verdict in (Verdict.DOCUMENTED, Verdict.DERIVED)
    return Presented(
        c=c,
        link_line=link_line,
        verdict=verdict_text(c.verdict, firmware=firmware_holds),
        firmware=[
            _("{device}: {condition} (the documented pairing)").format(device=r.device, condition=r.condition)
            if r.required_by == "pairing"
            else f"{r.device}: {r.condition}"
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
            item = finding_of(value)
            quoted = quote_language(item)
            return {**value, "message": message(item), **({"quote_language": quoted} if quoted else {})}
        return {key: _messages(item, finding_of) for key, item in value.items()}
    if isinstance(value, list):
        return [_messages(item, finding_of) for item in value]
    return value


def result_json(c: Configuration) -> dict:
    """The result's JSON form (``Configuration.to_dict``) with each finding's sentence as ``message`` beside its
    code and parameters, in the active language: what the API returns."""
    memo = c.__dict__  # once per result and language: results are immutable values, shared by the requests
    key = f"_api_json_{get_language()}"
    if key not in memo:
        memo[key] = _messages(c.to_dict(), finding_from_dict)
    return memo[key]
