"""A configuration as plain text, for the terminal (``manage.py configure``). Same facts as the wizard and the PDF."""

from __future__ import annotations

from configurator.domain import Configuration, Verdict
from configurator.domain.result import Cable, SettingLine
from configurator.domain.types import Source
from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, SIGNAL_NAMES

__all__ = ["VERDICT_TEXT", "configuration_text", "source_text"]

VERDICT_TEXT = {
    Verdict.DOCUMENTED: "DOCUMENTED: a source documents this pair",
    Verdict.DERIVED: "DERIVED: no source documents this pair; the answer follows from both pin tables",
    Verdict.NEEDS_CHECK: "NEEDS CHECK: the sources leave something open (the reasons say what, and where to look)",
    Verdict.INCOMPATIBLE: "INCOMPATIBLE",
}


def source_text(source: Source | None) -> str:
    if source is None:
        return ""
    page = f", page {source.page}" if source.page else ""
    return f"{source.document}, section '{source.section}'{page}"


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _position(position: int | str | None, label: str) -> str:
    if position is None:
        return "-"
    return f"{position} ({label})" if label else str(position)


def _cable(cable: Cable) -> list[str]:
    kind = "straight patch cable" if cable.standard else "custom cable"
    origin = "as the source documents it" if cable.documented else "derived from the pin tables"
    ends = f"{CONNECTOR_NAMES.get(cable.battery_connector, cable.battery_connector)} at the battery, "
    ends += f"{CONNECTOR_NAMES.get(cable.inverter_connector, cable.inverter_connector)} at the inverter"
    lines = [f"Cable: {kind}, {origin}; {ends}; colours {cable.colours.upper()}"]
    rows = [("Signal", "Battery pin", "Inverter pin", "Colour")]
    for c in cable.conductors:
        rows.append(
            (
                SIGNAL_NAMES.get(c.signal, c.signal),
                _position(c.battery_position, c.battery_label),
                _position(c.inverter_position, c.inverter_label),
                c.colour or "-",
            )
        )
    lines += _table(rows)
    lines += [f"  note ({SIGNAL_NAMES.get(c.signal, c.signal)}): {c.note}" for c in cable.conductors if c.note]
    if cable.cut:
        lines.append(f"  Cut back and insulate at the {cable.cut[0].end} plug:")
        lines += [f"    pin {cut.position} ({cut.colour or '-'}): {cut.reason}" for cut in cable.cut]
    lines += [f"  hazard: {hazard}" for hazard in cable.hazards]
    lines += [f"  note: {note}" for note in cable.notes]
    return lines


def _settings(title: str, settings: tuple[SettingLine, ...]) -> list[str]:
    if not settings:
        return []
    lines = [title]
    for s in settings:
        value = f" = {s.value}" if s.value else ""
        where = f"  [{s.menu_path}]" if s.menu_path else ""
        optional = " (optional)" if s.optional else ""
        lines.append(f"  {s.name}{value}{where}{optional}")
        if s.note:
            lines.append(f"    {s.note}")
        if s.source:
            lines.append(f"    source: {source_text(s.source)}")
    return lines


def configuration_text(c: Configuration) -> str:
    """The readable form: verdict, link, cable table with colours, DIP per pack, termination, settings, sources."""
    lines = [f"{c.battery.name}  +  {c.inverter.name}" + (f"  (via {c.adapter.name})" if c.adapter else "")]
    lines.append(f"Verdict: {VERDICT_TEXT[c.verdict]}")
    lines += [f"  - {reason}" for reason in c.reasons]
    if c.bus:
        bitrate = f", {c.bitrate // 1000} kbit/s" if c.bitrate else ""
        protocol = f"protocol {c.protocol}{bitrate}" if c.protocol else "protocol unknown"
        ports = f"battery port '{c.battery_port}' -> inverter port '{c.inverter_port}'"
        lines.append(f"Link: {BUS_NAMES[c.bus]}, {protocol}; {ports}")
    if c.cable:
        lines += ["", *_cable(c.cable)]
    if c.packs:
        lines += ["", f"Packs ({len(c.packs)}):"]
        rows = [("Pack", "Role", "Address", "Switches ON", "Pattern")]
        for pack in c.packs:
            role = "master" if pack.role == "master" else "last slave" if pack.last else "slave"
            on = ", ".join(map(str, pack.on_positions)) or ("none" if pack.switches else "-")
            address = "-" if pack.address is None else str(pack.address)
            rows.append((str(pack.index), role, address, on, pack.pattern or "-"))
        lines += _table(rows)
        lines += [f"  pack {pack.index}: {pack.note}" for pack in c.packs if pack.note]
        if c.packs[0].switches:
            lines.append(
                "  Pattern: switch 1 first; 1 ON, 0 OFF, x leave as it is, ? not known (set from the manual)."
            )
    if c.termination:
        lines += ["", "Termination (120 ohm at each end of the bus):"]
        lines += [f"  {step.end}: {step.where}: {step.action}" for step in c.termination.steps]
        lines.append(f"  Check: {c.termination.check}")
    for title, settings in (
        ("Battery settings:", c.battery_settings),
        ("Inverter settings:", c.inverter_settings),
        ("Adapter settings:", c.adapter_settings),
    ):
        block = _settings(title, settings)
        lines += ["", *block] if block else []
    if c.warnings:
        lines += ["", "Warnings:", *[f"  ! {warning}" for warning in c.warnings]]
    if c.sources:
        lines += ["", "Sources:"]
        for document in dict.fromkeys(s.document for s in c.sources):
            sections = [s for s in c.sources if s.document == document]
            title = sections[0].title
            lines.append(f"  {document}" + (f": {title}" if title else ""))
            lines += [f"    - {s.section}" + (f", page {s.page}" if s.page else "") for s in sections]
    return "\n".join(lines) + "\n"
