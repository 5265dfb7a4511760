"""The result's JSON form: what is written is read back, and results saved before a field existed still read."""

from configurator.domain import Options, configure
from configurator.domain.result import Configuration
from tests.configurator.domain.test_configure import BATTERY, INVERTER
from tests.configurator.domain.test_packs import GENERIC


def test_a_result_reads_back_equal():
    from dataclasses import replace

    result = configure(replace(BATTERY, dip_banks=(GENERIC,)), INVERTER, options=Options(packs=2))
    assert Configuration.from_dict(result.to_dict()) == result


def test_switches_saved_before_they_had_a_state_read_as_on_and_off():
    from dataclasses import replace

    result = configure(replace(BATTERY, dip_banks=(GENERIC,)), INVERTER, options=Options(packs=2))
    data = result.to_dict()
    for pack in data["packs"]:
        for switch in pack["switches"]:
            del switch["state"]
    read = Configuration.from_dict(data)
    assert [pack.pattern for pack in read.packs] == [pack.pattern for pack in result.packs]
    assert {switch.setting for pack in read.packs for switch in pack.switches} <= {"on", "off"}
