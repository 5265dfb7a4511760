"""The drawings the result page and the PDF sheet share, as inline SVG: the crimp diagram and each pack's DIP
switches. Every catalog text is escaped (format_html); nothing refers to anything outside the drawing. They are
styled with SVG presentation attributes, not CSS: WeasyPrint draws inline SVG without the page's stylesheets,
and a strict Content-Security-Policy forbids inline styles in the browser."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from configurator.domain.result import LEAVE, OFF, ON, UNKNOWN, BankSetting, Cable, Conductor
from configurator.domain.vocabulary import CONNECTOR_POSITIONS
from configurator.messages import colour_text, connector_name, signal_name

__all__ = ["WIRE_COLOURS", "connector_svg", "crimp_svg", "dip_summary", "dip_svg", "wire_class"]

# Conductor colours as drawn; "white/orange" is white with an orange stripe.
WIRE_COLOURS = {"orange": "#ef7d1a", "green": "#23914a", "blue": "#2158d1", "brown": "#74451c", "white": "#ffffff"}
NO_COLOUR = "#5b6470"
OUTLINE = "#1d232b"

# Presentation attributes per class, added to every element of that class once the drawing is built. Catalog
# text is escaped before it gets there, so it can never contain a class="..." attribute of its own.
_INK = "#1d232b"
_FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
PRESENTATION = {
    "face": f'fill="#f4f6f8" stroke="{_INK}" stroke-width="1.5"',
    "face-title": f'{_FONT} font-size="15" font-weight="700" fill="{_INK}"',
    "face-sub": f'{_FONT} font-size="12" fill="#444"',
    "pin": f'fill="#fff" stroke="{_INK}" stroke-width="1.2"',
    "pin-number": f'{_FONT} font-size="14" font-weight="700" fill="{_INK}"',
    "pin-label": f'{_FONT} font-size="11" fill="#333"',
    "wire-outline": f'fill="none" stroke="{_INK}" stroke-width="8" stroke-linecap="round"',
    "wire": 'fill="none" stroke-width="5" stroke-linecap="round"',
    "wire stripe": 'fill="none" stroke-width="5" stroke-dasharray="7 6"',
    "signal": f'{_FONT} font-size="11" font-weight="700" fill="{_INK}"',
    "cut-mark": 'fill="none" stroke="#c0161d" stroke-width="2.5"',
    "cut-text": f'{_FONT} font-size="11" font-weight="700" fill="#c0161d"',
    "dip-slot": f'fill="#d9dee4" stroke="{_INK}" stroke-width="1.2"',
    "dip-lever on": f'fill="{_INK}" stroke="{_INK}" stroke-width="1.2"',
    "dip-lever off": f'fill="#fff" stroke="{_INK}" stroke-width="1.2"',
    "dip-lever unknown": f'fill="#fff" stroke="{_INK}" stroke-width="1.2" stroke-dasharray="3 2"',
    "dip-lever leave": f'fill="#d9dee4" stroke="{_INK}" stroke-width="1.2" stroke-dasharray="1 2"',
    "dip-number": f'{_FONT} font-size="12" font-weight="700" fill="{_INK}"',
    "dip-state": f'{_FONT} font-size="11" fill="{_INK}"',
    "dip-on": f'{_FONT} font-size="12" font-weight="700" fill="{_INK}"',
    "dip-arrow": f'fill="none" stroke="{_INK}" stroke-width="2"',
    "dip-unsure": 'fill="none" stroke="#b35c00" stroke-width="2" stroke-dasharray="6 4"',
    "dip-mirror": f'{_FONT} font-size="11" font-style="italic" fill="#8a4700"',
}


def _presented(svg: str) -> SafeString:
    for name, attributes in PRESENTATION.items():
        svg = svg.replace(f'class="{name}"', f'class="{name}" {attributes}')
    return mark_safe(svg)  # noqa: S308 (built with format_html; only constant attributes added)


ROW = 34
TOP = 64
FACE_WIDTH = 132
WIDTH = 440
PIN = 24


def wire_class(colour: str | None) -> str:
    """The CSS class of a colour swatch (static/css/drawings.css): wire-blue, wire-white-orange, wire-none."""
    return "wire-" + (colour.replace("/", "-") if colour else "none")


def _order(key) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, str(key))


def _rows(connector: str, used) -> list:
    """The positions a connector face shows: all of a modular plug's, else the terminals the cable uses."""
    count = CONNECTOR_POSITIONS.get(connector)
    if count:
        return list(range(1, count + 1))
    return sorted({key for key in used if key is not None}, key=_order)


def _labels(conductors: tuple[Conductor, ...], end: str) -> dict:
    return {getattr(c, f"{end}_position"): getattr(c, f"{end}_label") for c in conductors}


def _face(x: int, title: str, connector: str, rows: list, labels: dict, pin_x: int, label_x: int, anchor: str):
    parts = [
        format_html(
            '<text x="{}" y="22" class="face-title" text-anchor="middle">{}</text>'
            '<text x="{}" y="40" class="face-sub" text-anchor="middle">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" rx="8" class="face"/>',
            x + FACE_WIDTH // 2,
            title,
            x + FACE_WIDTH // 2,
            connector_name(connector),
            x,
            TOP - 14,
            FACE_WIDTH,
            max(len(rows), 1) * ROW + 8,
        )
    ]
    for n, key in enumerate(rows):
        y = TOP + n * ROW
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" class="pin"/>'
                '<text x="{}" y="{}" class="pin-number" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" class="pin-label" text-anchor="{}">{}</text>',
                pin_x,
                y - PIN // 2 + 6,
                PIN,
                PIN,
                pin_x + PIN // 2,
                y + 11,
                key,
                label_x,
                y + 11,
                anchor,
                labels.get(key, "")[:12],
            )
        )
    return parts


def _wire(path: str, colour: str | None) -> SafeString:
    base = WIRE_COLOURS.get(colour.split("/", 1)[-1] if colour else "", NO_COLOUR)
    striped = bool(colour and colour.startswith("white/"))
    layers = format_html('<path d="{}" class="wire-outline"/>', path)
    if striped:
        layers += format_html('<path d="{}" stroke="#ffffff" class="wire"/>', path)
        layers += format_html('<path d="{}" stroke="{}" class="wire stripe"/>', path, base)
    else:
        layers += format_html('<path d="{}" stroke="{}" class="wire"/>', path, base)
    return layers


def crimp_svg(cable: Cable) -> SafeString:
    """Both connector faces with numbered positions, a coloured line per conductor, the cut conductors marked."""
    battery_rows = _rows(cable.battery_connector, [c.battery_position for c in cable.conductors])
    inverter_rows = _rows(cable.inverter_connector, [c.inverter_position for c in cable.conductors])
    if not CONNECTOR_POSITIONS.get(cable.battery_connector):
        battery_rows = sorted(
            set(battery_rows) | {c.position for c in cable.cut if c.kept_plug == "battery"}, key=_order
        )
    if not CONNECTOR_POSITIONS.get(cable.inverter_connector):
        inverter_rows = sorted(
            set(inverter_rows) | {c.position for c in cable.cut if c.kept_plug == "inverter"}, key=_order
        )
    height = TOP + max(len(battery_rows), len(inverter_rows), 1) * ROW + 12
    left, right = 8, WIDTH - FACE_WIDTH - 8
    b_pin_x, i_pin_x = left + FACE_WIDTH - PIN - 10, right + 10
    b_end, i_end = b_pin_x + PIN, i_pin_x

    parts = _face(
        left,
        _("Battery"),
        cable.battery_connector,
        battery_rows,
        _labels(cable.conductors, "battery"),
        b_pin_x,
        b_pin_x - 8,
        "end",
    )
    parts += _face(
        right,
        _("Inverter"),
        cable.inverter_connector,
        inverter_rows,
        _labels(cable.conductors, "inverter"),
        i_pin_x,
        i_pin_x + PIN + 8,
        "start",
    )
    y_of = {
        "battery": {key: TOP + n * ROW + 6 for n, key in enumerate(battery_rows)},
        "inverter": {key: TOP + n * ROW + 6 for n, key in enumerate(inverter_rows)},
    }
    for c in cable.conductors:
        yb, yi = y_of["battery"].get(c.battery_position), y_of["inverter"].get(c.inverter_position)
        if yb is None or yi is None:
            continue
        middle = (b_end + i_end) // 2
        path = f"M{b_end} {yb} C{middle} {yb} {middle} {yi} {i_end} {yi}"
        parts.append(format_html('<g class="conductor" data-signal="{}">{}', c.signal, _wire(path, c.colour)))
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="signal">{}</text></g>',
                b_end + 8,
                yb - 7,
                signal_name(c.signal),
            )
        )
    cut_word = pgettext("crimp diagram: a conductor to cut", "cut")
    for cut in cable.cut:
        y = y_of[cut.kept_plug].get(cut.position)
        if y is None:
            continue
        start, step = (b_end, 1) if cut.kept_plug == "battery" else (i_end, -1)
        stub_end = start + step * 44
        parts.append(
            format_html(
                '<g class="cut" data-position="{}">{}'
                '<path d="M{} {} l12 12 M{} {} l-12 12" class="cut-mark"/>'
                '<text x="{}" y="{}" class="cut-text" text-anchor="{}">{}</text></g>',
                cut.position,
                _wire(f"M{start} {y} L{stub_end} {y}", cut.colour),
                stub_end + step * 4 - (0 if step > 0 else 12),
                y - 6,
                stub_end + step * 4 + (12 if step > 0 else 0),
                y - 6,
                stub_end + step * 22,
                y + 5,
                "start" if step > 0 else "end",
                cut_word,
            )
        )
    description = _joins(cable) + "."
    if cable.cut:
        cuts = ", ".join(str(c.position) for c in cable.cut)
        if cable.cut[0].cut_at == "inverter":
            said = _("Conductors {cuts} of the battery plug: cut back and insulate at the inverter end.")
        else:
            said = _("Conductors {cuts} of the inverter plug: cut back and insulate at the battery end.")
        description += " " + said.format(cuts=cuts)
    return _presented(
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="crimp-diagram" role="img" '
            'aria-labelledby="crimp-title crimp-desc"><title id="crimp-title">{}</title>'
            '<desc id="crimp-desc">{}</desc>{}</svg>',
            WIDTH,
            height,
            _("Crimp diagram"),
            description,
            mark_safe("".join(parts)),  # noqa: S308 (every part built with format_html)
        )
    )


# The drawing's size on a page: its smallest text (11 units) at 14 px or more. The sheet sets its own size.
DIP_SCALE = 1.3
DIP_LEVER_Y = {"on": 14, "off": 44, "leave": 29, "unknown": 29}


def _joins(cable: Cable) -> str:
    """Each conductor in words, for readers of the drawing's text: "CAN_H: battery 4 to inverter 4 (blue)"."""
    said = []
    for c in cable.conductors:
        if c.battery_position is None or c.inverter_position is None:
            continue
        words = {"signal": signal_name(c.signal), "battery": c.battery_position, "inverter": c.inverter_position}
        if c.colour:
            said.append(
                _("{signal}: battery {battery} to inverter {inverter} ({colour})").format(
                    **words, colour=colour_text(c.colour)
                )
            )
        else:
            said.append(_("{signal}: battery {battery} to inverter {inverter}").format(**words))
    return "; ".join(said)


def _state_text(state: str) -> str:
    """Under each drawn switch: ON and OFF as the switch prints them, "as is" and "?" in words."""
    if state == "leave":
        return pgettext("DIP switch: leave it as it is", "as is")
    return {"on": "ON", "off": "off", "unknown": "?"}[state]


def dip_svg(bank: BankSetting, title: str = "") -> SafeString:
    """One DIP bank of one pack: each switch with its number, its lever up (ON), down (OFF), or in the middle with "?"
    (not known: set from the manual, never read as OFF) or "as is" (leave it), and ON marked."""
    cell, left = 30, 42
    width = left + len(bank.switches) * cell + 8
    height = 136 if bank.numbering_unsure else 116
    parts = [mark_safe(_ON_MARK)]  # noqa: S308 (a constant of this module)
    if bank.numbering_unsure:  # which end is switch 1 is not stated, and it matters: both readings, dashed frame
        parts.append(
            format_html(
                '<rect x="1" y="1" width="{}" height="{}" rx="4" class="dip-unsure"/>'
                '<text x="4" y="124" class="dip-mirror">{}</text>',
                width - 2,
                height - 2,
                pgettext("DIP switch numbering: the other reading", "or"),
            )
        )
    for n, switch in enumerate(bank.switches):
        x = left + n * cell
        setting = switch.state
        lever_y = DIP_LEVER_Y[setting]
        parts.append(
            format_html(
                '<g class="switch" data-position="{}" data-on="{}">'
                '<rect x="{}" y="10" width="22" height="64" rx="3" class="dip-slot"/>'
                '<rect x="{}" y="{}" width="16" height="26" rx="2" class="dip-lever {}"/>'
                '<text x="{}" y="92" class="dip-number" text-anchor="middle">{}</text>'
                '<text x="{}" y="108" class="dip-state" text-anchor="middle">{}</text></g>',
                switch.position,
                {"on": "true", "off": "false"}.get(setting, setting),
                x,
                x + 3,
                lever_y,
                setting,
                x + 11,
                switch.position,
                x + 11,
                _state_text(setting),
            )
        )
        if bank.numbering_unsure:
            parts.append(
                format_html(
                    '<text x="{}" y="124" class="dip-mirror" text-anchor="middle">({})</text>',
                    x + 11,
                    bank.mirrored(switch.position),
                )
            )
    title = f"{title}{': ' if title else ''}{bank.name}: {dip_summary(bank)}"
    return _presented(
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" class="dip-drawing" '
            'role="img" aria-label="{}">{}</svg>',
            width,
            height,
            round(width * DIP_SCALE),
            round(height * DIP_SCALE),
            title,
            format_html_join("", "{}", ((part,) for part in parts)),
        )
    )


def dip_summary(bank: BankSetting) -> str:
    """The switch settings in words, the same on the page, the sheet and the terminal."""
    on, unknown, leave = bank.positions(ON), bank.positions(UNKNOWN), bank.positions(LEAVE)
    parts = [_switches_on(on)]
    if unknown:
        parts.append(_("{switches} not known (set from the manual)").format(switches=", ".join(map(str, unknown))))
    if leave:
        parts.append(_("{switches} left as they are").format(switches=", ".join(map(str, leave))))
    if bank.positions(OFF):
        parts.append(_("the rest OFF"))
    if bank.numbering_unsure:
        other = _switches_on(sorted(map(bank.mirrored, on)))
        parts.append(
            _(
                "the source does not say which end is switch 1: check the numbers printed on the switch (counted "
                "from the other end: {other})"
            ).format(other=other)
        )
    return "; ".join(parts)


def _switches_on(on: list[int]) -> str:
    if not on:
        return _("no switch ON")
    return _("switch {switches} ON").format(switches=", ".join(map(str, on)))


_ON_MARK = '<text x="4" y="22" class="dip-on">ON</text><path d="M14 30 l0 26 M8 36 l6 -7 l6 7" class="dip-arrow"/>'


def connector_svg(connector: str, positions: int | None, pins: list[tuple[int | str, str, str]]) -> SafeString:
    """One connector face, as the crimp diagram draws it: every position (or terminal), its maker's label and the
    signal it carries. ``pins`` are (position or terminal, signal, label); the admin shows it while a port is
    edited."""
    count = CONNECTOR_POSITIONS.get(connector) or positions
    rows = list(range(1, count + 1)) if count else sorted({key for key, _, _ in pins}, key=_order)
    rows += sorted({key for key, _, _ in pins} - set(rows), key=_order)  # anything beyond: shown, to be fixed
    labels = {key: label for key, _, label in pins}
    signals = {key: signal for key, signal, _ in pins}
    width = FACE_WIDTH + 150
    pin_x = FACE_WIDTH - PIN - 10
    parts = _face(8, _("Port"), connector, rows, labels, pin_x, pin_x - 8, "end")
    for n, key in enumerate(rows):
        signal = signals.get(key)
        text = signal_name(signal) if signal else _("(not documented)")
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="signal" data-position="{}">{}</text>',
                FACE_WIDTH + 16,
                TOP + n * ROW + 11,
                key,
                text,
            )
        )
    height = TOP + max(len(rows), 1) * ROW + 12
    described = "; ".join(f"{key}: {signal_name(signal)}" for key, signal, _label in pins)
    return _presented(
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="connector-face" role="img" '
            'aria-label="{}">{}</svg>',
            width,
            height,
            described or _("No pins yet"),
            mark_safe("".join(parts)),  # noqa: S308 (every part built with format_html)
        )
    )
