"""The configurator's API: compatibility, configurations (the engine's JSON contract, kept immutable), sheets,
validation with field paths, and rate limits answering 429 with Retry-After."""

import json

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.settings import api_settings

from catalog.models import DocumentedPairing
from configurator.domain import Options
from configurator.models import SavedConfiguration
from configurator.presentation import result_json
from configurator.services import configuration_build
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def test_compatibility_lists_every_battery_documented_first():
    body = api_client(None).get("/api/v1/compatibility/", {"inverter": "deye-hybrid"}).json()
    assert body["inverter"]["slug"] == "deye-hybrid"
    verdicts = [row["verdict"] for row in body["results"]]
    order = ["documented", "derived", "needs_check", "incompatible"]
    assert verdicts == sorted(verdicts, key=order.index)
    assert len(body["results"]) == 25
    weco = next(row for row in body["results"] if row["battery"]["slug"] == "weco-5k3-xp")
    assert weco["verdict"] == "documented"
    assert "WeCo: connection cables and accessories" in weco["reason"]  # the document by its title


def test_compatibility_narrowed_to_one_pair_and_bad_slugs():
    client = api_client(None)
    one = client.get(
        "/api/v1/compatibility/", {"inverter": "solis-s5-eh1p-l", "battery": "byd-battery-box-premium-hvs"}
    ).json()
    assert [row["verdict"] for row in one["results"]] == ["incompatible"]  # an HV battery on an LV inverter
    unknown = client.get("/api/v1/compatibility/", {"inverter": "deye-hybrid", "battery": "pylontech-pelio"}).json()
    [row] = unknown["results"]
    assert row["verdict"] == "needs_check"  # the Pelio's link port is not in the sources: unknown, not incompatible
    assert "does not know Pylontech Pelio's BMS link port" in row["reason"]
    unknown = client.get("/api/v1/compatibility/", {"inverter": "nope"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"inverter": ["No published inverter 'nope' in the catalog."]}
    missing = client.get("/api/v1/compatibility/")
    assert missing.json()["error"]["fields"]["inverter"] == ["This field is required."]
    no_battery = client.get("/api/v1/compatibility/", {"inverter": "deye-hybrid", "battery": "nope"})
    assert set(no_battery.json()["error"]["fields"]) == {"battery"}


def test_creating_a_configuration_returns_the_engine_result_and_links():
    client = api_client(None)
    request = {"inverter": "victron-color-control", "battery": "generic-lfp-bms", "packs": 3, "colours": "t568a"}
    response = client.post("/api/v1/configurations/", {**request, "site_name": "Barn"}, format="json")
    assert response.status_code == 201
    body = response.json()
    saved = SavedConfiguration.objects.get(public_id=body["id"])
    expected = configuration_build(
        battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=3, colours="t568a")
    )
    assert body["result"] == client.get(f"/api/v1/configurations/{saved.public_id}/").json()["result"]
    assert body["result"]["cable"]["conductors"][0]["colour"] == "blue"
    assert body["result"] == json.loads(json.dumps(result_json(expected)))
    assert body["url"].endswith(f"/c/{saved.public_id}")
    assert body["sheet_url"].endswith(f"/api/v1/configurations/{saved.public_id}/sheet.pdf")
    assert body["site"] == {"site_name": "Barn"}
    assert (body["packs"], body["colours"], body["bus"]) == (3, "t568a", "best")


def test_a_configuration_is_the_snapshot_whatever_the_catalog_does():
    client = api_client(None)
    created = client.post(
        "/api/v1/configurations/", {"inverter": "deye-hybrid", "battery": "weco-5k3-xp"}, format="json"
    ).json()
    DocumentedPairing.objects.filter(battery__slug="weco-5k3-xp", inverter__slug="deye-hybrid").delete()
    again = client.get(f"/api/v1/configurations/{created['id']}/").json()
    assert again["result"] == created["result"]
    assert again["result"]["verdict"] == "documented"


def test_the_sheet_of_a_configuration():
    client = api_client(None)
    created = client.post(
        "/api/v1/configurations/", {"inverter": "deye-hybrid", "battery": "weco-5k3-xp"}, format="json"
    ).json()
    sheet = client.get(f"/api/v1/configurations/{created['id']}/sheet.pdf")
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "application/pdf"
    assert sheet.content.startswith(b"%PDF")
    letter = client.get(f"/api/v1/configurations/{created['id']}/sheet.pdf", {"paper": "a3"})
    assert letter.status_code == 400
    assert letter["Content-Type"] == "application/json"
    assert letter.json()["error"]["fields"] == {"paper": ["Unknown paper 'a3': choose a4 or letter."]}
    missing = client.get("/api/v1/configurations/ZZZZZZZZZZ/sheet.pdf", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"inverter": "nope", "battery": "weco-5k3-xp"}, {"inverter"}),
        ({"inverter": "deye-hybrid", "battery": "nope"}, {"battery"}),
        ({"inverter": "deye-hybrid", "battery": "no-inverter-here"}, {"battery"}),  # the field, not the word
        ({"inverter": "sol-ark-inverter", "battery": "sok-battery", "packs": 16}, {"packs"}),
        ({"inverter": "sol-ark-inverter", "battery": "sok-battery", "packs": 0}, {"packs"}),
        ({"inverter": "deye-hybrid", "battery": "weco-5k3-xp", "colours": "purple"}, {"colours"}),
        ({"inverter": "deye-hybrid", "battery": "weco-5k3-xp", "bus": "rs232"}, {"bus"}),
        ({"battery": "weco-5k3-xp"}, {"inverter"}),
    ],
)
def test_bad_configuration_requests_are_400_with_field_paths_and_save_nothing(data, fields):
    response = api_client(None).post("/api/v1/configurations/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == fields
    assert not SavedConfiguration.objects.exists()


def test_an_incompatible_pair_is_a_400_with_its_reason():
    response = api_client(None).post(
        "/api/v1/configurations/",
        {"inverter": "solis-s5-eh1p-l", "battery": "byd-battery-box-premium-hvs"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "incompatible"
    assert "is a HV battery and" in error["message"]


def test_malformed_json_is_a_400_in_the_error_shape():
    response = api_client(None).post("/api/v1/configurations/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anonymous": "3/minute", "token": "5/minute"}


def test_anonymous_callers_get_429_with_retry_after_past_the_rate(tokens):
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}):
        client = api_client(None)
        codes = [client.get("/api/v1/manufacturers/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/manufacturers/")
        assert int(limited["Retry-After"]) > 0
        assert limited.json()["error"]["code"] == "throttled"
        # a token has its own, higher rate
        with_token = api_client(tokens["partner"])
        assert [with_token.get("/api/v1/manufacturers/").status_code for _ in range(6)] == [200] * 5 + [429]


def test_unknown_api_paths_are_404s_in_the_error_shape():
    client = api_client(None)
    for path in ["/api/v1/nothing/here", "/api/v1/manufacturers/a.b/", "/api/v2/devices/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/devices").status_code == 301  # only the trailing slash is missing
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "text/html" in page["Content-Type"]


def test_the_bus_asked_for_is_the_bus_answered_or_the_request_is_refused():
    """Deye's hybrids talk CAN only: asking for RS485 is a 400 on the field, never a CAN answer saved as 'best'."""
    api = api_client()
    pair = {"inverter": "deye-hybrid", "battery": "pylontech-us5000"}
    refused = api.post("/api/v1/configurations/", {**pair, "bus": "rs485"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"bus": ["This pair does not talk over RS485; it does over CAN."]}
    asked = api.post("/api/v1/configurations/", {**pair, "bus": "can"}, format="json")
    assert asked.status_code == 201
    assert (asked.json()["bus"], asked.json()["result"]["bus"]) == ("can", "can")


def test_findings_carry_code_parameters_and_message():
    client = api_client(None)
    body = client.post(
        "/api/v1/configurations/", {"inverter": "deye-hybrid", "battery": "byd-battery-box-premium-hvm"}, format="json"
    ).json()
    first = body["result"]["warnings"][0]
    assert first["code"] == "voltage_question"
    assert first["severity"] == "danger"
    assert first["params"]["hv"] == "BYD Battery-Box Premium HVM"
    assert first["message"].startswith("Voltage first: BYD Battery-Box Premium HVM is a high-voltage (HV) device")
    assert body["result"]["schema_version"] == 2


def test_a_port_or_protocol_asked_for_is_kept_or_refused_on_its_field():
    client = api_client(None)
    request = {"inverter": "studer-inverter", "battery": "weco-4k4-lt", "inverter_port": "CAN port 2 (bottom)"}
    created = client.post("/api/v1/configurations/", request, format="json")
    assert created.status_code == 201
    assert created.json()["inverter_port"] == "CAN port 2 (bottom)"
    assert created.json()["result"]["inverter_port"] == "CAN port 2 (bottom)"
    refused = client.post("/api/v1/configurations/", {**request, "inverter_port": "CAN port 9"}, format="json")
    assert refused.status_code == 400
    assert "no CAN link port named 'CAN port 9'" in refused.json()["error"]["fields"]["inverter_port"][0]
    protocol = {"inverter": "deye-hybrid", "battery": "pylontech-us5000", "protocol": "victron-can"}
    refused = client.post("/api/v1/configurations/", protocol, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"protocol"}
    assert not SavedConfiguration.objects.filter(inverter_slug="deye-hybrid").exists()
