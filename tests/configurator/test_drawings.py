"""The SVG drawings the page and the sheet share: one coloured line per conductor, cut conductors marked, the
switches as set, catalog text escaped, and nothing fetched from outside."""

import xml.etree.ElementTree as ET

from configurator.domain.findings import Code, finding
from configurator.domain.result import BankSetting, Cable, Conductor, CutConductor, SwitchState
from configurator.drawings import WIRE_COLOURS, crimp_svg, dip_svg, wire_class

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 (our own output, under test)


def rj45_cable(**kw) -> Cable:
    return Cable(
        kind="custom",
        basis="documented",
        colours="t568b",
        battery_connector="rj45",
        inverter_connector="rj45",
        conductors=(
            Conductor("can_h", 4, 7, "CANH", "CAN H", "blue"),
            Conductor("can_l", 5, 8, "CANL", "CAN L", "white/blue"),
        ),
        cut=(
            CutConductor("battery", "inverter", 1, "white/orange", finding(Code.CUT_NOT_NEEDED)),
            CutConductor("battery", "inverter", 8, "brown", finding(Code.CUT_NOT_NEEDED)),
        ),
        **kw,
    )


def test_each_conductor_is_a_line_in_its_colour_with_the_stripe_for_white_pairs():
    root = parse(crimp_svg(rj45_cable()))
    conductors = root.findall(f"{SVG}g[@class='conductor']")
    assert [g.get("data-signal") for g in conductors] == ["can_h", "can_l"]

    def wires(group):
        return [p.get("stroke") for p in group.findall(f"{SVG}path") if p.get("class") in ("wire", "wire stripe")]

    assert wires(conductors[0]) == [WIRE_COLOURS["blue"]]
    assert wires(conductors[1]) == ["#ffffff", WIRE_COLOURS["blue"]]  # white, with a blue dashed stripe
    stripe = conductors[1].find(f"{SVG}path[@class='wire stripe']")
    assert stripe.get("stroke-dasharray") == "7 6"


def test_both_faces_show_every_position_and_the_cut_conductors_are_marked():
    root = parse(crimp_svg(rj45_cable()))
    numbers = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pin-number"]
    assert numbers == [str(n) for n in range(1, 9)] * 2
    cuts = root.findall(f"{SVG}g[@class='cut']")
    assert [g.get("data-position") for g in cuts] == ["1", "8"]
    assert "Conductors 1, 8 of the battery plug: cut back and insulate at the inverter end." in (
        root.find(f"{SVG}desc").text
    )


def test_a_terminal_block_shows_its_terminals_by_name():
    cable = Cable(
        "custom",
        "documented",
        "t568b",
        "rj45",
        "terminal_block",
        conductors=(Conductor("can_h", 1, "14", "CAN H", "CAN H", "white/orange"),),
    )
    root = parse(crimp_svg(cable))
    numbers = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pin-number"]
    assert numbers[-1] == "14"
    assert len(numbers) == 9


def test_catalog_text_is_escaped_and_nothing_is_fetched():
    cable = Cable(
        "custom",
        "derived",
        "t568b",
        "rj45",
        "rj45",
        conductors=(Conductor("can_h", 4, 4, '<script>alert("x")</script>', "&amp;", "blue"),),
    )
    svg = str(crimp_svg(cable))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # still well-formed XML
    assert not [el for el in root.iter() if el.get("href") or el.get("{http://www.w3.org/1999/xlink}href")]
    assert "url(" not in svg


def test_a_dip_bank_shows_each_switch_as_set():
    states = ["on", "off", "on", "on", "unknown", "leave"]
    bank = BankSetting("DIP", tuple(SwitchState(n, "address_bit", state=s) for n, s in enumerate(states, 1)))
    root = parse(dip_svg(bank, "Pack 1"))
    switches = root.findall(f"{SVG}g[@class='switch']")
    assert [(g.get("data-position"), g.get("data-on")) for g in switches] == [
        ("1", "true"),
        ("2", "false"),
        ("3", "true"),
        ("4", "true"),
        ("5", "unknown"),
        ("6", "leave"),
    ]
    assert "Pack 1: DIP: switch 1, 3, 4 ON; 5 not known (set from the manual); 6 left as they are" in root.get(
        "aria-label"
    )
    states = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "dip-state"]
    assert states == ["ON", "off", "ON", "ON", "?", "as is"]


def test_swatch_classes_name_the_colour():
    assert wire_class("white/orange") == "wire-white-orange"
    assert wire_class("blue") == "wire-blue"
    assert wire_class(None) == "wire-none"
