"""Malformed requests are answered with a 4xx, in the API's error shape under /api/, never with a server error:
NUL characters in paths, queries and fields, JSON nested thousands deep, bodies over the size limit, unknown
fields. Nothing is written."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from catalog.models import Device
from configurator.models import SavedConfiguration
from configurator.urls import handler500
from tests import factories
from tests.conftest import FIXTURES_DIR

pytestmark = pytest.mark.usefixtures("shipped_catalog")

NUL_PATHS = [
    "/c/a%00",
    "/c/a%00/sheet.pdf",
    "/battery/?inverter=deye%00",
    "/options/?inverter=deye-hybrid&battery=weco%00",
    "/result/?inverter=deye-hybrid&battery=weco-5k3-xp%00",
    "/result/sheet.pdf?inverter=deye%00&battery=weco-5k3-xp",
    "/?q=rhi%00",
    "/api/v1/devices/deye%00/",
    "/api/v1/devices/?manufacturer=deye%00",
    "/api/v1/manufacturers/deye%00/",
    "/api/v1/compatibility/?inverter=deye%00",
    "/api/v1/configurations/abc%00/",
    "/api/v1/configurations/abc%00/sheet.pdf",
]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_character_in_the_address_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"


def test_json_nested_thousands_deep_is_a_400_in_the_error_shape():
    body = '{"a":' * 5000 + "1" + "}" * 5000
    response = factories.api_client().post("/api/v1/configurations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert SavedConfiguration.objects.count() == 0


def test_json_nested_past_the_bound_is_refused_before_validation(tokens):
    body = {"slug": "x", "notes": [json.loads('{"a":' * 40 + "1" + "}" * 40)]}
    response = factories.api_client(tokens["staff"]).post("/api/v1/devices/", body, format="json")
    assert response.status_code == 400
    assert "nests deeper" in response.json()["error"]["message"]


def test_a_body_over_the_limit_is_a_413_in_the_error_shape():
    body = json.dumps({"inverter": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = factories.api_client().post("/api/v1/configurations/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "too_large"


def test_unknown_fields_in_a_configuration_are_named():
    response = factories.api_client().post(
        "/api/v1/configurations/",
        {"inverter": "victron-color-control", "battery": "generic-lfp-bms", "pack": 3},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"pack": ["Unknown field."]}
    assert SavedConfiguration.objects.count() == 0


@pytest.mark.parametrize(
    ("where", "field"),
    [({"notes": [{"text": "bad\x00note"}]}, "notes[0].text"), ({"description": "bad\x00text"}, "description")],
)
def test_a_nul_character_in_catalog_text_is_a_field_error(tokens, where, field):
    import yaml

    data = yaml.safe_load((FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text())["device"]
    before = Device.objects.get(slug="weco-5k3-xp").description
    response = factories.api_client(tokens["staff"]).put(
        "/api/v1/devices/weco-5k3-xp/", {**data, **where}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Device.objects.get(slug="weco-5k3-xp").description == before


def test_a_nul_character_in_site_fields_is_a_field_error():
    response = factories.api_client().post(
        "/api/v1/configurations/",
        {"inverter": "victron-color-control", "battery": "generic-lfp-bms", "site_name": "a\x00b"},
        format="json",
    )
    assert response.status_code == 400
    assert "site_name" in response.json()["error"]["fields"]


def test_a_server_error_under_the_api_is_json():
    response = handler500(RequestFactory().get("/api/v1/devices/"))
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"
