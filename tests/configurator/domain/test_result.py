"""The result's JSON form: what is written is read back, and results issued under schema version 1 still read,
word for word."""

from dataclasses import replace

from configurator.domain import Code, Options, configure
from configurator.domain.result import SCHEMA_VERSION, Configuration
from configurator.messages import message
from tests.configurator.domain.test_configure import BATTERY, INVERTER
from tests.configurator.domain.test_packs import GENERIC


def test_a_result_reads_back_equal():
    result = configure(replace(BATTERY, dip_banks=(GENERIC,)), INVERTER, options=Options(packs=2))
    data = result.to_dict()
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert data["packs"][1]["banks"][0]["pattern"] == result.packs[1].banks[0].pattern == "100000"
    assert isinstance(data["reasons"][0]["params"], dict)
    assert Configuration.from_dict(data) == result


V1 = {
    "schema_version": 1,
    "battery": {"slug": "b", "name": "Maker b", "kind": "battery", "voltage_class": "lv"},
    "inverter": {"slug": "i", "name": "Maker i", "kind": "inverter", "voltage_class": "lv"},
    "adapter": None,
    "verdict": "derived",
    "reasons": ["No source documents this pair: the answer is derived from the two devices' own data."],
    "bus": "can",
    "protocol": "Pylon CAN",
    "protocol_slug": "pylon-can",
    "bitrate": 500000,
    "battery_port": "CAN",
    "inverter_port": "BMS",
    "cable": {
        "standard": False,
        "documented": False,
        "colours": "t568b",
        "battery_connector": "rj45",
        "inverter_connector": "rj45",
        "conductors": [
            {"signal": "can_h", "battery_position": 1, "inverter_position": 4, "battery_label": "",
             "inverter_label": "", "colour": "white/orange", "note": ""},
        ],
        "cut": [{"end": "battery", "position": 3, "colour": "white/green", "reason": "not needed by the link"}],
        "hazards": ["The ends differ."],
        "notes": [],
    },
    "packs": [
        {"index": 1, "role": "master", "last": False, "address": 0, "note": "",
         "switches": [{"position": 1, "on": True, "function": "address_bit", "label": ""},
                      {"position": 2, "on": False, "function": "address_bit", "label": "", "state": "unknown"}]},
    ],
    "termination": {
        "steps": [{"end": "inverter", "where": "inverter port 'BMS'", "action": "Built in: nothing to do.",
                   "source": None}],
        "check": "measure",
    },
    "battery_settings": [],
    "inverter_settings": [],
    "adapter_settings": [],
    "warnings": ["Sources disagree: x"],
    "sources": [{"document": "doc.txt", "section": "s", "page": "", "title": ""}],
    "pairing": None,
}  # fmt: skip


def test_a_result_issued_under_schema_1_reads_with_its_own_words():
    read = Configuration.from_dict(V1)
    assert [message(r) for r in read.reasons] == V1["reasons"]
    assert [(w.code, message(w)) for w in read.warnings] == [(Code.TEXT, "Sources disagree: x")]
    assert (read.cable.kind, read.cable.basis) == ("custom", "derived")
    (cut,) = read.cable.cut
    assert (cut.kept_plug, cut.cut_at, message(cut.reason)) == ("battery", "inverter", "not needed by the link")
    assert read.packs[0].banks[0].pattern == "1?"
    (segment,) = read.termination.segments
    assert message(segment.ends[0].action) == "inverter port 'BMS': Built in: nothing to do."
    assert Configuration.from_dict(read.to_dict()) == read  # and it is kept in the new form from then on
