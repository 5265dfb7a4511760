"""configuration_build against the shipped catalog: documented crimps come out position by position, 001's
table decisions are reproduced from pin data alone, and the query count does not grow with the catalog."""

import pytest

from catalog.models import DocumentedPairing
from configurator import selectors, specs
from configurator.domain import BusNotOffered, Code, Options, TooManyPacks, Verdict, configure
from configurator.messages import message
from configurator.services import UnknownDevice, configuration_build
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")

D0, D2 = "000_630895463bb398d7.txt", "002_c222e5cb0cff1dc1.txt"


def documented_crimps():
    rows = (
        DocumentedPairing.objects.filter(source__document__key__in=[D0, D2], conductors__isnull=False)
        .distinct()
        .prefetch_related("conductors__battery_pin", "conductors__inverter_pin")
        .order_by("slug")
    )
    ref = lambda pin: None if pin is None else pin.key  # noqa: E731
    result = []
    for p in rows:
        crimp = [(c.signal, ref(c.battery_pin), ref(c.inverter_pin)) for c in p.conductors.all()]
        result.append((p.slug, p.battery.slug, p.inverter.slug, crimp))
    return result


def joined(configuration):
    return [(c.signal, c.battery_position, c.inverter_position) for c in configuration.cable.conductors]


def test_every_documented_crimp_of_000_and_002_comes_out_position_by_position():
    crimps = documented_crimps()
    assert len(crimps) >= 40
    for slug, battery, inverter, rows in crimps:
        result = configuration_build(battery=battery, inverter=inverter)
        assert result.verdict == Verdict.DOCUMENTED, slug
        assert result.cable.documented, slug
        assert joined(result) == [row for row in rows if None not in row[1:]], slug
        left_open = {row[1] for row in rows if row[2] is None}
        assert left_open <= {cut.position for cut in result.cable.cut}, slug


def test_every_002_crimp_without_an_adapter_is_also_what_the_pin_tables_alone_give():
    """The engine derives the same cable from the two pin tables (the SMA conflict is stored as 001 has it)."""
    for slug, battery, inverter, rows in documented_crimps():
        if "--via-" in slug:
            continue
        pair = selectors.pair_get(battery=battery, inverter=inverter)
        derived = configure(specs.device_spec(pair.battery), specs.device_spec(pair.inverter))
        assert sorted(joined(derived)) == sorted(row for row in rows if None not in row[1:]), slug


# 001's table: (inverter, bus, standard cable?, crimp from the BMS) as the manual prints it.
TABLE_001 = [
    ("growatt-spf", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("growatt-spf", "rs485", True, [("rs485_p", 2, 2), ("rs485_n", 1, 1)]),
    ("growatt-sph", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("goodwe-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("solis-s5-eh1p-l", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("sofar-inverter", "can", False, [("can_h", 4, 1), ("can_l", 5, 2)]),
    ("sma-sunny-island", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("victron-color-control", "can", False, [("can_h", 4, 7), ("can_l", 5, 8), ("gnd", 3, 3)]),
    ("luxpower-inverter", "can", False, [("can_h", 4, 4), ("can_l", 5, 3)]),
    ("deye-hybrid", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("sorotec-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("megarevo-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("voltronic-inverter", "rs485", False, [("rs485_p", 2, 5), ("rs485_n", 1, 3)]),
    ("senergy-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("sol-ark-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("mpp-solar-inverter", "rs485", False, [("rs485_p", 2, 5), ("rs485_n", 1, 3)]),
    ("sacolar-inverter", "can", True, [("can_h", 4, 4), ("can_l", 5, 5)]),
    ("tronte-inverter", "rs485", False, [("rs485_p", 2, 5), ("rs485_n", 1, 3)]),
]


@pytest.mark.parametrize(
    ("inverter", "bus", "standard", "crimp"), TABLE_001, ids=[f"{r[0]}-{r[1]}" for r in TABLE_001]
)
def test_001_table_decisions(inverter, bus, standard, crimp):
    """The pin tables alone join the same pins as the manual. They never vouch for a straight cable on their own
    when the inverter's table lists only some positions (the manual's word does, for the documented pair)."""
    pair = selectors.pair_get(battery="generic-lfp-bms", inverter=inverter)
    derived = configure(specs.device_spec(pair.battery), specs.device_spec(pair.inverter), (), Options(bus=bus))
    assert derived.bus == bus
    complete = all(port.pinout == "complete" for port in specs.device_spec(pair.inverter).ports)
    assert derived.cable.standard is (standard and complete)
    grounds = ("gnd", "can_gnd", "rs485_gnd")
    assert sorted(row for row in joined(derived) if row[0] not in grounds) == sorted(
        row for row in crimp if row[0] not in grounds
    )
    assert {row for row in crimp if row[0] in grounds} <= set(joined(derived))
    documented = configuration_build(battery="generic-lfp-bms", inverter=inverter, options=Options(bus=bus))
    assert documented.verdict == Verdict.DOCUMENTED
    assert documented.cable.standard is standard


def test_001_srne_keeps_the_manuals_custom_cable():
    """The catalog lists only SRNE's RS485 pins, so the pin tables alone cannot vouch for a straight cable either."""
    result = configuration_build(battery="generic-lfp-bms", inverter="srne-inverter")
    assert not result.cable.standard
    assert joined(result) == [("rs485_p", 7, 7), ("rs485_n", 8, 8)]
    assert Code.STANDARD_DIFFERS not in [note.code for note in result.cable.notes]


def test_verdicts_for_undocumented_pairs():
    derived = configuration_build(battery="pylontech-us5000", inverter="deye-hybrid")
    assert (derived.verdict, derived.protocol, derived.bitrate) == (Verdict.DERIVED, "Pylon CAN", 500000)
    assert not derived.cable.standard  # US5000 pin 2 must stay empty; Deye has GND there
    assert any(h.code == Code.HAZARD_MUST_BE_EMPTY and h.values["position"] == 2 for h in derived.cable.hazards)
    needs_check = configuration_build(battery="byd-battery-box-premium-hvs", inverter="deye-hybrid")
    assert needs_check.verdict == Verdict.NEEDS_CHECK
    clash = configuration_build(battery="byd-battery-box-premium-hvs", inverter="solis-s5-eh1p-l")
    assert clash.verdict == Verdict.INCOMPATIBLE
    assert clash.reasons[0].code == Code.VOLTAGE_CLASH
    assert "is a HV battery" in message(clash.reasons[0])
    # Asked by name for a bus the pair does not talk over: refused, never answered on the other bus.
    with pytest.raises(BusNotOffered, match=r"does not talk over CAN; it does over RS485\."):
        configuration_build(battery="fox-lv5200", inverter="srne-inverter", options=Options(bus="can"))
    assert configuration_build(battery="fox-lv5200", inverter="srne-inverter").bus == "rs485"


def test_documented_settings_packs_and_termination():
    result = configuration_build(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=3))
    assert [p.banks[0].pattern for p in result.packs] == ["000010", "100000", "010000"]
    assert [(s.name, s.value) for s in result.battery_settings] == [("Protocol: Victron CAN", "xxxx10")]
    assert [s.kind for s in result.termination.segments] == ["link", "packs"]
    sok = configuration_build(battery="sok-battery", inverter="sol-ark-inverter", options=Options(packs=2))
    assert sok.cable.standard
    assert [p.banks[0].pattern for p in sok.packs] == ["1000", "0100"]
    assert {(s.name, s.value, s.optional) for s in sok.inverter_settings} == {
        ("BMS Lithium Batt", "00", False), ("BMS_Err_Stop", "On", True),
    }  # fmt: skip
    via_gateway = configuration_build(battery="weco-4k4-pro", inverter="schneider-xw-pro")
    assert via_gateway.adapter.slug == "schneider-gateway"
    assert via_gateway.inverter_port == "Battery CAN terminal"
    assert any(
        w.code == Code.SOURCES_DISAGREE
        for w in configuration_build(battery="weco-5k3-xp", inverter="sma-sunny-island").warnings
    )


def test_bad_requests_are_clear_errors():
    with pytest.raises(TooManyPacks, match="at most 15 packs"):
        configuration_build(battery="sok-battery", inverter="sol-ark-inverter", options=Options(packs=16))
    with pytest.raises(UnknownDevice, match="No published battery 'nope'"):
        configuration_build(battery="nope", inverter="deye-hybrid")
    with pytest.raises(UnknownDevice, match="No published inverter 'pylontech-us5000'"):
        configuration_build(battery="pylontech-us5000", inverter="pylontech-us5000")


@pytest.mark.parametrize(
    ("battery", "inverter", "queries"),
    [
        ("weco-4k4-pro", "schneider-xw-pro", 21),  # notes' translations: one query for the devices' notes,
        ("weco-5k3-xp", "deye-hybrid", 16),  # one for the pairing's
        ("pylontech-us5000", "deye-hybrid", 11),
    ],
)
def test_query_count_does_not_grow_with_the_catalog(django_assert_num_queries, battery, inverter, queries):
    with django_assert_num_queries(queries):
        configuration_build(battery=battery, inverter=inverter)
    maker = factories.manufacturer()
    for n in range(300):
        port = factories.port(on=factories.device(maker=maker, kind="battery" if n % 2 else "inverter"))
        factories.port(on=port.device, name="RS485", buses=["rs485"], pins={1: "rs485_p", 2: "rs485_n"})
    with django_assert_num_queries(queries):
        configuration_build(battery=battery, inverter=inverter)
