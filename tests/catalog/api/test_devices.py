"""The catalog API: reads with filters and fixed query counts, writes scoped to a distributor's manufacturers,
the same validation as the catalog files (400 with field paths, nothing changed), one error shape."""

import copy

import pytest

from catalog.models import Device, Manufacturer, PinAssignment, Port, Setting
from catalog.services import device_record
from tests import factories
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")

OWN, OTHER = "weco-5k3-xp", "pylontech-us5000"  # the distributor edits WeCo, not Pylontech
SPARE = {OWN: "weco-spare", OTHER: "pylontech-spare"}  # in no documented pairing: free to delete


def record(slug: str) -> dict:
    return device_record(device=Device.objects.get(slug=slug))


def new_device(manufacturer: str = "weco", slug: str = "weco-test-pack") -> dict:
    return {
        "slug": slug,
        "manufacturer": manufacturer,
        "kind": "battery",
        "model": "Test pack",
        "voltage_class": "lv",
        "source": {"document": "002_c222e5cb0cff1dc1.txt", "section": "Test section"},
        "ports": [
            {
                "name": "CAN",
                "connector": "rj45",
                "role": "inverter_link",
                "buses": ["can"],
                "pins": [{"position": 4, "signal": "can_h"}, {"position": 5, "signal": "can_l"}],
            }
        ],
    }


def snapshot() -> tuple:
    return (
        Device.objects.count(),
        Port.objects.count(),
        PinAssignment.objects.count(),
        sorted(PinAssignment.objects.values_list("pk", "position", "signal", "label")),
    )


# --- reads ---------------------------------------------------------------------------------------------------------


def test_device_list_filters_and_search():
    client = api_client(None)
    inverters = client.get("/api/v1/devices/", {"kind": "inverter", "page_size": 200}).json()
    assert inverters["count"] == 32
    assert {row["kind"] for row in inverters["results"]} == {"inverter"}
    weco = client.get("/api/v1/devices/", {"manufacturer": "weco", "kind": "battery"}).json()
    assert [row["slug"] for row in weco["results"]] == ["weco-4k4-lt", "weco-4k4-pro", "weco-5k3-lv-hv", OWN]
    hv = client.get("/api/v1/devices/", {"voltage_class": "hv", "kind": "inverter"}).json()
    assert {row["slug"] for row in hv["results"]} >= {"solis-s6-eh3p-h-eu", "solis-rhi-3p-hves-5g"}
    found = client.get("/api/v1/devices/", {"search": "RHI-3P"}).json()
    assert [row["slug"] for row in found["results"]] == ["solis-rhi-3p-hves-5g"]
    bad = client.get("/api/v1/devices/", {"kind": "toaster"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"kind"}


def test_device_detail_nests_ports_pins_protocols_dip_banks_settings_and_sources():
    body = api_client(None).get("/api/v1/devices/generic-lfp-bms/").json()
    can = next(port for port in body["ports"] if port["name"] == "CAN")
    assert {"position": 4, "signal": "can_h"}.items() <= can["pins"][3].items()
    assert can["pins"][3]["source"]["document"] == "001_37f4442432f1a2d3.txt"
    assert body["dip_banks"][0]["switch_count"] == 6
    assert any(p["protocol"] == "victron-can" and p["value"] == "xxxx10" for p in body["protocols"])
    assert body["source"]["title"].startswith("Generic LFP battery BMS manual")


def test_unpublished_devices_are_not_public():
    Device.objects.filter(slug=OTHER).update(is_published=False)
    client = api_client(None)
    assert client.get(f"/api/v1/devices/{OTHER}/").status_code == 404
    assert OTHER not in {row["slug"] for row in client.get("/api/v1/devices/", {"page_size": 200}).json()["results"]}


def test_pagination():
    page = api_client(None).get("/api/v1/devices/", {"page_size": 10}).json()
    assert page["count"] == 62
    assert len(page["results"]) == 10
    assert "page=2" in page["next"]


def test_list_endpoints_cost_the_same_queries_whatever_the_catalog_size(django_assert_num_queries):
    client = api_client(None)
    urls = ["/api/v1/devices/?page_size=200", "/api/v1/manufacturers/?page_size=200"]
    counts = {}
    for url in urls:
        with django_assert_num_queries(3) as captured:  # the catalog version (ETag), count, page
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    maker = factories.manufacturer()
    for _ in range(150):
        factories.port(on=factories.device(maker=maker))
    for url in urls:
        with django_assert_num_queries(counts[url]):
            client.get(url)


def test_device_detail_costs_a_fixed_number_of_queries(django_assert_num_queries):
    with django_assert_num_queries(11):  # the catalog version, the device with its maker and source, one per relation
        assert api_client(None).get("/api/v1/devices/generic-lfp-bms/").status_code == 200


# --- the permission matrix ----------------------------------------------------------------------------------------

ROLES = ["anonymous", "read_only", "partner", "distributor", "expired", "staff"]


def act(client, method: str, target: str):
    if method == "POST":
        manufacturer = "weco" if target == OWN else "pylontech"
        return client.post("/api/v1/devices/", new_device(manufacturer, f"{manufacturer}-new"), format="json")
    url = f"/api/v1/devices/{target}/"
    if method == "PUT":
        data = record(target)
        data["description"] = "Changed"
        return client.put(url, data, format="json")
    if method == "PATCH":
        return client.patch(url, {"description": "Changed"}, format="json")
    if method == "DELETE":
        return client.delete(f"/api/v1/devices/{SPARE[target]}/")
    return client.get(url)


WRITE_OK = {"POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204, "GET": 200}
MATRIX = [
    # (role, method, target, expected)
    *[(role, "GET", target, 401 if role == "expired" else 200) for role in ROLES for target in (OWN, OTHER)],
    *[
        (role, method, OWN, {"anonymous": 401, "expired": 401, "read_only": 403, "partner": 403}.get(role, ok))
        for role in ROLES
        for method, ok in WRITE_OK.items()
        if method != "GET"
    ],
    ("distributor", "POST", OTHER, 403),
    ("distributor", "PUT", OTHER, 404),
    ("distributor", "PATCH", OTHER, 404),
    ("distributor", "DELETE", OTHER, 404),
    ("staff", "PATCH", OTHER, 200),
    ("staff", "DELETE", OTHER, 204),
    ("partner", "PATCH", OTHER, 403),
    ("anonymous", "DELETE", OTHER, 401),
]


@pytest.fixture
def spares(shipped_catalog):
    for slug, maker in (("weco-spare", "weco"), ("pylontech-spare", "pylontech")):
        device = factories.device(model=slug, slug=slug, maker=Manufacturer.objects.get(slug=maker))
        factories.port(on=device, pins={4: "can_h", 5: "can_l"})


@pytest.mark.parametrize(("role", "method", "target", "expected"), MATRIX)
def test_permission_matrix(tokens, spares, role, method, target, expected):
    before = snapshot()
    response = act(api_client(tokens[role]), method, target)
    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert set(response.json()) == {"error"}
        assert response.json()["error"]["code"]
        assert snapshot() == before  # nothing changed
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_configurations_and_compatibility_are_open_to_every_valid_token(tokens):
    for role in ROLES:
        client = api_client(tokens[role])
        expected = 401 if role == "expired" else 200
        assert client.get("/api/v1/compatibility/", {"inverter": "deye-hybrid"}).status_code == expected
        created = client.post("/api/v1/configurations/", {"inverter": "deye-hybrid", "battery": OWN}, format="json")
        assert created.status_code == (401 if role == "expired" else 201)


def test_a_distributor_write_replaces_ports_and_pins_in_one_request(tokens):
    client = api_client(tokens["distributor"])
    created = client.post("/api/v1/devices/", new_device(), format="json")
    assert created.status_code == 201
    assert created.json()["ports"][0]["pins"][0]["signal"] == "can_h"
    data = new_device()
    data["ports"][0]["pins"] = [{"position": 7, "signal": "can_h"}, {"position": 8, "signal": "can_l", "label": "L"}]
    data["ports"].append({"name": "RS485", "connector": "rj45", "role": "inverter_link", "buses": ["rs485"]})
    replaced = client.put("/api/v1/devices/weco-test-pack/", data, format="json")
    assert replaced.status_code == 200
    pins = PinAssignment.objects.filter(port__device__slug="weco-test-pack").order_by("port__position", "position")
    assert [(p.port.name, p.position, p.signal) for p in pins] == [("CAN", 7, "can_h"), ("CAN", 8, "can_l")]
    assert Port.objects.filter(device__slug="weco-test-pack").count() == 2
    assert client.delete("/api/v1/devices/weco-test-pack/").status_code == 204
    assert not Device.objects.filter(slug="weco-test-pack").exists()


def test_a_device_in_documented_pairings_is_not_deleted(tokens):
    before = snapshot()
    response = api_client(tokens["distributor"]).delete(f"/api/v1/devices/{OWN}/")
    assert response.status_code == 400
    assert "documented pairing(s)" in response.json()["error"]["message"]
    assert "unpublish it instead" in response.json()["error"]["message"]
    assert snapshot() == before


# --- validation -----------------------------------------------------------------------------------------------------


def bad_pins(*pins) -> dict:
    data = new_device()
    data["ports"][0]["pins"] = list(pins)
    return data


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (bad_pins({"position": 9, "signal": "can_h"}), "ports[0].pins[0].position", "9"),
        (
            bad_pins({"position": 4, "signal": "can_h"}, {"position": 4, "signal": "can_l"}),
            "ports[0].pins[1]",
            "4",
        ),
        (bad_pins({"position": 4, "signal": "can_hi"}), "ports[0].pins[0].signal", "not a valid choice"),
        (bad_pins({"signal": "can_h"}), "ports[0].pins[0]", "needs one of: position, terminal"),
        ({**new_device(), "manufacturer": "no-such-maker"}, "manufacturer", "no-such-maker"),
        ({**new_device(), "slug": "Not A Slug"}, "slug", "slug"),
        ({**new_device(), "colour": "red"}, "colour", "Unknown field"),
        ({**new_device(), "source": {"document": "nope.txt", "section": "x"}}, "source", "nope.txt"),
    ],
)
def test_bad_device_data_is_a_400_with_the_field_path_and_changes_nothing(tokens, data, field, message):
    before = snapshot()
    response = api_client(tokens["staff"]).post("/api/v1/devices/", data, format="json")
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "invalid"
    matching = {path: texts for path, texts in error["fields"].items() if path.startswith(field)}
    assert matching, error
    assert any(message.lower() in text.lower() for texts in matching.values() for text in texts), error
    assert snapshot() == before


def test_a_put_that_breaks_a_pin_changes_nothing(tokens):
    data = copy.deepcopy(record(OWN))
    data["ports"][0]["pins"][0]["position"] = 12
    before = snapshot()
    response = api_client(tokens["distributor"]).put(f"/api/v1/devices/{OWN}/", data, format="json")
    assert response.status_code == 400
    assert any(path.startswith("ports[0].pins[0]") for path in response.json()["error"]["fields"])
    assert snapshot() == before


def test_a_slug_cannot_change_and_a_taken_slug_cannot_be_created(tokens):
    client = api_client(tokens["distributor"])
    data = record(OWN)
    data["slug"] = "weco-renamed"
    assert client.put(f"/api/v1/devices/{OWN}/", data, format="json").json()["error"]["fields"] == {
        "slug": ["A device's slug cannot change; create a new one instead."]
    }
    taken = client.post("/api/v1/devices/", {**new_device(), "slug": OWN}, format="json")
    assert taken.status_code == 400
    assert "already exists" in taken.json()["error"]["fields"]["slug"][0]


def test_malformed_and_unknown_tokens_are_401():
    for header in ["Bearer nonsense", "Bearer bic_00000000_secret", "Bearer "]:
        response = api_client(None)
        response.credentials(HTTP_AUTHORIZATION=header)
        answer = response.get("/api/v1/devices/")
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "authentication_failed"


def test_a_protocol_selection_and_its_extra_settings_are_written_and_replaced_through_the_api(tokens):
    client = api_client(tokens["distributor"])
    data = new_device()
    data["protocols"] = [
        {
            "protocol": "weco-can",
            "method": "pc_tool",
            "menu_path": "PC tool > Inverter Protocol",
            "value": "WeCoCAN",
            "extras": [{"name": "SOC", "value": "70%", "optional": True}],
        }
    ]
    created = client.post("/api/v1/devices/", data, format="json")
    assert created.status_code == 201
    (selection,) = created.json()["protocols"]
    assert [(e["name"], e["value"], e["optional"]) for e in selection["extras"]] == [("SOC", "70%", True)]
    data["protocols"][0]["extras"] = []
    replaced = client.put("/api/v1/devices/weco-test-pack/", data, format="json")
    assert replaced.json()["protocols"][0]["extras"] == []
    assert not Setting.objects.filter(device__slug="weco-test-pack").exists()
    data["protocols"][0]["extras"] = [{"value": "no name"}]
    refused = client.put("/api/v1/devices/weco-test-pack/", data, format="json")
    assert refused.status_code == 400
    assert any("extras" in field for field in refused.json()["error"]["fields"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(slug="weco-\x00pack"), "slug"),
        (lambda d: d["ports"][0].update(name="CA\x00N"), "ports[0].name"),
        (lambda d: d.update({"no\x00te": 1}), "no\\0te"),
    ],
)
def test_a_nul_character_in_a_write_is_a_400_naming_its_field_and_stores_nothing(tokens, change, field):
    """PostgreSQL cannot store NUL in text: the API says where it is instead of failing in the database."""
    body = new_device()
    change(body)
    before = snapshot()
    response = api_client(tokens["staff"]).post("/api/v1/devices/", body, format="json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["error"]["fields"][field][0]
    assert snapshot() == before
