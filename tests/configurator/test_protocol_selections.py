"""A protocol selection written in a catalog file, with its extra settings: imported, served by the API, and used
for a pair no source documents (both sides' settings derived, each saying from what) on the page, the sheet and in
the JSON."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from configurator.domain import Code
from configurator.services import configuration_build
from tests.factories import api_client

BATTERY = """\
device:
  slug: lfp-48-can
  manufacturer: sok
  kind: battery
  model: LFP 48 CAN
  voltage_class: unknown
  source: {document: 003_58d6727958903ab7.txt, section: Communication Cable}
  ports:
  - name: CAN
    connector: rj45
    role: inverter_link
    buses: [can]
    pins:
    - {position: 4, signal: can_h, label: CAN-H}
    - {position: 5, signal: can_l, label: CAN-L}
  protocols:
  - protocol: sol-ark-bms-00
    method: pc_tool
    menu_path: BMS tool > Inverter
    value: SOL-ARK
    derivation: Its maker's sheet lists Sol-Ark among the inverters of this protocol.
"""


@pytest.fixture
def new_battery(shipped_catalog, tmp_path):
    path = tmp_path / "lfp-48-can.yaml"
    path.write_text(BATTERY)
    call_command("import_catalog", str(path), stdout=StringIO())


def test_a_selections_extras_reach_every_pair_that_selects_its_protocol(new_battery, client):
    result = configuration_build(battery="lfp-48-can", inverter="sol-ark-inverter")
    assert result.pairing is None
    assert result.protocol_slug == "sol-ark-bms-00"
    assert [(s.menu_path, s.value, s.optional, s.basis) for s in result.inverter_settings] == [
        ("BMS Lithium Batt", "00", False, "derived"),
        ("", "On", True, "derived"),
    ]
    assert result.inverter_settings[1].name == "BMS_Err_Stop"
    (battery,) = result.battery_settings
    assert (battery.name, battery.value, battery.derivation) == (
        "Inverter",
        "SOL-ARK",
        "Its maker's sheet lists Sol-Ark among the inverters of this protocol.",
    )
    chain = result.inverter_settings[0].chain
    assert chain.code == Code.SETTING_DERIVED

    page = client.get("/result/", {"inverter": "sol-ark-inverter", "battery": "lfp-48-can"}).text
    assert '<strong>BMS_Err_Stop</strong> = <code class="value">On</code> <em>(optional)</em>' in page
    assert "Derived for this pair: no source pairs these two devices; SOK LFP 48 CAN speaks Sol-Ark" in page
    assert "Derived: Its maker&#x27;s sheet lists Sol-Ark" in page

    body = (
        api_client(None)
        .post("/api/v1/configurations/", {"inverter": "sol-ark-inverter", "battery": "lfp-48-can"}, format="json")
        .json()
    )
    line = body["result"]["inverter_settings"][0]
    assert (line["basis"], line["chain"]["code"]) == ("derived", "setting_derived")
    assert line["chain"]["message"].startswith("Derived for this pair: no source pairs these two devices")
    sheet = client.get(f"/api/v1/configurations/{body['id']}/sheet.pdf")
    assert sheet.status_code == 200
    assert sheet.content.startswith(b"%PDF")


def test_the_api_lists_a_selections_extras(shipped_catalog):
    detail = api_client(None).get("/api/v1/devices/sol-ark-inverter/").json()
    (selection,) = detail["protocols"]
    assert (selection["protocol"], selection["menu_path"], selection["value"]) == (
        "sol-ark-bms-00",
        "BMS Lithium Batt",
        "00",
    )
    assert [(e["name"], e["value"], e["optional"]) for e in selection["extras"]] == [("BMS_Err_Stop", "On", True)]
    assert selection["extras"][0]["source"]["section"] == "BMS Error Stop Option"


def test_an_extra_with_an_unknown_source_is_refused_with_its_place(shipped_catalog, tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "lfp-48-can.yaml"
    bad = BATTERY + "    extras:\n    - name: Err\n      source: {document: nope.txt, section: X}\n"
    path.write_text(bad)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), stdout=StringIO(), stderr=err)
    assert re.search(r"lfp-48-can.yaml:\d+.*extras.*nope.txt", err.getvalue())
    assert api_client(None).get("/api/v1/devices/lfp-48-can/").status_code == 404
