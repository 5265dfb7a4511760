"""Each stage of the engine on its own (no database): the link chosen, the verdict judged, the settings."""

from configurator.domain.cable import compute_cable_mapping
from configurator.domain.configure import judge, settings, voltage_question
from configurator.domain.findings import Code
from configurator.domain.link import Link, NoLink, choose_link, choose_port, choose_protocol
from configurator.domain.types import DeviceProtocolSpec, Options, PairingSpec, SettingSpec
from configurator.messages import message
from tests.configurator.domain.test_configure import BATTERY, INVERTER, PYLON, SOURCE, device, port


def test_choose_link_takes_the_documented_pairing_on_the_bus_asked():
    pairing = PairingSpec("bat--inv", "bat", "inv", "can", "battery_maker", SOURCE, protocol=PYLON)
    link = choose_link(BATTERY, INVERTER, (pairing,), Options())
    assert isinstance(link, Link)
    assert (link.pairing, link.protocol_basis, link.battery_port.name) == (pairing, "documented", "CAN")
    assert isinstance(choose_link(BATTERY, INVERTER, (pairing,), Options(bus="rs485")), NoLink)


def test_choose_protocol_says_how_it_chose():
    protocol, basis, choices, found = choose_protocol(BATTERY, INVERTER, "can")
    assert (protocol, basis, choices, [f.code for f in found]) == (PYLON, "derived", (), [Code.PROTOCOL_SHARED])
    none = device("inv", "inverter", port("BMS", "battery_link"), protocols=())
    protocol, basis, _, found = choose_protocol(BATTERY, none, "can")
    assert (protocol, basis, found[0].code) == (None, "unknown", Code.PROTOCOL_NONE)


def test_choose_port_prefers_the_port_whose_link_pins_are_known():
    blind = port("CAN 1", "battery_link", pins={})
    known = port("CAN 2", "battery_link")
    chosen, found = choose_port(device("inv", "inverter", blind, known), "battery_link", "can", PYLON, side="inverter")
    assert chosen.name == "CAN 2"
    assert found == []


def test_judge_documented_derived_and_needs_check():
    link = choose_link(BATTERY, INVERTER, (), Options())
    cable = compute_cable_mapping("can", link.battery_port, link.inverter_port)
    verdict, reasons = judge(BATTERY, INVERTER, link, cable)
    assert (verdict, reasons[0].code) == ("derived", Code.NOT_DOCUMENTED)
    hv = device("bat", "battery", port("CAN", "inverter_link"), voltage="hv")
    unknown = device("inv", "inverter", port("BMS", "battery_link"), voltage="unknown")
    assert voltage_question(hv, unknown).severity == "danger"
    link = choose_link(hv, unknown, (), Options())
    verdict, reasons = judge(hv, unknown, link, compute_cable_mapping("can", link.battery_port, link.inverter_port))
    assert verdict == "needs_check"
    assert reasons[-1].code == Code.VOLTAGE_FIRST


def test_settings_come_from_the_pairing_first_then_the_devices_protocol_selection():
    lcd = DeviceProtocolSpec(PYLON, "lcd_menu", "Battery Setup > Lithium Mode", "00")
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(lcd,))
    link = choose_link(BATTERY, inverter, (), Options())
    lines = settings(link, BATTERY, inverter)
    assert [(s.name, s.value, s.basis) for s in lines["inverter"]] == [("Lithium Mode", "00", "derived")]
    documented = PairingSpec(
        "bat--inv", "bat", "inv", "can", "inverter_maker", SOURCE,
        settings=(SettingSpec("BMS Lithium Batt", "00", side="inverter"),),
    )  # fmt: skip
    link = choose_link(BATTERY, inverter, (documented,), Options())
    lines = settings(link, BATTERY, inverter)
    assert [(s.name, s.basis) for s in lines["inverter"]] == [("BMS Lithium Batt", "documented")]


def test_every_side_gets_a_settings_line_saying_what_is_known():
    fixed = device("bat", "battery", port("CAN", "inverter_link"), protocols=(DeviceProtocolSpec(PYLON, "fixed"),))
    silent = device("inv", "inverter", port("BMS", "battery_link"))  # speaks Pylon, no selection given
    link = choose_link(fixed, silent, (), Options())
    lines = settings(link, fixed, silent)
    assert [(s.finding.code, s.basis) for s in lines["battery"]] == [(Code.SETTING_NOTHING, "derived")]
    assert [(s.finding.code, s.basis) for s in lines["inverter"]] == [(Code.SETTING_NOTHING, "derived")]
    no_selection = device(
        "inv", "inverter", port("BMS", "battery_link"), protocols=(DeviceProtocolSpec(PYLON, "lcd_menu"),)
    )
    (line,) = settings(choose_link(fixed, no_selection, (), Options()), fixed, no_selection)["inverter"]
    assert (line.finding.code, line.basis) == (Code.SETTING_UNKNOWN, "unknown")
    assert "Not known: set Maker inv to accept Pylon CAN per its manual" in message(line.finding)
    unknown = device("inv", "inverter", port("BMS", "battery_link"), protocols=())
    link = choose_link(fixed, unknown, (), Options())
    (line,) = settings(link, fixed, unknown)["inverter"]
    assert (line.finding.code, line.basis) == (Code.SETTING_PROTOCOL_UNKNOWN, "unknown")


def test_an_inverter_the_sources_only_say_speaks_the_protocol_is_not_told_nothing():
    """A battery that speaks one protocol as shipped needs nothing set; an inverter the sources only say speaks it
    may still need its menu told (battery type, BMS protocol): that is not known, never "nothing to set"."""
    fixed = DeviceProtocolSpec(PYLON, "fixed")
    battery = device("bat", "battery", port("CAN", "inverter_link"), protocols=(fixed,))
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(fixed,))
    lines = settings(choose_link(battery, inverter, (), Options()), battery, inverter)
    assert [s.finding.code for s in lines["battery"]] == [Code.SETTING_NOTHING]
    (line,) = lines["inverter"]
    assert (line.finding.code, line.basis) == (Code.SETTING_NOT_STATED, "unknown")
    assert message(line.finding).startswith("Not known: the sources say Maker inv speaks Pylon CAN but not what")


def test_a_selection_brings_its_extra_settings():
    extra = SettingSpec("BMS_Err_Stop", "On", optional=True)
    lcd = DeviceProtocolSpec(PYLON, "lcd_menu", "BMS Lithium Batt", "00", extras=(extra,))
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(lcd,))
    lines = settings(choose_link(BATTERY, inverter, (), Options()), BATTERY, inverter)["inverter"]
    assert [(s.name, s.value, s.optional, s.basis) for s in lines] == [
        ("Protocol: Pylon CAN", "00", False, "derived"),
        ("BMS_Err_Stop", "On", True, "derived"),
    ]
    assert all(s.chain is not None and s.chain.code == Code.SETTING_DERIVED for s in lines)


def test_a_setting_derived_for_the_pair_says_the_other_end_speaks_the_protocol_too():
    lcd = DeviceProtocolSpec(PYLON, "lcd_menu", "Battery Setup > Lithium Mode", "00")
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(lcd,))
    speaks = DeviceProtocolSpec(PYLON, "automatic", source=SOURCE, derivation="its sibling speaks it")
    battery = device("bat", "battery", port("CAN", "inverter_link"), protocols=(speaks,))
    (line,) = settings(choose_link(battery, inverter, (), Options()), battery, inverter)["inverter"]
    assert message(line.chain) == (
        "Derived for this pair: no source pairs these two devices; Maker bat speaks Pylon CAN too (doc.txt, "
        "'section'; derived: its sibling speaks it)."
    )
    unnamed = PairingSpec("bat--inv", "bat", "inv", "can", "inverter_maker", SOURCE)  # no protocol named
    (line,) = settings(choose_link(battery, inverter, (unnamed,), Options()), battery, inverter)["inverter"]
    assert message(line.chain).startswith("Derived for this pair: the pairing's source does not name the protocol")
    named = PairingSpec("bat--inv", "bat", "inv", "can", "inverter_maker", SOURCE, protocol=PYLON)
    (line,) = settings(choose_link(battery, inverter, (named,), Options()), battery, inverter)["inverter"]
    assert (line.basis, line.chain) == ("documented", None)


def test_a_derived_selection_carries_its_chain():
    chain = "001 puts Pylon and Deye on one code; 002 sets Deye to CAN 00"
    lcd = DeviceProtocolSpec(PYLON, "lcd_menu", "Deye LCD", "CAN 00", derivation=chain)
    inverter = device("inv", "inverter", port("BMS", "battery_link"), protocols=(lcd,))
    (line,) = settings(choose_link(BATTERY, inverter, (), Options()), BATTERY, inverter)["inverter"]
    assert (line.name, line.value, line.basis, line.derivation) == ("Protocol: Pylon CAN", "CAN 00", "derived", chain)


def test_a_protocol_answers_to_its_slug_name_and_aliases():
    from configurator.domain.types import ProtocolSpec

    solis = ProtocolSpec("solis-can", "Solis CAN", "can", aliases=("SOLISCAN",))
    assert all(solis.named(name) for name in ("solis-can", "Solis CAN", "soliscan", "SOLIS-CAN", "SolisCAN"))
    assert not solis.named("solis")
