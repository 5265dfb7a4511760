"""Golden answers typed from the source documents' own words (../seeds), never read from the catalog's rows: what
the engine says for the shipped catalog must match what the sources print. Each case quotes the line it rests on."""

import pytest

from configurator.domain import Code, Options
from configurator.messages import message
from configurator.services import configuration_build

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def joins(result) -> list[tuple[str, object, object]]:
    return [(c.signal, c.battery_position, c.inverter_position) for c in result.cable.conductors]


def patterns(result) -> list[str]:
    return ["".join(bank.pattern for bank in pack.banks) for pack in result.packs]


def test_001_victron_custom_cable_and_dip_table():
    """001 §1: CAN port "4 CANH, 5 CANL". §3: "Victron CAN 7H, 8L Customized network cable".
    §2: "16 OFF OFF OFF OFF ON OFF Victron SMA,SOFAR"; Pack1 "ON OFF OFF OFF OFF OFF", Pack2 "OFF ON OFF OFF OFF
    OFF", Pack3 "ON ON OFF OFF OFF OFF"; "(select by DIP 5 and 6 in host mode)"."""
    result = configuration_build(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=4))
    assert result.bus == "can"
    assert not result.cable.standard
    assert joins(result) == [("can_h", 4, 7), ("can_l", 5, 8)]
    assert patterns(result) == ["000010", "100000", "010000", "110000"]


def test_001_deye_takes_a_standard_cable_and_the_pylon_deye_code():
    """001 §3: "Deye CAN 4H, 5L OK" (Use standard network cables); §2: "32 OFF OFF OFF OFF OFF ON Pylon, Deye"."""
    result = configuration_build(battery="generic-lfp-bms", inverter="deye-hybrid", options=Options(packs=2))
    assert result.cable.standard
    assert result.cable.cut == ()
    assert ("can_h", 4, 4) in joins(result)
    assert ("can_l", 5, 5) in joins(result)
    assert patterns(result)[0] == "000001"


def test_001_voltronic_rs485_crosses_a_and_b_by_meaning():
    """001 §1: RS485 port "RS485-B" and "RS485-A" (pins 1 and 2 of the 8-pin plug); §3: "Voltronic 485 3B, 5A
    Customized network cable"; §2 RS485: "32 ... OFF ON Voltronic"."""
    result = configuration_build(battery="generic-lfp-bms", inverter="voltronic-inverter")
    assert result.bus == "rs485"
    assert not result.cable.standard
    assert sorted(joins(result)) == [("rs485_n", 1, 3), ("rs485_p", 2, 5)]
    assert patterns(result)[0] == "000001"


def test_000_lg_resu_10h_prime_enable_loop_terminals_and_section_d():
    """000, RESU 10H Prime: "First, connect the enable ground wire to Terminal 2. Connect the enable 12V positive
    line to Terminal 1. ... RS485 (A+, B-) lines to Terminals 3 and 4 ... CAN (high, low) lines to Terminals 5
    and 6"; "Section D: Do not connect the internal communication ports"."""
    result = configuration_build(battery="lg-resu-10h-prime", inverter="solis-s6-eh3p-h-eu")
    assert result.bus == "can"
    battery_ends = {(c.signal, c.battery_position) for c in result.cable.conductors}
    assert {("can_h", 5), ("can_l", 6)} <= battery_ends
    assert {("enable_p", 1), ("enable_n", 2)} <= battery_ends  # the enable loop is part of the cable
    enable_n = next(c for c in result.cable.conductors if c.signal == "enable_n")
    assert "First connect the enable ground" in enable_n.note
    assert Code.ENABLE_END_UNKNOWN in [w.code for w in result.warnings]  # Solis's enable terminals: not in 000
    for packs in (1, 2):
        stacked = configuration_build(
            battery="lg-resu-10h-prime", inverter="solis-s6-eh3p-h-eu", options=Options(packs=packs)
        )
        ends = [end.port for segment in stacked.termination.segments for end in segment.ends]
        assert "Section D" not in ends
    assert any("do not connect" in w.values.get("text", "") for w in result.warnings)


def test_000_weco_all_off_and_the_last_slave_apart():
    """000, WeCo 5K3 XP / 4K4 LT: "DIP switched are set all OFF (00000000). Only DIP of last slave must be set
    differently (00000100)."""
    for battery in ("weco-5k3-xp", "weco-4k4-lt"):
        result = configuration_build(battery=battery, inverter="deye-hybrid", options=Options(packs=3))
        assert patterns(result) == ["00000000", "00000000", "00000100"]
        assert patterns(configuration_build(battery=battery, inverter="deye-hybrid")) == ["00000000"]


def test_003_sok_binary_ids_and_the_sol_ark_settings():
    """003 "Binary Numbering": "13 (decimal) =1101 binary = [1: ON, 2: OFF, 3: ON, 4: ON]"; the battery talking to
    the inverter is ID 1. "BMS 00": "Enable 'BMS Lithium Batt' and set its value to 00"; "Communication Cable":
    a standard cable."""
    result = configuration_build(battery="sok-battery", inverter="sol-ark-inverter", options=Options(packs=13))
    assert result.packs[0].address == 1
    assert result.packs[12].address == 13
    assert result.packs[12].banks[0].positions("on") == (1, 3, 4)
    assert result.cable.standard
    assert ("BMS Lithium Batt", "00") in [(s.name, s.value) for s in result.inverter_settings]


def test_004_pcs_port_wires_can_on_channel_1_and_never_joins_the_switch_output():
    """004 §5: PCS port "3 CAN1_G, 4 CAN1_H, 5 CAN1_L, 6 HSS8" (a high-side switch output), "7 485A, 8 485B"
    without saying which is + (so the polarity is an assumption the sheet states)."""
    result = configuration_build(battery="battery-can-pcs-debug", inverter="deye-hybrid")
    battery_ends = {(c.signal, c.battery_position) for c in result.cable.conductors}
    assert {("can_h", 4), ("can_l", 5)} <= battery_ends
    assert all(c.battery_position != 6 for c in result.cable.conductors)
    rs485 = configuration_build(
        battery="battery-can-pcs-debug", inverter="voltronic-inverter", options=Options(bus="rs485")
    )
    assert Code.POLARITY_ASSUMED in [note.code for note in rs485.cable.notes]


@pytest.mark.parametrize("battery", ["pylontech-us5000", "generic-lfp-bms"])
def test_deye_is_set_to_can_00_for_a_pylon_speaking_battery_marked_derived(battery):
    """001 §2: "32 OFF OFF OFF OFF OFF ON Pylon, Deye"; 002 "DEYE HYBRID BMS / CAN PIN OUT": "FROM DEYE LCD
    SELECT - CAN 00". No source prints CAN 00 for a Pylon battery: the setting is derived, and says from what."""
    result = configuration_build(battery=battery, inverter="deye-hybrid")
    (line,) = [s for s in result.inverter_settings if s.value == "CAN 00"]
    assert line.basis == "derived"
    assert "001" in line.derivation
    assert "002" in line.derivation


def test_the_settings_say_what_is_not_known_instead_of_vanishing(client):
    result = configuration_build(battery="sok-battery", inverter="deye-hybrid")
    assert [s.finding.code for s in result.inverter_settings] == [Code.SETTING_PROTOCOL_UNKNOWN]
    page = client.get("/result/", {"inverter": "deye-hybrid", "battery": "sok-battery"})
    assert '<h2 id="settings-none">Settings</h2>' in page.text  # said once, for both sides
    assert "Not known: the protocol of this pair is not settled" in page.text


def test_protocols_are_found_by_the_names_makers_print():
    """002 "WeCo Monitor, PROTOCOL SETTING PAGE": Inverter Protocol values such as SOLISCAN, VICTRONCAN."""
    from tests.factories import api_client

    client = api_client(None)
    rows = client.get("/api/v1/devices/", {"protocol": "soliscan", "page_size": 200}).json()["results"]
    slugs = {row["slug"] for row in rows}
    assert {"weco-5k3-xp", "solis-rhi-48es-5g"} <= slugs
    assert "deye-hybrid" not in slugs
    detail = client.get("/api/v1/devices/weco-5k3-xp/").json()
    solis = next(p for p in detail["protocols"] if p["protocol"] == "solis-can")
    assert solis["aliases"] == ["SOLISCAN"]
    by_alias = configuration_build(
        battery="weco-5k3-xp", inverter="victron-color-control", options=Options(protocol="VICTRONCAN")
    )
    assert by_alias.protocol_slug == "victron-can"


def test_002_solis_rhi_with_weco_soliscan_and_weco_battery():
    """000 "WeCo: 5K3 XP / 4K4 LT": "GND PIN 3 PIN 2 / CAN -L- PIN 2 PIN 5 / CAN -H- PIN 1 PIN 4"; 002 "SOLIS RHI
    BMS / CAN PIN OUT": "FROM SOLIS RHI SELECT - WECO BATTERY"; the PC tool's Inverter Protocol: SOLISCAN."""
    result = configuration_build(battery="weco-5k3-xp", inverter="solis-rhi-48es-5g")
    assert (result.verdict, result.protocol_slug) == ("documented", "solis-can")
    assert sorted(joins(result)) == [("can_h", 1, 4), ("can_l", 2, 5), ("gnd", 3, 2)]
    assert [(s.name, s.value, s.basis) for s in result.battery_settings] == [
        ("Inverter Protocol", "SOLISCAN", "documented")
    ]
    assert [(s.name, s.value, s.basis) for s in result.inverter_settings] == [
        ("Battery Selection", "WECO BATTERY", "documented")
    ]


def test_000_the_rest_of_the_solis_low_voltage_family_gets_soliscan_derived_and_its_menu_value_unknown():
    """000 gives one WeCo crimp table for the whole low-voltage family; 002 names SOLISCAN and WECO BATTERY for the
    RHI only: for the S5 the battery's SOLISCAN is derived (and says why), the inverter's value is not known."""
    result = configuration_build(battery="weco-5k3-xp", inverter="solis-s5-eh1p-l")
    (battery,) = result.battery_settings
    assert (battery.value, battery.basis) == ("SOLISCAN", "derived")
    assert "the pairing's source does not name the protocol" in message(battery.chain)
    assert "No source names the protocol for this model" in message(battery.chain)
    (inverter,) = result.inverter_settings
    assert inverter.finding.code == Code.SETTING_UNKNOWN
    assert "(Battery Selection)" in message(inverter.finding)


def test_003_sol_ark_bms_lithium_batt_00_and_the_optional_bms_err_stop():
    """003 "BMS 00": "Enable 'BMS Lithium Batt' and set its value to '00.'"; "BMS Error Stop Option": "If you wish
    for the system to fault on the loss of battery communications, turn on 'BMS_Err_Stop'"."""
    result = configuration_build(battery="sok-battery", inverter="sol-ark-inverter")
    assert result.protocol_slug == "sol-ark-bms-00"
    assert [(s.name, s.value, s.optional) for s in result.inverter_settings] == [
        ("BMS Lithium Batt", "00", False),
        ("BMS_Err_Stop", "On", True),
    ]
    (battery,) = result.battery_settings
    assert battery.finding.code == Code.SETTING_NOTHING  # 003 sets nothing on the battery's protocol


def test_002_phocos_is_set_to_uec_and_the_lost_weco_screenshot_is_said():
    """002 "PHOCOS ANY GRID PSW CAN PIN OUT": "CAN- L PIN 7 PIN 2 / CAN -H- PIN 6 PIN1", GND "-"; "SELECT UEC from
    PHOCOS LCD MENU * Battery Selection"; the WeCo Monitor picture that follows is lost."""
    result = configuration_build(battery="weco-5k3-xp", inverter="phocos-any-grid-psw")
    assert sorted(joins(result)) == [("can_h", 1, 6), ("can_l", 2, 7)]
    assert [(s.name, s.value, s.basis) for s in result.inverter_settings] == [
        ("Battery Selection", "UEC", "documented")
    ]
    (battery,) = result.battery_settings
    assert (battery.finding.code, battery.basis) == (Code.SETTING_PROTOCOL_UNKNOWN, "unknown")
    assert any("screenshot" in w.values.get("text", "") for w in result.warnings)


@pytest.mark.parametrize(
    ("inverter", "bus", "bits", "basis"),
    [
        ("luxpower-inverter", "can", "00", "documented"),  # "0 ... OFF OFF Luxpower"
        ("deye-hybrid", "can", "01", "documented"),  # "32 ... OFF ON Pylon, Deye"
        ("victron-color-control", "can", "10", "documented"),  # "16 ... ON OFF Victron SMA,SOFAR"
        ("sma-sunny-island", "can", "10", "documented"),
        ("sofar-inverter", "can", "10", "documented"),
        ("growatt-spf", "can", "11", "documented"),  # "48 ... ON ON Growatt"
        ("srne-inverter", "rs485", "00", "documented"),  # RS485: "0 ... OFF OFF SRNE"
        ("voltronic-inverter", "rs485", "01", "documented"),  # RS485: "32 ... OFF ON Voltronic"
        ("growatt-spf", "rs485", "11", "documented"),  # RS485: "48 ... ON ON Growatt"
        ("solis-rhi-48es-5g", "can", "01", "derived"),  # Solis has no DIP row: Pylon CAN, as 000's Pylon list says
        ("goodwe-inverter", "can", "??", "unknown"),  # section 3 lists these brands, the DIP table does not
        ("sol-ark-inverter", "can", "??", "unknown"),
        ("sorotec-inverter", "can", "??", "unknown"),
        ("mpp-solar-inverter", "rs485", "??", "unknown"),
        ("tronte-inverter", "rs485", "??", "unknown"),
    ],
)
def test_001_the_generic_bms_protocol_bits_per_inverter_brand(inverter, bus, bits, basis):
    """001 §2: "Inverter communication protocol Select CAN communication (select by DIP 5 and 6 in host mode)" and
    the RS485 table; the host (pack 0) carries the protocol bits, switches 1-4 its address 0."""
    result = configuration_build(battery="generic-lfp-bms", inverter=inverter, options=Options(bus=bus))
    assert result.bus == bus
    assert patterns(result) == ["0000" + bits]
    dip = [s for s in result.battery_settings if s.name.startswith("Protocol:")]
    if basis == "unknown":
        assert dip == []
        assert result.battery_settings[0].basis == "unknown"
    else:
        assert [(s.value[-2:], s.basis) for s in dip] == [(bits, basis)]


def test_000_weco_switch_numbering_is_marked_unsure_on_the_drawing_itself(client):
    """000 writes '00000000' and '00000100' without saying which end is switch 1: the drawing shows both readings
    (switch 6, or 3 counted from the other end) and says to check the numbers printed on the switch."""
    from configurator.drawings import dip_summary, dip_svg

    result = configuration_build(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=3))
    last = result.packs[-1].banks[0]
    assert last.numbering_stated is False
    drawing = str(dip_svg(last))
    assert 'class="dip-unsure"' in drawing
    assert ">(3)</text>" in drawing  # switch 6 read from the other end
    assert "counted from the other end: switch 3 ON" in dip_summary(last)
    page = client.get("/result/", {"inverter": "deye-hybrid", "battery": "weco-5k3-xp", "packs": 3}).text
    assert page.count("Switch 1 end not stated") == 1  # all OFF reads the same from either end
    assert not result.packs[0].banks[0].numbering_unsure
    stated = configuration_build(battery="sok-battery", inverter="sol-ark-inverter", options=Options(packs=2))
    assert 'class="dip-unsure"' not in str(dip_svg(stated.packs[0].banks[0]))
