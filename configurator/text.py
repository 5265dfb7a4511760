"""A configuration as plain text, for the terminal (``manage.py configure``). Same presentation as the wizard
and the PDF (``configurator/presentation.py``)."""

from __future__ import annotations

from configurator.domain import Configuration
from configurator.messages import message
from configurator.presentation import PresentedCable, present, source_text

__all__ = ["configuration_text", "source_text"]


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _pin(position: str, label: str) -> str:
    return f"{position} ({label})" if label else position


def _cable(p: PresentedCable) -> list[str]:
    lines = [f"Cable: {p.title}. {p.origin} {p.ends}"]
    rows = [("Signal", "Battery pin", "Inverter pin", "Colour")]
    for row in p.rows:
        rows.append(
            (
                row.signal,
                _pin(row.battery, row.battery_label),
                _pin(row.inverter, row.inverter_label),
                row.colour or "-",
            )
        )
    lines += _table(rows)
    lines += [f"  note ({row.signal}): {row.note}" for row in p.rows if row.note]
    if p.cut:
        lines.append(f"  {p.cut_heading}:")
        lines += [f"    pin {position} ({colour or '-'}): {reason}" for position, _colour, colour, reason in p.cut]
    lines += [f"  why not a straight cable: {hazard.text}" for hazard in p.hazards]
    lines += [f"  note: {note.text}" for note in p.notes]
    return lines


def configuration_text(c: Configuration) -> str:
    """The readable form: verdict, link, cable table with colours, DIP per pack, termination, settings, sources."""
    p = present(c)
    lines = [f"{c.battery.title}  +  {c.inverter.title}" + (f"  (via {c.adapter.name})" if c.adapter else "")]
    lines.append(f"Verdict: {p.verdict}")
    lines += [f"  Firmware to check on site: {line}" for line in p.firmware]
    lines += [f"  - {reason.text}" for reason in p.reasons]
    if p.link_line:
        lines.append(f"Link: {p.link_line}")
    if p.cable:
        lines += ["", *_cable(p.cable)]
    if p.packs:
        lines += ["", f"Packs ({len(p.packs)}):"]
        rows = [("Pack", "Role", "Address", "Bank", "Switches ON", "Pattern")]
        for pack in p.packs:
            address = "-" if pack.pack.address is None else str(pack.pack.address)
            for n, bank in enumerate(pack.banks or [None]):
                first = n == 0
                on = "-" if bank is None else (", ".join(map(str, bank.bank.positions("on"))) or "none")
                if bank is not None and bank.bank.numbering_unsure:
                    mirrored = sorted(map(bank.bank.mirrored, bank.bank.positions("on")))
                    on += f" (or {', '.join(map(str, mirrored))}?)"
                rows.append(
                    (
                        str(pack.pack.index) if first else "",
                        pack.role if first else "",
                        address if first else "",
                        "-" if bank is None else bank.name,
                        on,
                        "-" if bank is None else bank.pattern,
                    )
                )
        lines += _table(rows)
        if any(bank.bank.numbering_unsure for pack in p.packs for bank in pack.banks):
            lines.append(
                "  (or n?): the source does not say which end is switch 1; check the numbers printed on the switch."
            )
        for pack in p.packs:
            lines += [f"  pack {pack.pack.index}: {note.text}" for note in pack.notes]
        if any(pack.banks for pack in p.packs):
            lines.append(f"  Patterns: {p.pattern_legend}.")
    if p.segments:
        lines += ["", "Termination (120 Ω at each end of every bus segment):"]
        for segment in p.segments:
            lines.append(f"  {segment.title}")
            for end in segment.ends:
                where = f", {end.where}" if end.where else ""
                lines.append(f"    {end.side}{where}: {end.action}")
            lines.append(f"    Check: {segment.check}")
    for title, settings in p.settings:
        lines += ["", f"{title} settings:"]
        for s in settings:
            if s.finding is not None:
                lines.append(f"  {message(s.finding)}")
                lines += [f"    {s.note}"] if s.note else []
                lines += [f"    {message(s.chain)}"] if s.chain is not None else []
                continue
            value = f" = {s.value}" if s.value else ""
            where = f"  [{s.menu_path}]" if s.menu_path else ""
            optional = " (optional)" if s.optional else ""
            derived = " (derived)" if s.basis == "derived" else ""
            lines.append(f"  {s.name}{value}{where}{optional}{derived}")
            if s.derivation:
                lines.append(f"    derived: {s.derivation}")
            if s.chain is not None:
                lines.append(f"    {message(s.chain)}")
            if s.note:
                lines.append(f"    {s.note}")
            if s.source:
                lines.append(f"    source: {source_text(s.source)}")
    if p.settings_empty:
        lines += ["", p.settings_empty]
    if p.fallback:
        lines += ["", "Fallback without BMS communication (only if the link does not work):"]
        lines += [f"  {s.name}{' = ' + s.value if s.value else ''}" for s in p.fallback]
    if p.warnings:
        lines += ["", "Warnings:", *[f"  ! {warning.text}" for warning in p.warnings]]
    if p.sources:
        lines += ["", "Sources:"]
        for document, title, sections in p.sources:
            lines.append(f"  {document}" + (f": {title}" if title else ""))
            lines += [f"    - {s.section}" + (f", page {s.page}" if s.page else "") for s in sections]
    return "\n".join(lines) + "\n"
