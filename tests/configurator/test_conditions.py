"""Conditions on an answer: firmware a source requires, what does not work over a link, and voltage-based
fallback settings. Written into a catalog file, imported, and seen on the page, the sheet and in the JSON."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from configurator.domain import Code, Verdict
from configurator.services import configuration_build
from tests.conftest import FIXTURES_DIR
from tests.factories import api_client

PAIRING = FIXTURES_DIR / "pairings" / "sok-battery--sol-ark-inverter.yaml"


def conditioned(text: str) -> str:
    """The shipped SOK + Sol-Ark pairing with a firmware condition, a limitation and a fallback setting."""
    text = text.replace(
        "  standard_cable: true\n",
        "  standard_cable: true\n  inverter_firmware: '>= 2.1'\n  limitations: [No cell voltages over this link.]\n",
    )
    return text.replace(
        "  notes:\n",
        "  - side: inverter\n    name: Float V\n    value: 55.7 V\n    fallback: true\n  notes:\n",
        1,
    )


@pytest.fixture
def with_conditions(shipped_catalog, tmp_path):
    path = tmp_path / PAIRING.name
    path.write_text(conditioned(PAIRING.read_text()))
    call_command("import_catalog", str(path), stdout=StringIO())


def test_a_firmware_condition_is_first_among_the_warnings_and_qualifies_the_verdict(with_conditions, client):
    result = configuration_build(battery="sok-battery", inverter="sol-ark-inverter")
    assert result.verdict == Verdict.DOCUMENTED
    (requirement,) = result.firmware
    assert (requirement.side, requirement.condition, requirement.required_by) == ("inverter", ">= 2.1", "pairing")
    assert [w.code for w in result.warnings][:2] == [Code.FIRMWARE_REQUIRED, Code.LIMITATION]
    assert [s.name for s in result.inverter_settings if s.fallback] == ["Float V"]
    page = client.get("/result/", {"inverter": "sol-ark-inverter", "battery": "sok-battery"})
    assert "DOCUMENTED, IF THE FIRMWARE IS RIGHT" in page.text
    assert "Firmware to check on site:</strong> Sol-Ark Inverters (model not named): &gt;= 2.1" in page.text
    assert "Limitation: No cell voltages over this link." in page.text
    fallback = page.text.split('id="fallback-title"', 1)[1]
    assert "Float V" in fallback
    body = (
        api_client(None)
        .post("/api/v1/configurations/", {"inverter": "sol-ark-inverter", "battery": "sok-battery"}, format="json")
        .json()
    )
    assert body["result"]["firmware"][0]["condition"] == ">= 2.1"
    assert body["result"]["warnings"][0]["code"] == "firmware_required"
    sheet = client.get(f"/api/v1/configurations/{body['id']}/sheet.pdf")
    assert sheet.status_code == 200


def test_a_badly_written_firmware_condition_is_refused_with_its_file_and_line(shipped_catalog, tmp_path):
    path = tmp_path / PAIRING.name
    path.write_text(conditioned(PAIRING.read_text()).replace("'>= 2.1'", "'two point one'"))
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stdout=StringIO(), stderr=(err := StringIO()))
    assert re.search(
        rf"{PAIRING.name}:\d+: pairing.inverter_firmware: .two point one. is not a firmware condition", err.getvalue()
    )
    assert not configuration_build(battery="sok-battery", inverter="sol-ark-inverter").firmware
