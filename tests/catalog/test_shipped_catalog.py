"""The shipped catalog holds what the five source documents say: names, pins, settings, pairings, conflicts.

One section per source document. Expected values are read off the documents, not off the fixture files.
"""

import pytest

from catalog.models import Device, DipSwitchBank, DocumentedPairing, Manufacturer, Note, Port, Protocol

pytestmark = pytest.mark.usefixtures("shipped_catalog")

D0 = "000_630895463bb398d7.txt"
D1 = "001_37f4442432f1a2d3.txt"
D2 = "002_c222e5cb0cff1dc1.txt"
D3 = "003_58d6727958903ab7.txt"
D4 = "004_ce5b93c9c0878789.txt"


def pins(device: str, port: str) -> dict[int | str, tuple[str, str]]:
    """{position or terminal: (signal, maker's label)} of one port."""
    found = Port.objects.get(device__slug=device, name=port)
    return {pin.key: (pin.signal, pin.label) for pin in found.pin_assignments.all()}


def signals(device: str, port: str) -> dict[int | str, str]:
    return {key: signal for key, (signal, _label) in pins(device, port).items()}


def crimp(pairing: str) -> list[tuple[str, int | str | None, int | str | None]]:
    rows = DocumentedPairing.objects.get(slug=pairing).conductors.select_related("battery_pin", "inverter_pin")
    ref = lambda pin: None if pin is None else pin.key  # noqa: E731
    return [(row.signal, ref(row.battery_pin), ref(row.inverter_pin)) for row in rows]


def settings_of(pairing: str) -> dict[str, str]:
    return {s.name: s.value for s in DocumentedPairing.objects.get(slug=pairing).settings.all()}


def on_switches(bank: DipSwitchBank, address: int) -> set[int]:
    """The switches that are ON for an address, read off the bank's switch table."""
    return {s.position for s in bank.switches.all() if s.function == "address_bit" and address >> s.bit & 1}


def conflicts_mentioning(text: str) -> list[Note]:
    return [note for note in Note.objects.filter(kind="conflict") if text in note.text]


def models_from(document: str, kind: str) -> set[str]:
    """Device models ('Maker Model') whose own source is the document."""
    rows = Device.objects.filter(kind=kind, source__document__key=document).select_related("manufacturer")
    return {f"{d.manufacturer.name} {d.model}" for d in rows}


def test_every_source_document_is_cited_by_devices_and_pairings():
    for document in (D0, D1, D2, D3, D4):
        assert Device.objects.filter(source__document__key=document).exists(), document
    for document in (D0, D1, D2, D3):
        assert DocumentedPairing.objects.filter(source__document__key=document).exists(), document


# --- 000: the Solis article ------------------------------------------------------------------------------------

SOLIS_HV = ["solis-s6-eh3p-h-eu", "solis-rhi-3p-hves-5g"]
SOLIS_LV = ["solis-rhi-48es-5g", "solis-s5-eh1p-l", "solis-s6-ea1p-l"]


def test_000_names_both_solis_families():
    assert models_from(D0, "inverter") == {
        "Solis (Ginlong Technologies) S6-EH3P(5-10)K-H-EU",
        "Solis (Ginlong Technologies) RHI-3P(5-10)K-HVES-5G",
        "Solis (Ginlong Technologies) RHI-(3-4.6)K-48ES-5G",
        "Solis (Ginlong Technologies) S5-EH1P(3-6)K-L",
        "Solis (Ginlong Technologies) S6-EA1P(3.6-6)K-L",
    }
    assert set(Device.objects.filter(slug__in=SOLIS_HV).values_list("voltage_class", flat=True)) == {"hv"}
    assert set(Device.objects.filter(slug__in=SOLIS_LV).values_list("voltage_class", flat=True)) == {"lv"}


def test_000_solis_bms_port_has_can_h_on_4_and_can_l_on_5_and_gnd_on_2_where_a_table_gives_it():
    for slug in SOLIS_LV:
        assert signals(slug, "BMS") == {2: "gnd", 4: "can_h", 5: "can_l"}
    for slug in SOLIS_HV:
        assert signals(slug, "BMS") == {4: "can_h", 5: "can_l"}
        assert Port.objects.get(device__slug=slug, name="BMS").pinout == "partial"


def test_000_names_every_battery_of_the_article():
    assert models_from(D0, "battery") >= {
        "BYD Battery-Box Premium HVS",
        "BYD Battery-Box Premium HVM",
        "BYD Battery-Box Premium LVS",
        "Pylontech Force-H2",
        "Pylontech Force-L1",
        "Pylontech US5000",
        "Soluna Module 10K Pack HV",
        "WeCo 5K3 LV-HV",
        "WeCo 5K3 XP",
        "WeCo 4K4 LT",
        "Dyness Tower Series",
        "LG Energy Solution RESU 10H Prime",
        "LG Energy Solution RESU 3.3 / 6.5 / 10",
        "Fox ESS LV5200",
        "PureDrive PureStorage II Hybrid 5kWh",
        "Green Solutions Inc. HomeE10",
        "UZ Energy Power Lite",
    }
    hvs = Device.objects.get(slug="byd-battery-box-premium-hvs")
    assert hvs.variants == ["HVS 5.1", "HVS 7.7", "HVS 10.2", "HVS 12.8"]
    assert len(Device.objects.get(slug="byd-battery-box-premium-hvm").variants) == 6


def test_000_lists_each_battery_for_its_family_only():
    def inverters_of(battery):
        return set(
            DocumentedPairing.objects.filter(battery__slug=battery, source__document__key=D0).values_list(
                "inverter__slug", flat=True
            )
        )

    for battery in ("byd-battery-box-premium-hvs", "pylontech-force-h2", "dyness-tower", "lg-resu-10h-prime"):
        assert inverters_of(battery) == set(SOLIS_HV), battery
    for battery in ("pylontech-us5000", "uz-energy-power-lite", "fox-lv5200", "weco-4k4-lt", "lg-resu-3-3-6-5-10"):
        assert inverters_of(battery) == set(SOLIS_LV), battery


def test_000_byd_hv_block_stores_the_pins_its_colours_and_the_lvs_table_support_with_a_conflict_note():
    assert signals("byd-battery-box-premium-hvs", "BMS") == {4: "can_h", 5: "can_l"}
    [note] = Device.objects.get(slug="byd-battery-box-premium-hvs").catalog_notes.filter(kind="conflict")
    assert "Pin 1 (blue)" in note.text
    assert note.source.document.key == D0
    assert signals("byd-battery-box-premium-lvs", "BMS") == {
        1: "rs485_p", 2: "rs485_n", 3: "nc", 4: "can_h", 5: "can_l", 6: "nc", 7: "nc", 8: "nc",
    }  # fmt: skip


def test_000_pylontech_us5000_keeps_null_pins_label_bitrate_and_termination_advice():
    us5000 = pins("pylontech-us5000", "A/CAN")
    assert [us5000[n][0] for n in (1, 2, 3)] == ["must_be_empty"] * 3
    assert us5000[5] == ("can_l", "CAH-L")
    assert us5000[6] == ("can_gnd", "CAN-GND")
    assert Protocol.objects.get(slug="pylon-can").bitrate == 500000
    port = Port.objects.get(device__slug="pylontech-us5000", name="A/CAN")
    assert "120 ohm" in port.termination_note


def test_000_force_l1_marks_unused_pins_as_must_stay_empty_and_force_h2_keeps_gnd_on_2():
    l1 = signals("pylontech-force-l1", "CAN")
    assert {n for n, s in l1.items() if s == "must_be_empty"} == {1, 2, 3, 7, 8}
    assert l1[6] == "can_gnd"
    assert signals("pylontech-force-h2", "CAN")[2] == "can_gnd"
    rs232 = signals("pylontech-force-h2", "RS232")
    assert (rs232[3], rs232[6]) == ("rs232_tx", "rs232_rx")
    assert {n for n, s in rs232.items() if s == "nc"} == {1, 2, 4, 5, 7, 8}
    assert Port.objects.get(device__slug="pylontech-force-h2", name="RS232").role == "debug"


def test_000_uz_energy_can_port_has_can_h_on_1_can_l_on_5_gnd_on_8():
    uz = signals("uz-energy-power-lite", "CAN")
    assert (uz[1], uz[5], uz[8]) == ("can_h", "can_l", "gnd")
    assert {n for n, s in uz.items() if s == "nc"} == {2, 3, 4, 6, 7}
    assert Port.objects.get(device__slug="uz-energy-power-lite", name="RS232").connector == "rj11"


def test_000_fox_rs485_has_b_on_1_and_8_and_dyness_keeps_its_reserved_pins():
    fox = pins("fox-lv5200", "RS485")
    assert (fox[1], fox[8]) == (("rs485_n", "B"), ("rs485_n", "B"))
    assert fox[2][0] == fox[7][0] == "rs485_p"
    dyness = pins("dyness-tower", "CAN")
    assert dyness[2] == ("can_gnd", "XGND")
    assert [dyness[n][1] for n in (1, 3, 7)] == ["Reserved"] * 3


def test_000_lg_resu_10h_prime_terminals_termination_dip_and_enable_loop():
    terminals = signals("lg-resu-10h-prime", "Section A")
    assert terminals == {1: "enable_p", 2: "enable_n", 3: "rs485_p", 4: "rs485_n", 5: "can_h", 6: "can_l"}
    assert pins("lg-resu-10h-prime", "Section A")[3][1] == "RS485 A+"
    port = Port.objects.get(device__slug="lg-resu-10h-prime", name="Section A")
    assert (port.connector, port.termination) == ("terminal_block", "switchable")
    names = set(Device.objects.get(slug="lg-resu-10h-prime").settings.values_list("name", flat=True))
    assert "Communication termination resistor (DIP switch, Section B)" in names


def test_000_lg_resu_rotary_switches_are_settings_for_the_solis_pairing():
    for inverter in SOLIS_LV:
        pairing = f"lg-resu-3-3-6-5-10--{inverter}"
        assert settings_of(pairing) == {
            "CAN_H rotary switch": "4",
            "CAN_L rotary switch": "5",
            "GND rotary switch": "2",
        }
    assert Port.objects.get(device__slug="lg-resu-3-3-6-5-10", name="Inverter (upper)").pinout == "unknown"


def test_000_puredrive_com_resistor_and_lost_pictures_leave_pins_unknown():
    down = Port.objects.get(device__slug="puredrive-purestorage-ii", name="Communication (down)")
    assert down.termination == "plug_in"
    assert "even for a single battery" in down.termination_note
    green = Port.objects.get(device__slug="green-solutions-homee10", name="BMS communication terminal")
    assert green.pinout == "unknown"
    assert not green.pin_assignments.exists()


def test_000_weco_crimp_table_to_solis():
    for battery in ("weco-5k3-xp", "weco-4k4-lt"):
        for inverter in SOLIS_LV:
            assert crimp(f"{battery}--{inverter}") == [("gnd", 3, 2), ("can_l", 2, 5), ("can_h", 1, 4)]
    assert DocumentedPairing.objects.get(slug="weco-5k3-xp--solis-s5-eh1p-l").standard_cable is False


def test_000_weco_dip_patterns_and_their_ambiguous_bit_order_is_visible():
    bank = DipSwitchBank.objects.get(device__slug="weco-5k3-xp")
    assert (bank.switch_count, bank.all_packs_pattern, bank.last_pack_pattern) == (8, "00000000", "00000100")
    assert Device.objects.get(slug="weco-5k3-xp").catalog_notes.filter(text__contains="which end is switch 1").exists()


# --- 001: the generic LFP BMS manual ---------------------------------------------------------------------------

GENERIC = "generic-lfp-bms"


def test_001_generic_bms_is_named_after_the_document_and_its_maker_is_unnamed():
    bms = Device.objects.select_related("manufacturer").get(slug=GENERIC)
    assert bms.model == "Generic LFP battery BMS"
    assert "does not name its maker" in bms.manufacturer.notes


def test_001_rs485_table_printed_as_9_to_16_is_stored_as_rj45_positions_1_to_8():
    rs485 = signals(GENERIC, "RS485")
    assert rs485 == {1: "rs485_n", 2: "rs485_p", 3: "gnd", 4: "nc", 5: "nc", 6: "gnd", 7: "rs485_p", 8: "rs485_n"}
    assert "pins 9 to 16" in Port.objects.get(device__slug=GENERIC, name="RS485").note
    assert signals(GENERIC, "CAN") == {1: "nc", 2: "nc", 3: "gnd", 4: "can_h", 5: "can_l", 6: "gnd", 7: "nc", 8: "nc"}
    assert Port.objects.get(device__slug=GENERIC, name="RS485B").role == "parallel"


def test_001_dip_address_is_binary_with_switch_1_least_significant_and_0_is_the_host():
    bank = DipSwitchBank.objects.get(device__slug=GENERIC)
    assert (bank.switch_count, bank.master_address, bank.first_slave_address, bank.max_packs) == (6, 0, 1, 16)
    assert on_switches(bank, 13) == {1, 3, 4}
    assert on_switches(bank, 3) == {1, 2}
    assert on_switches(bank, 0) == set()


def test_001_switches_5_and_6_pick_a_protocol_with_different_meanings_on_can_and_rs485():
    patterns = {dp.protocol.slug: dp.value for dp in Device.objects.get(slug=GENERIC).device_protocols.all()}
    assert patterns["luxpower-can"] == "xxxx00"
    assert patterns["pylon-can"] == "xxxx01"
    assert patterns["victron-can"] == patterns["sma-can"] == "xxxx10"
    assert patterns["growatt-can"] == "xxxx11"
    assert patterns["srne-rs485"] == "xxxx00"
    assert patterns["voltronic-rs485"] == "xxxx01"
    assert patterns["growatt-rs485"] == "xxxx11"


def test_001_parallel_example_contradiction_is_a_visible_conflict():
    [note] = conflicts_mentioning("PACK2 address 2")
    assert note.device.slug == GENERIC
    assert note.source.section == "5. Parallel example"


def test_001_every_inverter_row_is_a_pairing_with_its_pins_and_cable():
    pairings = DocumentedPairing.objects.filter(battery__slug=GENERIC)
    # 19 rows; the 'Solis' row is recorded for the three Solis LV models.
    assert pairings.count() == 21
    rows = {p.slug.removeprefix(f"{GENERIC}--"): p for p in pairings}
    assert rows["growatt-spf--rs485"].standard_cable is True
    assert crimp(f"{GENERIC}--growatt-spf--rs485") == [("rs485_n", 1, 1), ("rs485_p", 2, 2)]
    assert rows["goodwe-inverter"].standard_cable is True
    assert crimp(f"{GENERIC}--goodwe-inverter") == [("can_h", 4, 4), ("can_l", 5, 5)]
    assert rows["sofar-inverter"].standard_cable is False
    assert crimp(f"{GENERIC}--sofar-inverter") == [("can_h", 4, 1), ("can_l", 5, 2)]
    assert crimp(f"{GENERIC}--victron-color-control") == [("can_h", 4, 7), ("can_l", 5, 8)]
    assert crimp(f"{GENERIC}--luxpower-inverter") == [("can_h", 4, 4), ("can_l", 5, 3)]
    assert crimp(f"{GENERIC}--voltronic-inverter") == [("rs485_n", 1, 3), ("rs485_p", 2, 5)]
    assert crimp(f"{GENERIC}--srne-inverter") == [("rs485_p", 7, 7), ("rs485_n", 8, 8)]
    assert rows["deye-hybrid"].protocol.slug == "pylon-can"
    assert rows["goodwe-inverter"].protocol is None


def test_001_names_every_inverter_brand_of_the_table():
    makers = set(
        DocumentedPairing.objects.filter(battery__slug=GENERIC).values_list("inverter__manufacturer__name", flat=True)
    )
    assert makers == {
        "Growatt", "GoodWe", "Solis (Ginlong Technologies)", "Sofar", "SMA", "Victron Energy", "Luxpower", "Deye",
        "Sorotec", "Megarevo", "Voltronic Power", "SRNE", "Senergy", "Sol-Ark", "MPP Solar", "Sacolar", "TRONTE",
    }  # fmt: skip


# --- 002: WeCo's cable guide -----------------------------------------------------------------------------------


def test_002_pc_tool_protocol_values():
    values = {
        dp.protocol.slug: dp.value
        for dp in Device.objects.get(slug="weco-4k4-pro").device_protocols.filter(method="pc_tool")
    }
    assert values == {
        "solis-can": "SOLISCAN", "weco-can": "WeCoCAN", "sma-can": "SMACAN", "kehua-can": "KEHUACAN",
        "growatt-can": "GROWATTCAN", "victron-can": "VICTRONCAN", "conext-can": "CONEXTCAN", "studer-can": "STUDERCAN",
    }  # fmt: skip


def test_002_names_every_inverter_section():
    inverters = set(
        DocumentedPairing.objects.filter(source__document__key=D2).values_list("inverter__slug", flat=True)
    ) | set(DocumentedPairing.objects.filter(battery__slug="weco-4k4-pro").values_list("inverter__slug", flat=True))
    assert inverters >= {
        "zcs-azzurro-single-phase", "zcs-azzurro-hyd-hv", "sma-sunny-island", "kehua-sph", "growatt-sph",
        "deye-hybrid", "solis-rhi-48es-5g", "phocos-any-grid-psw", "voltronic-color-control", "tbb-inverter",
        "victron-color-control", "solis-s6-eh3p-h-eu", "solis-rhi-3p-hves-5g",
        "ingeteam-ingecon-sun-storage-1play-tl-m", "schneider-xw-pro", "studer-inverter",
    }  # fmt: skip


def test_002_battery_side_pins_and_crimps():
    assert signals("weco-4k4-pro", "CAN") == {1: "can_h", 2: "can_l", 3: "gnd"}
    assert crimp("weco-4k4-pro--growatt-sph") == [("can_h", 1, 4), ("can_l", 2, 5), ("gnd", 3, 2)]
    assert crimp("weco-4k4-pro--victron-color-control") == [("gnd", 3, 3), ("can_l", 2, 8), ("can_h", 1, 7)]
    assert crimp("weco-4k4-pro--phocos-any-grid-psw") == [("can_l", 2, 7), ("can_h", 1, 6)]
    assert crimp("weco-4k4-pro--kehua-sph") == [("can_h", 1, 1), ("can_l", 2, 2), ("gnd", 3, None)]
    assert Port.objects.get(device__slug="zcs-azzurro-single-phase", name="BMS").connector == "rj9"


def test_002_sma_sunny_island_stores_4h_5l_and_shows_the_guides_reversed_table_as_a_conflict():
    assert signals("sma-sunny-island", "BMS") == {4: "can_h", 5: "can_l"}
    assert crimp("weco-4k4-pro--sma-sunny-island") == [("can_h", 1, 4), ("can_l", 2, 5), ("gnd", 3, None)]
    pairing_conflicts = DocumentedPairing.objects.get(slug="weco-4k4-pro--sma-sunny-island").catalog_notes
    assert pairing_conflicts.filter(kind="conflict", text__contains="CAN L: inverter 4").exists()
    assert Device.objects.get(slug="sma-sunny-island").catalog_notes.filter(kind="conflict").exists()


def test_002_inverter_lcd_choices():
    assert settings_of("weco-4k4-pro--deye-hybrid") == {"LCD selection": "CAN 00"}
    assert settings_of("weco-4k4-pro--phocos-any-grid-psw") == {"Battery Selection": "UEC"}
    assert settings_of("weco-4k4-pro--solis-rhi-48es-5g")["Battery Selection"] == "WECO BATTERY"
    # Where the inverter maker's article (000) already documents the pair, WeCo's settings join that pairing.
    merged = DocumentedPairing.objects.get(slug="weco-5k3-xp--solis-rhi-48es-5g")
    assert merged.source.document.key == D0
    assert settings_of(merged.slug) == {"Battery Selection": "WECO BATTERY", "Inverter Protocol": "SOLISCAN"}


def test_002_adapters_are_devices_with_their_own_ports():
    adapters = set(Device.objects.filter(kind="adapter").values_list("slug", flat=True))
    assert {"weco-hv-box", "weco-can-usb-converter", "schneider-gateway", "studer-extender"} <= adapters
    assert signals("schneider-gateway", "Battery CAN terminal") == {10: "gnd", 12: "can_l", 14: "can_h"}
    assert Port.objects.get(device__slug="schneider-gateway", name="Battery CAN terminal").positions is None
    assert signals("weco-hv-box", "CAN2-A") == {1: "can_h", 2: "can_l", 3: "gnd"}
    assert signals("ingeteam-ingecon-sun-storage-1play-tl-m", "J8") == {"BMS CAN_H": "can_h", "BMS CAN_L": "can_l"}


def test_002_pairings_through_adapters_carry_the_adapter_settings():
    xw = DocumentedPairing.objects.get(slug="weco-4k4-pro--schneider-xw-pro--via-schneider-gateway")
    assert (xw.adapter.slug, xw.protocol.slug) == ("schneider-gateway", "conext-can")
    assert crimp(xw.slug) == [("gnd", 3, 10), ("can_l", 2, 12), ("can_h", 1, 14)]
    hv = "weco-5k3-lv-hv--ingeteam-ingecon-sun-storage-1play-tl-m--via-weco-hv-box"
    assert settings_of(hv) == {"Inverter": "INGE HV CAN"}
    assert crimp(hv) == [("can_h", 1, "BMS CAN_H"), ("can_l", 2, "BMS CAN_L")]
    solis_hv = "weco-5k3-lv-hv--solis-s6-eh3p-h-eu--via-weco-hv-box"
    assert settings_of(solis_hv) == {"Battery Selection": "WECO", "Inverter": "WECO HV CAN"}
    studer = DocumentedPairing.objects.get(slug="weco-4k4-pro--studer-inverter--via-studer-extender")
    assert studer.protocol.slug == "studer-can"
    assert studer.settings.filter(
        device__slug="studer-extender", name="Termination switch", value="Right side"
    ).exists()


def test_002_self_contradicting_hv_box_protocol_names_are_visible():
    assert conflicts_mentioning("HV BOX PROTOCOL SET: WECOCAN")
    assert conflicts_mentioning("Default Protocol → WECO CAN")
    assert conflicts_mentioning("Connect in the HV BOX the CAN cable in CAN2-A connector")


# --- 003: Sol-Ark's SOK article --------------------------------------------------------------------------------


def test_003_sok_dip_is_a_4_bit_binary_id_with_master_1_and_up_to_15_packs():
    bank = DipSwitchBank.objects.get(device__slug="sok-battery")
    assert (bank.switch_count, bank.master_address, bank.first_slave_address, bank.max_packs) == (4, 1, 2, 15)
    assert on_switches(bank, 13) == {1, 3, 4}
    assert on_switches(bank, 1) == {1}
    assert Device.objects.get(slug="sok-battery").max_packs == 15


def test_003_sok_to_sol_ark_standard_cable_and_inverter_settings():
    pairing = DocumentedPairing.objects.select_related("battery_port", "inverter_port").get(
        slug="sok-battery--sol-ark-inverter"
    )
    assert pairing.standard_cable is True
    assert (pairing.battery_port.name, pairing.inverter_port.name) == ("CAN", "Battery CAN Bus")
    settings = {s.name: (s.value, s.optional) for s in pairing.settings.all()}
    assert settings == {"BMS Lithium Batt": ("00", False), "BMS_Err_Stop": ("On", True)}


def test_003_related_articles_keep_their_usable_facts():
    lynk = DocumentedPairing.objects.get(slug="discover-battery--sol-ark-inverter--via-discover-lynk")
    assert lynk.catalog_notes.filter(text__contains="950-0016-SLRK").exists()
    assert Device.objects.get(slug="pylontech-pelio").catalog_notes.filter(text__contains="Float V = 55.7 V").exists()
    endur = Device.objects.get(slug="endurenergy-esp-5100").catalog_notes.get(text__contains="Proven")
    assert endur.source.section == "Related Articles: 08/14/25 Endur Energy Integration Status"


# --- 004: the unnamed battery and inverter manuals -------------------------------------------------------------


def test_004_unnamed_brands_are_named_descriptively_and_say_so():
    for slug in ("battery-can-pcs-debug", "inverter-16-pin-multifunction"):
        device = Device.objects.select_related("manufacturer").get(slug=slug)
        assert "does not name the brand" in device.description
        assert Manufacturer.objects.get(pk=device.manufacturer_id).slug.startswith("unnamed-")


def test_004_battery_ports_can_pcs_and_debug():
    pcs = pins("battery-can-pcs-debug", "PCS")
    assert [pcs[n] for n in (3, 4, 5)] == [("can_gnd", "CAN1_G"), ("can_h", "CAN1_H"), ("can_l", "CAN1_L")]
    assert pcs[6] == ("other", "HSS8")
    assert (pcs[7][1], pcs[8][1]) == ("485A", "485B")
    assert Port.objects.get(device__slug="battery-can-pcs-debug", name="CAN debug").role == "debug"
    assert Port.objects.get(device__slug="battery-can-pcs-debug", name="CAN").role == "parallel"


def test_004_inverter_multifunction_terminal_bms_positions_and_12v_supply():
    bms = pins("inverter-16-pin-multifunction", "BMS (multifunction 7-11)")
    assert bms == {
        7: ("can_h", "CAN0_H"), 8: ("can_l", "CAN0_L"), 9: ("gnd", "GND.S"),
        10: ("rs485_p", "485TX0+"), 11: ("rs485_n", "485TX0-"),
    }  # fmt: skip
    assert signals("inverter-16-pin-multifunction", "12 V supply (multifunction 16)") == {16: "vcc"}
    port = Port.objects.get(device__slug="inverter-16-pin-multifunction", name="BMS (multifunction 7-11)")
    assert (port.connector, port.positions, port.role, port.buses) == (
        "terminal_block",
        16,
        "battery_link",
        ["can", "rs485"],
    )
