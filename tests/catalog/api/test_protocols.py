"""The protocols endpoint: the slugs a device file or a device write must use, with the names makers print, so a
distributor entering devices through the API can learn them (until now they could not even be listed)."""

import pytest

from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def test_the_protocols_are_listed_with_their_slugs_names_and_sources():
    body = api_client(None).get("/api/v1/protocols/").json()
    protocols = (
        {item["slug"]: item for item in body["results"]}
        if isinstance(body, dict)
        else {item["slug"]: item for item in body}
    )
    assert {"pylon-can", "victron-can", "sol-ark-bms-00"} <= protocols.keys()
    victron = protocols["victron-can"]
    assert victron["bus"] == "can"
    assert "VICTRONCAN" in victron["aliases"]  # as 002 prints it in the battery's PC tool
    assert victron["source"]["document"].endswith(".txt")
    assert victron["device_count"] >= 1


def test_one_protocol_with_its_selections_and_an_unknown_one():
    api = api_client(None)
    pylon = api.get("/api/v1/protocols/pylon-can/").json()
    assert pylon["name"]
    deye = next(selection for selection in pylon["selections"] if selection["device"] == "deye-hybrid")
    assert (deye["kind"], deye["method"], deye["value"]) == ("inverter", "lcd_menu", "CAN 00")
    assert len({selection["device"] for selection in pylon["selections"]}) == pylon["device_count"]
    missing = api.get("/api/v1/protocols/no-such-protocol/")
    assert missing.status_code == 404
    assert set(missing.json()) == {"error"}
    assert api.post("/api/v1/protocols/", {"slug": "x"}, format="json").status_code in (401, 405)
